/**
 * Sequences and where their handlers come from. The runtime mounts a sequence with `module.handlers`
 * of the module its catalog names (index.json `handlersPath`), or with the object passed to an inline
 * `conductor.mount(...)`. Without either, the plugin manifest's module for the pluginId, an inline mount
 * of the same pluginId, and finally the package that encloses the JSON are tried, in that order.
 */
import path from 'node:path';
import type { SequenceDefinition, TopicRoute } from '../model/code-index.js';
import type { ValueExpr } from './facts.js';
import type { LinkContext } from './link-context.js';

export type HandlerEntry =
  | { readonly kind: 'value'; readonly file: string; readonly value: ValueExpr }
  | { readonly kind: 'module'; readonly file: string }
  | { readonly kind: 'none'; readonly reason: string };

export interface LinkedSequence {
  readonly def: SequenceDefinition;
  readonly entry: HandlerEntry;
}

export function linkSequences(ctx: LinkContext): LinkedSequence[] {
  const catalog = new Map<string, { handlersPath: string; catalogFile: string }>();
  const manifestModules = new Map<string, string[]>();
  const mountsByPlugin = new Map<string, { file: string; value: ValueExpr }[]>();
  for (const [file, f] of ctx.facts) {
    for (const e of f.catalog ?? []) {
      const seqFile = path.posix.normalize(path.posix.join(path.posix.dirname(file), e.file));
      if (!catalog.has(seqFile)) catalog.set(seqFile, { handlersPath: e.handlersPath, catalogFile: file });
    }
    for (const p of f.pluginManifest ?? [])
      manifestModules.set(p.id, [...(manifestModules.get(p.id) ?? []), ...p.modules]);
    for (const m of f.module?.mounts ?? []) {
      if (m.sequence.pluginId && m.handlers) {
        const list = mountsByPlugin.get(m.sequence.pluginId) ?? [];
        list.push({ file, value: m.handlers });
        mountsByPlugin.set(m.sequence.pluginId, list);
      }
    }
  }
  const modules = ctx.resolver.modulesResolver;
  const out: LinkedSequence[] = [];
  for (const [file, f] of ctx.facts) {
    for (const s of f.sequences ?? []) {
      const cat = catalog.get(file);
      const def: SequenceDefinition = { ...s, handlersPath: cat?.handlersPath ?? null };
      const reasons: string[] = [];
      let entry: HandlerEntry | null = null;
      if (cat) {
        const target = modules.resolve(cat.catalogFile, cat.handlersPath);
        if (target) entry = { kind: 'module', file: target };
        else reasons.push(`handlersPath '${cat.handlersPath}' (${cat.catalogFile}) matches no indexed module`);
      }
      entry ??= fallbackEntry(ctx, def, manifestModules, mountsByPlugin, reasons);
      out.push({ def, entry });
    }
    for (const m of f.module?.mounts ?? []) {
      const def: SequenceDefinition = { ...m.sequence, handlersPath: null };
      const entry: HandlerEntry = m.handlers
        ? { kind: 'value', file, value: m.handlers }
        : { kind: 'none', reason: `mount() in ${file} passes no handlers` };
      out.push({ def, entry });
    }
  }
  return out.sort((a, b) => cmp(a.def.source.file, b.def.source.file) || a.def.source.line - b.def.source.line);
}

function fallbackEntry(
  ctx: LinkContext,
  def: SequenceDefinition,
  manifestModules: ReadonlyMap<string, string[]>,
  mountsByPlugin: ReadonlyMap<string, { file: string; value: ValueExpr }[]>,
  reasons: string[],
): HandlerEntry {
  const modules = ctx.resolver.modulesResolver;
  const pluginId = def.pluginId;
  if (pluginId) {
    for (const spec of manifestModules.get(pluginId) ?? []) {
      const target = modules.resolvePackage(spec);
      if (target) return { kind: 'module', file: target };
      reasons.push(`plugin manifest module '${spec}' for ${pluginId} matches no indexed module`);
    }
    const mount = mountsByPlugin.get(pluginId)?.[0];
    if (mount) return { kind: 'value', file: mount.file, value: mount.value };
  }
  const pkgDir = ctx.packageDirOf(def.source.file);
  if (pkgDir !== null) {
    for (const [name, dir] of ctx.packages) {
      if (dir !== pkgDir) continue;
      const target = modules.resolvePackage(name);
      if (target) return { kind: 'module', file: target };
    }
  }
  if (reasons.length === 0)
    reasons.push(
      `no catalog, plugin manifest, mount() or enclosing package names a handlers module for ${pluginId ?? def.id}`,
    );
  return { kind: 'none', reason: reasons.join('; ') };
}

export function collectTopics(ctx: LinkContext): TopicRoute[] {
  const seen = new Set<string>();
  const out: TopicRoute[] = [];
  for (const f of ctx.facts.values()) {
    for (const r of f.routes ?? []) {
      const key = `${r.topic}\u0000${r.pluginId}\u0000${r.sequenceId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ topic: r.topic, pluginId: r.pluginId, sequenceId: r.sequenceId });
    }
  }
  return out.sort((a, b) => cmp(a.topic, b.topic) || cmp(a.pluginId, b.pluginId) || cmp(a.sequenceId, b.sequenceId));
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
