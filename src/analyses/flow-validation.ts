/**
 * The flow validator: every sequence run against its definition in the code index, plus what the code and the
 * sessions disagree on (drift, never-run sequences, orphan subscriptions, unmounted routes). Without a code
 * index only the log-only kinds are checked and the report lists the others as unchecked.
 */
import type { CodeIndex, SequenceDefinition } from '../model/code-index.js';
import type { SequenceRun } from '../model/entities.js';
import { sequenceLabel } from '../model/unknown-names.js';
import { compareStrings, groupBy, round4 } from './collections.js';
import { SequenceDefinitions, violation } from './flow-definitions.js';
import { detectSequenceDrift } from './flow-drift.js';
import { mountedSequences, neverRun, orphanSubscriptions, unmountedRoutes } from './flow-inventory.js';
import { checkRunAgainstDefinition, checkRunFromLog } from './flow-run-check.js';
import {
  codeViolationKinds,
  type FlowReport,
  type SequenceDrift,
  type SequenceFitness,
  type Violation,
  type ViolationKind,
  violationKinds,
} from './flow-types.js';
import { byStartTime, type TraceData } from './trace-data.js';

const computed = new WeakMap<TraceData, Map<CodeIndex | undefined, FlowReport>>();

/**
 * validateFlows, computed once per trace and code index: the flows report and the findings (which turn its
 * violations into findings) share one validation in `analyze` instead of doubling its cost on large stores.
 */
export function validateFlowsOnce(data: TraceData, code?: CodeIndex): FlowReport {
  let byCode = computed.get(data);
  if (!byCode) {
    byCode = new Map();
    computed.set(data, byCode);
  }
  let report = byCode.get(code);
  if (!report) {
    report = validateFlows(data, code);
    byCode.set(code, report);
  }
  return report;
}

export function validateFlows(data: TraceData, code?: CodeIndex): FlowReport {
  const defs = new SequenceDefinitions(code);
  const byRun = <T extends { sequenceRunId: string | null }>(items: readonly T[]) =>
    groupBy(
      items.filter((i) => i.sequenceRunId !== null),
      (i) => i.sequenceRunId!,
    );
  const beats = byRun(data.beats);
  const movements = byRun(data.movements);
  const errors = byRun(data.errors);
  const beatsOf = (runId: string) => beats.get(runId) ?? [];
  const mounted = mountedSequences(data);

  const groups = groupBy(data.runs, (r) => {
    const def = defs.find(r.sequenceId, r.sequenceName);
    return def ? `def\u0000${def.id}` : `run\u0000${r.sequenceId ?? r.sequenceName}`;
  });
  const violations: Violation[] = [];
  const sequences: SequenceFitness[] = [];
  const drift: SequenceDrift[] = [];
  const ran = new Set<SequenceDefinition>();

  for (const runs of groups.values()) {
    const first = runs[0]!;
    const def = defs.find(first.sequenceId, first.sequenceName);
    if (def) ran.add(def);
    const found: Violation[] = [];
    const seqDrift = def ? detectSequenceDrift(def, runs, beatsOf, defs) : null;
    if (seqDrift) {
      drift.push(seqDrift);
      found.push(...driftViolations(seqDrift, def!.pluginId));
    } else if (code && !def && named(first)) {
      found.push(
        violation('drift', 'warning', 'ran in production but no sequence definition has this id or name', {
          sequenceId: first.sequenceId,
          sequenceName: first.sequenceName,
          pluginId: first.pluginId,
        }),
      );
    }
    let conforming = 0;
    for (const run of runs) {
      const evidence = {
        run,
        beats: beatsOf(run.id),
        movements: movements.get(run.id) ?? [],
        errors: errors.get(run.id) ?? [],
      };
      const own = [
        ...checkRunFromLog(evidence),
        ...(def ? checkRunAgainstDefinition(evidence, def, seqDrift ?? undefined, defs) : []),
      ];
      // With a code index, a run of an undefined sequence does not conform: there is nothing it conforms to.
      if (own.length === 0 && !seqDrift && (def || !code)) conforming++;
      found.push(...own);
    }
    violations.push(...found);
    sequences.push(
      fitnessOf(
        first,
        def,
        runs.length,
        conforming,
        found,
        mounted.has(def ?? { id: first.sequenceId, name: first.sequenceName }),
      ),
    );
  }

  for (const e of data.errors.filter((e) => e.sequenceRunId === null)) {
    violations.push(
      violation('handler-error', 'error', `${e.pluginId}.${e.handler} threw outside any sequence run: ${e.message}`, {
        pluginId: e.pluginId,
        sessionId: e.sessionId,
        handler: e.handler,
      }),
    );
  }
  if (code) {
    const never = neverRun(defs, ran, data);
    violations.push(...never, ...orphanSubscriptions(data, defs), ...unmountedRoutes(code, data));
    for (const v of never) {
      const def = defs.find(v.sequenceId, null)!;
      sequences.push({ ...fitnessOf(null, def, 0, 0, [v], mounted.has(def)) });
    }
  }

  // Within a kind: sessions in time order (stores list files by content id, not time), then log order.
  const order = (k: ViolationKind) => violationKinds.indexOf(k);
  const sessionRank = sessionOrder(data);
  const rank = (v: Violation) => (v.sessionId === null ? -1 : (sessionRank.get(v.sessionId) ?? -1));
  violations.sort((a, b) => order(a.kind) - order(b.kind) || rank(a) - rank(b));
  sequences.sort((a, b) => (a.fitness ?? 2) - (b.fitness ?? 2) || compareStrings(a.sequenceName, b.sequenceName));
  const byKind = Object.fromEntries(violationKinds.map((k) => [k, 0])) as Record<ViolationKind, number>;
  for (const v of violations) byKind[v.kind]++;
  const conformingRuns = sequences.reduce((sum, s) => sum + s.conformingRuns, 0);
  const unchecked = code ? [] : [...codeViolationKinds];

  return {
    codeIndex: code !== undefined,
    unchecked,
    summary: {
      sequenceRuns: data.runs.length,
      conformingRuns,
      fitness: data.runs.length > 0 ? round4(conformingRuns / data.runs.length) : null,
      sequencesDefined: defs.all().length,
      sequencesRun: groups.size,
      violations: violations.length,
      byKind,
    },
    sequences,
    drift,
    violations,
    notes: code ? [] : [`no code index: runs were checked from the log only; ${unchecked.join(', ')} need --code`],
  };
}

function sessionOrder(data: TraceData): Map<string, number> {
  const sorted = [...data.sessions].sort(byStartTime);
  return new Map(sorted.map((s, i) => [s.id, i]));
}

function driftViolations(d: SequenceDrift, pluginId: string | null): Violation[] {
  const at = { sequenceId: d.sequenceId, sequenceName: d.sequenceName, pluginId };
  return [
    ...d.missingInRuns.map((b) =>
      violation(
        'drift',
        'warning',
        `beat ${b.beat} (${b.event} → ${b.handler}) is defined but none of ${d.runs} completed run(s) executed it`,
        { ...at, beat: b.beat, event: b.event, handler: b.handler },
      ),
    ),
    ...d.extraInRuns.map((b) =>
      violation('drift', 'warning', `every completed run executed ${b.event}, which the definition no longer has`, {
        ...at,
        beat: b.beat,
        event: b.event,
        handler: b.handler,
      }),
    ),
    ...d.handlerChanged.map((b) =>
      violation('drift', 'warning', `${b.event} runs ${b.handler}; the definition names ${b.definedHandler}`, {
        ...at,
        beat: b.beat,
        event: b.event,
        handler: b.handler,
      }),
    ),
  ];
}

/** A run the log never named (a capture that starts inside it) has no id or name to look up: not drift. */
function named(run: SequenceRun): boolean {
  return run.sequenceName !== '' || run.sequenceId !== null;
}

function fitnessOf(
  run: SequenceRun | null,
  def: SequenceDefinition | undefined,
  runs: number,
  conformingRuns: number,
  found: readonly Violation[],
  mounted: boolean,
): SequenceFitness {
  const counts: Partial<Record<ViolationKind, number>> = {};
  for (const v of found) counts[v.kind] = (counts[v.kind] ?? 0) + 1;
  return {
    sequenceId: def?.id ?? run?.sequenceId ?? null,
    sequenceName: def?.name ?? sequenceLabel(run?.sequenceName),
    pluginId: run?.pluginId ?? def?.pluginId ?? null,
    defined: def !== undefined,
    mounted,
    runs,
    conformingRuns,
    fitness: runs > 0 ? round4(conformingRuns / runs) : null,
    violations: counts,
  };
}
