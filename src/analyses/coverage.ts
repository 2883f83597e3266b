/**
 * Handler coverage: which handlers the code defines, which ran in production, which have tests — the four
 * quadrants, with the untested-but-used ones first, weighted by how often production runs them.
 */
import type { CodeIndex, HandlerDefinition } from '../model/code-index.js';
import { compareStrings, round4 } from './collections.js';
import type { CoverageReport, HandlerCoverage, PluginCoverage, Quadrant, UnknownHandler } from './coverage-types.js';
import { quadrants } from './coverage-types.js';
import type { HandlerRunCount } from './handler-aggregate.js';
import { HandlerDefinitions, handlerKey } from './handler-lookup.js';
import type { TraceData } from './trace-data.js';

const HOT_PATHS = 10;

function quadrantOf(used: boolean, tested: boolean): Quadrant {
  if (used) return tested ? 'used-tested' : 'used-untested';
  return tested ? 'tested-unused' : 'dead';
}

function emptyQuadrants(): Record<Quadrant, number> {
  return { 'used-tested': 0, 'used-untested': 0, 'tested-unused': 0, dead: 0 };
}

export function analyzeCoverage(data: TraceData, code: CodeIndex): CoverageReport {
  const counts = new Map<string, { handler: string; pluginId: string | null; executions: number; errors: number }>();
  for (const h of data.handlerRuns) {
    const key = `${h.pluginId === null ? 'n' : 's'}\u0000${h.pluginId ?? ''}\u0000${h.handler}`;
    const seen = counts.get(key) ?? { handler: h.handler, pluginId: h.pluginId, executions: 0, errors: 0 };
    counts.set(key, {
      ...seen,
      executions: seen.executions + 1,
      errors: seen.errors + (h.status === 'error' ? 1 : 0),
    });
  }
  return analyzeCoverageCounts([...counts.values()], data.beats.length, code);
}

/**
 * Coverage from execution counts per handler as the log names it (plugin and handler; null and empty plugins
 * apart), in the order each first ran: what `analyzeCoverage` counts from trace data, or a store aggregate.
 * `beatRuns`: how many beat runs the store holds.
 */
export function analyzeCoverageCounts(
  runCounts: readonly HandlerRunCount[],
  beatRuns: number,
  code: CodeIndex,
): CoverageReport {
  const defs = new HandlerDefinitions(code);
  const runsOf = new Map<HandlerDefinition, { executions: number; errors: number }>();
  const unknown = new Map<string, UnknownHandler>();
  let total = 0;
  for (const h of runCounts) {
    total += h.executions;
    const def = defs.find(h.handler, h.pluginId);
    if (def) {
      const seen = runsOf.get(def) ?? { executions: 0, errors: 0 };
      runsOf.set(def, { executions: seen.executions + h.executions, errors: seen.errors + h.errors });
    } else {
      const key = handlerKey(h.handler, h.pluginId);
      const seen = unknown.get(key) ?? { handler: h.handler, pluginId: h.pluginId, executions: 0 };
      unknown.set(key, { ...seen, executions: seen.executions + h.executions });
    }
  }

  const handlers = defs
    .all()
    .map((def): HandlerCoverage => {
      const { executions, errors } = runsOf.get(def) ?? { executions: 0, errors: 0 };
      const tested = def.tests.length > 0;
      return {
        handler: def.handler,
        pluginId: def.pluginId,
        quadrant: quadrantOf(executions > 0, tested),
        executions,
        errors,
        share: total > 0 ? round4(executions / total) : 0,
        tests: def.tests.length,
        testFiles: [...new Set(def.tests.map((t) => t.test.file))].sort(compareStrings),
        risk: tested ? 0 : executions,
        sourceFile: def.location?.file ?? null,
        sourceLine: def.location?.line ?? null,
        sequences: [...new Set(def.sequences.map((s) => s.id))].sort(compareStrings),
      };
    })
    .sort(
      (a, b) =>
        b.risk - a.risk ||
        b.executions - a.executions ||
        quadrants.indexOf(a.quadrant) - quadrants.indexOf(b.quadrant) ||
        compareStrings(a.pluginId ?? '', b.pluginId ?? '') ||
        compareStrings(a.handler, b.handler),
    );

  const counts = emptyQuadrants();
  for (const h of handlers) counts[h.quadrant]++;
  const unknownHandlers = [...unknown.values()].sort(
    (a, b) => b.executions - a.executions || compareStrings(a.handler, b.handler),
  );
  const hotPaths = [
    ...handlers.map(({ handler, pluginId, executions }) => ({ handler, pluginId, executions })),
    ...unknownHandlers,
  ]
    .filter((h) => h.executions > 0)
    .sort(
      (a, b) =>
        b.executions - a.executions ||
        compareStrings(a.handler, b.handler) ||
        compareStrings(a.pluginId ?? '', b.pluginId ?? ''),
    )
    .slice(0, HOT_PATHS);
  const used = handlers.filter((h) => h.executions > 0).length;
  const tested = handlers.filter((h) => h.tests > 0).length;
  const notes: string[] = [];
  if (unknownHandlers.length > 0) {
    notes.push(
      `${unknownHandlers.length} handler(s) ran in production but are not in the code index (renamed, removed, or outside the indexed tree)`,
    );
  }
  if (total === 0 && beatRuns > 0) {
    notes.push('the logs have beats but no handler-level lines: every handler counts as unused');
  }

  return {
    summary: {
      defined: handlers.length,
      used,
      tested,
      quadrants: counts,
      executions: total,
      untestedExecutions: handlers.reduce((sum, h) => sum + h.risk, 0),
      usedShare: handlers.length > 0 ? round4(used / handlers.length) : null,
      testedShare: handlers.length > 0 ? round4(tested / handlers.length) : null,
    },
    handlers,
    hotPaths,
    plugins: pluginTotals(handlers),
    unknownHandlers,
    notes,
  };
}

function pluginTotals(handlers: readonly HandlerCoverage[]): PluginCoverage[] {
  const out = new Map<
    string,
    { -readonly [K in keyof PluginCoverage]: PluginCoverage[K] } & { quadrants: Record<Quadrant, number> }
  >();
  for (const h of handlers) {
    const pluginId = h.pluginId ?? '(none)';
    const p = out.get(pluginId) ?? {
      pluginId,
      defined: 0,
      used: 0,
      tested: 0,
      quadrants: emptyQuadrants(),
      executions: 0,
      untestedExecutions: 0,
    };
    p.defined++;
    if (h.executions > 0) p.used++;
    if (h.tests > 0) p.tested++;
    p.quadrants[h.quadrant]++;
    p.executions += h.executions;
    p.untestedExecutions += h.risk;
    out.set(pluginId, p);
  }
  return [...out.values()].sort(
    (a, b) => b.untestedExecutions - a.untestedExecutions || compareStrings(a.pluginId, b.pluginId),
  );
}
