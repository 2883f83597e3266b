/**
 * Beat handler names → definitions, scoped by plugin: each beat is resolved through its own sequence's
 * handler entry, so `notifyUi` of LibraryPlugin and of HeaderThemePlugin land in different files. One
 * HandlerDefinition per (pluginId, handler, resolved location); a plugin whose sequences reach the same name
 * through different modules therefore yields several definitions, each listing the sequences that use it.
 * Each beat's resolution is kept as a slot that records the module it started in, so a re-link resolves
 * again only the beats whose start module can see a change, and rebuilds only the drafts they move between.
 */
import path from 'node:path';
import type { BeatDefinition, HandlerDefinition, SequenceDefinition, SourceLocation } from '../model/code-index.js';
import type { Resolved } from './handler-resolver.js';
import { locText } from './handler-resolver.js';
import type { LinkContext } from './link-context.js';
import type { HandlerEntry, LinkedSequence } from './link-sequences.js';

const MAX_CANDIDATES = 20;

/** A HandlerDefinition without its tests. */
export interface HandlerDraft extends Omit<HandlerDefinition, 'tests'> {
  /** Identity across link passes: (pluginId, handler, location). */
  readonly key: string;
  /** Indexes of the beat slots resolved to this draft, ascending. */
  readonly slots: readonly number[];
}

/** One beat that names a handler, with how it resolved in the last pass. */
export interface BeatSlot {
  readonly def: SequenceDefinition;
  readonly entry: HandlerEntry;
  readonly beat: BeatDefinition & { readonly handler: string };
  /** The module resolution starts in (it reads only that module's import closure); null: fixed by the file set. */
  readonly start: string | null;
  readonly key: string;
  readonly location: SourceLocation | null;
  /** Why it did not resolve to a function; null when it did. */
  readonly reason: string | null;
}

/** Per-pass memo of resolutions by (entry, handler module, handler). */
export type SlotMemo = Map<string, Pick<BeatSlot, 'start' | 'location' | 'reason'>>;

export function resolveBeats(ctx: LinkContext, sequences: readonly LinkedSequence[]): BeatSlot[] {
  const slots: BeatSlot[] = [];
  const memo: SlotMemo = new Map();
  for (const { def, entry } of sequences) {
    for (const mov of def.movements) {
      for (const beat of mov.beats) {
        if (beat.handler) slots.push(resolveSlot(ctx, memo, def, entry, beat as BeatSlot['beat']));
      }
    }
  }
  return slots;
}

export function resolveSlot(
  ctx: LinkContext,
  memo: SlotMemo,
  def: SequenceDefinition,
  entry: HandlerEntry,
  beat: BeatSlot['beat'],
): BeatSlot {
  const memoKey = `${entryKey(entry)}\u0000${beat.handlerModule ?? ''}\u0000${beat.handler}`;
  let r = memo.get(memoKey);
  if (!r) {
    const { start, resolved } = beat.handlerModule
      ? resolveModuleHandler(ctx, def.source.file, beat.handlerModule, beat.handler)
      : resolveInEntry(ctx, entry, beat.handler);
    r =
      resolved.kind === 'function'
        ? { start, location: resolved.loc, reason: null }
        : { start, location: null, reason: describe(resolved, beat.handler) };
    memo.set(memoKey, r);
  }
  return { def, entry, beat, ...r, key: keyOf(def.pluginId, beat.handler, r.location) };
}

/** Drafts in order of their first beat. */
export function groupDrafts(ctx: LinkContext, slots: readonly BeatSlot[]): Map<string, HandlerDraft> {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < slots.length; i++) {
    const key = slots[i]!.key;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  }
  const drafts = new Map<string, HandlerDraft>();
  for (const [key, list] of byKey) drafts.set(key, buildDraft(ctx, slots, key, list));
  return drafts;
}

/** `list`: the slots resolved to `key`, ascending; the first one decides the reason it did not resolve. */
export function buildDraft(
  ctx: LinkContext,
  slots: readonly BeatSlot[],
  key: string,
  list: readonly number[],
): HandlerDraft {
  const first = slots[list[0]!]!;
  const sequences: { id: string; beat: number; event: string | null }[] = [];
  for (const i of list) {
    const { def, beat } = slots[i]!;
    if (!sequences.some((s) => s.id === def.id && s.beat === beat.beat && s.event === beat.event)) {
      sequences.push({ id: def.id, beat: beat.beat, event: beat.event });
    }
  }
  return {
    key,
    handler: first.beat.handler,
    pluginId: first.def.pluginId,
    location: first.location,
    unresolvedReason: first.reason,
    candidates: first.location ? [] : ctx.definitionsNamed(first.beat.handler).slice(0, MAX_CANDIDATES),
    sequences,
    // The resolver read the defining module to find the location, so its facts are loaded.
    payload: first.location
      ? (ctx.modules.get(first.location.file)?.payload?.[`${first.location.line}:${first.location.column}`] ?? null)
      : null,
    slots: list,
  };
}

/** `HandlerDraft.key`. */
export const keyOf = (pluginId: string | null, handler: string, location: SourceLocation | null): string =>
  `${pluginId}\u0000${handler}\u0000${location ? locText(location) : '?'}`;

function entryKey(e: HandlerEntry): string {
  if (e.kind === 'module') return `m:${e.file}`;
  if (e.kind === 'value') return `v:${e.file}:${e.value.pos.line}:${e.value.pos.column}`;
  return `n:${e.reason}`;
}

interface StartedResolution {
  readonly start: string | null;
  readonly resolved: Resolved;
}

function resolveInEntry(ctx: LinkContext, entry: HandlerEntry, handler: string): StartedResolution {
  if (entry.kind === 'none') return { start: null, resolved: { kind: 'unresolved', reason: entry.reason } };
  if (entry.kind === 'module')
    return { start: entry.file, resolved: ctx.resolver.handlerInModule(entry.file, handler) };
  return {
    start: entry.file,
    resolved: ctx.resolver.member(ctx.resolver.resolveValue(entry.file, entry.value), handler),
  };
}

/** `{name: "header/ui#getCurrentTheme"}`: the module part is a package spec, a relative path or a path suffix. */
function resolveModuleHandler(ctx: LinkContext, fromFile: string, mod: string, handler: string): StartedResolution {
  const modules = ctx.resolver.modulesResolver;
  const direct = modules.resolve(fromFile, mod.startsWith('.') ? mod : `./${mod}`) ?? modules.resolvePackage(mod);
  const files = direct ? [direct] : suffixMatches(ctx, mod);
  if (files.length === 1) return { start: files[0]!, resolved: ctx.resolver.handlerInModule(files[0]!, handler) };
  const reason =
    files.length === 0
      ? `handler module '${mod}' matches no indexed module`
      : `handler module '${mod}' is ambiguous: ${files.join(', ')}`;
  return { start: null, resolved: { kind: 'unresolved', reason } };
}

function suffixMatches(ctx: LinkContext, mod: string): string[] {
  const tail = mod.replace(/^\.?\/+/, '');
  const out: string[] = [];
  for (const file of ctx.modules.keys()) {
    const stem = file.slice(0, file.length - path.posix.extname(file).length);
    if (stem === tail || stem.endsWith(`/${tail}`) || stem.endsWith(`/${tail}/index`)) out.push(file);
  }
  return out;
}

function describe(r: Exclude<Resolved, { kind: 'function' }>, handler: string): string {
  if (r.kind === 'unresolved') return r.reason;
  const where = r.file;
  return `'${handler}' resolves to ${r.kind === 'module' ? 'a module namespace' : 'an object'} in ${where}, not a function`;
}
