/**
 * Beat handler names → definitions, scoped by plugin: each beat is resolved through its own sequence's
 * handler entry, so `notifyUi` of LibraryPlugin and of HeaderThemePlugin land in different files. One
 * HandlerDefinition per (pluginId, handler, resolved location); a plugin whose sequences reach the same name
 * through different modules therefore yields several definitions, each listing the sequences that use it.
 */
import path from 'node:path';
import type { HandlerTestLink, SourceLocation } from '../model/code-index.js';
import type { Resolved } from './handler-resolver.js';
import { locText } from './handler-resolver.js';
import type { LinkContext } from './link-context.js';
import type { HandlerEntry, LinkedSequence } from './link-sequences.js';

const MAX_CANDIDATES = 20;

/** A HandlerDefinition under construction (the link step is the only place that mutates). */
export interface HandlerDraft {
  readonly handler: string;
  readonly pluginId: string | null;
  readonly location: SourceLocation | null;
  readonly unresolvedReason: string | null;
  readonly candidates: readonly SourceLocation[];
  readonly sequences: { id: string; beat: number; event: string | null }[];
  readonly tests: HandlerTestLink[];
}

export function linkHandlers(ctx: LinkContext, sequences: readonly LinkedSequence[]): HandlerDraft[] {
  const drafts = new Map<string, HandlerDraft>();
  const memo = new Map<string, Resolved>();
  for (const { def, entry } of sequences) {
    for (const mov of def.movements) {
      for (const beat of mov.beats) {
        if (!beat.handler) continue;
        const memoKey = `${entryKey(entry)}\u0000${beat.handlerModule ?? ''}\u0000${beat.handler}`;
        let r = memo.get(memoKey);
        if (!r) {
          r = beat.handlerModule
            ? resolveModuleHandler(ctx, def.source.file, beat.handlerModule, beat.handler)
            : resolveInEntry(ctx, entry, beat.handler);
          memo.set(memoKey, r);
        }
        const location = r.kind === 'function' ? r.loc : null;
        const key = keyOf(def.pluginId, beat.handler, location);
        let d = drafts.get(key);
        if (!d) {
          const reason = r.kind === 'function' ? null : describe(r, beat.handler);
          d = {
            handler: beat.handler,
            pluginId: def.pluginId,
            location,
            unresolvedReason: reason,
            candidates: location ? [] : ctx.definitionsNamed(beat.handler).slice(0, MAX_CANDIDATES),
            sequences: [],
            tests: [],
          };
          drafts.set(key, d);
        }
        if (!d.sequences.some((s) => s.id === def.id && s.beat === beat.beat && s.event === beat.event)) {
          d.sequences.push({ id: def.id, beat: beat.beat, event: beat.event });
        }
      }
    }
  }
  return [...drafts.values()];
}

const keyOf = (pluginId: string | null, handler: string, location: SourceLocation | null): string =>
  `${pluginId}\u0000${handler}\u0000${location ? locText(location) : '?'}`;

/** A draft's identity across link passes: the key `linkHandlers` merges beats on. */
export const draftKey = (d: HandlerDraft): string => keyOf(d.pluginId, d.handler, d.location);

function entryKey(e: HandlerEntry): string {
  if (e.kind === 'module') return `m:${e.file}`;
  if (e.kind === 'value') return `v:${e.file}:${e.value.pos.line}:${e.value.pos.column}`;
  return `n:${e.reason}`;
}

function resolveInEntry(ctx: LinkContext, entry: HandlerEntry, handler: string): Resolved {
  if (entry.kind === 'none') return { kind: 'unresolved', reason: entry.reason };
  if (entry.kind === 'module') return ctx.resolver.handlerInModule(entry.file, handler);
  return ctx.resolver.member(ctx.resolver.resolveValue(entry.file, entry.value), handler);
}

/** `{name: "header/ui#getCurrentTheme"}`: the module part is a package spec, a relative path or a path suffix. */
function resolveModuleHandler(ctx: LinkContext, fromFile: string, mod: string, handler: string): Resolved {
  const modules = ctx.resolver.modulesResolver;
  const direct = modules.resolve(fromFile, mod.startsWith('.') ? mod : `./${mod}`) ?? modules.resolvePackage(mod);
  const files = direct ? [direct] : suffixMatches(ctx, mod);
  if (files.length === 1) return ctx.resolver.handlerInModule(files[0]!, handler);
  if (files.length === 0) return { kind: 'unresolved', reason: `handler module '${mod}' matches no indexed module` };
  return { kind: 'unresolved', reason: `handler module '${mod}' is ambiguous: ${files.join(', ')}` };
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
