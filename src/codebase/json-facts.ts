/**
 * Facts from JSON files: sequences (and `index.json` catalogs) under `json-sequences/`, `package.json`
 * names, and the plugin / topics / interaction manifests. Malformed JSON is a problem, never a throw.
 * A JSON under `json-sequences/` that is neither a sequence nor a catalog is skipped quietly unless it
 * looks like a sequence that lost its `movements` (has an id/name and beats).
 */
import type TS from 'typescript';
import type { IndexProblem } from '../model/code-index.js';
import type { FileKind } from './classify.js';
import type { CatalogEntry, FileFacts, PluginManifestEntry, RouteFact, SequenceFact } from './facts.js';
import { isObject, looksLikeBrokenSequence, normalizeSequence } from './sequence-normalize.js';
import { ts } from './typescript.js';

/**
 * V8's JSON.parse messages do not always carry a position, so on failure the TypeScript JSON parser
 * (error-tolerant, with positions) is asked where the first error is. Only runs for malformed files.
 */
function lineOfJsonError(rel: string, text: string): number {
  const sf = ts.parseJsonText(rel, text);
  const first = (sf as unknown as { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics?.[0];
  return first?.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(first.start).line + 1;
}

export function jsonFacts(rel: string, kind: FileKind, text: string): FileFacts {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const message = (err as Error).message;
    return {
      problems: [
        { file: rel, line: lineOfJsonError(rel, text), severity: 'error', message: `malformed JSON: ${message}` },
      ],
    };
  }
  if (kind === 'package-json') {
    const name = isObject(data) && typeof data['name'] === 'string' ? data['name'] : undefined;
    return name ? { problems: [], packageName: name } : { problems: [] };
  }
  if (kind === 'manifest-json') return manifestFacts(rel, data);
  return sequenceFileFacts(rel, data);
}

function sequenceFileFacts(rel: string, data: unknown): FileFacts {
  const problems: IndexProblem[] = [];
  if (isObject(data) && Array.isArray(data['sequences']) && !('movements' in data)) {
    const catalog: CatalogEntry[] = [];
    for (const e of data['sequences']) {
      if (isObject(e) && typeof e['file'] === 'string' && typeof e['handlersPath'] === 'string') {
        catalog.push({ file: e['file'], handlersPath: e['handlersPath'] });
      }
    }
    return { problems, catalog };
  }
  const items = Array.isArray(data) ? data : [data];
  const sequences: SequenceFact[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const seq = normalizeSequence(item, { file: rel, line: 1, column: 1 }, 'json');
    if (seq) sequences.push(seq);
    else if (looksLikeBrokenSequence(item)) {
      const label = String(item['id'] ?? item['name'] ?? item['sequenceId']);
      problems.push({
        file: rel,
        line: 1,
        severity: 'error',
        message: `sequence "${label}" has no movements; skipped`,
      });
    }
  }
  return { problems, sequences };
}

function manifestFacts(rel: string, data: unknown): FileFacts {
  const problems: IndexProblem[] = [];
  if (!isObject(data)) return { problems };
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (base === 'plugin-manifest.json') {
    const plugins: PluginManifestEntry[] = [];
    for (const p of Array.isArray(data['plugins']) ? data['plugins'] : []) {
      if (!isObject(p) || typeof p['id'] !== 'string') continue;
      // runtime.module first: it is the module whose register() mounts sequences.
      const modules = [p['runtime'], p['ui']]
        .map((m) => (isObject(m) && typeof m['module'] === 'string' ? m['module'] : null))
        .filter((m): m is string => m !== null);
      plugins.push({ id: p['id'], modules: [...new Set(modules)] });
    }
    return { problems, pluginManifest: plugins };
  }
  const routes: RouteFact[] = [];
  const add = (topic: string, r: unknown): void => {
    if (isObject(r) && typeof r['pluginId'] === 'string' && typeof r['sequenceId'] === 'string') {
      routes.push({ topic, pluginId: r['pluginId'], sequenceId: r['sequenceId'] });
    }
  };
  if (base === 'topics-manifest.json' && isObject(data['topics'])) {
    for (const [topic, def] of Object.entries(data['topics'])) {
      const list = isObject(def) && Array.isArray(def['routes']) ? def['routes'] : [];
      for (const r of list) add(topic, r);
    }
  } else if (base === 'interaction-manifest.json' && isObject(data['routes'])) {
    for (const [topic, r] of Object.entries(data['routes'])) {
      for (const one of Array.isArray(r) ? r : [r]) add(topic, one);
    }
  }
  return { problems, routes };
}
