/**
 * The flow validator: every sequence run against its definition in the code index, plus what the code and the
 * sessions disagree on (drift, never-run sequences, orphan subscriptions, unmounted routes). Without a code
 * index only the log-only kinds are checked and the report lists the others as unchecked.
 */
import type { CodeIndex, SequenceDefinition } from '../model/code-index.js';
import type { SequenceRun } from '../model/entities.js';
import { sequenceLabel } from '../model/unknown-names.js';
import { type RunParts, runPartsOf } from '../store/run-parts.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { compareStrings, round4 } from './collections.js';
import { SequenceDefinitions, violation } from './flow-definitions.js';
import { DriftAccumulator } from './flow-drift-accumulator.js';
import { mountedSequences, neverRun, orphanSubscriptions, unmountedRoutes } from './flow-inventory.js';
import { checkRunAgainstDefinition, checkRunFromLog, type RunEvidence } from './flow-run-check.js';
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
  const validator = new FlowValidator(data, code);
  const batches = [...runPartsOf(data.runs, data.beats, data.movements, data.errors)];
  for (const batch of batches) validator.observe(batch);
  for (const batch of batches) validator.check(batch);
  return validator.report();
}

/**
 * `validateFlows` over a whole store, its runs streamed twice with a code index (drift needs every completed run
 * of a sequence before any run is checked against its definition), once without. `data`: the store's sessions, mounts, registrations, subscriptions and
 * handler errors; its runs, beats and movements are not read. `also` sees every batch of runs once, in the same pass.
 */
export async function validateStoreFlows(
  store: Pick<TelemetryStore, 'runParts'>,
  data: TraceData,
  code?: CodeIndex,
  also?: (batch: readonly RunParts[]) => void,
): Promise<FlowReport> {
  const validator = new FlowValidator(data, code);
  if (!code) {
    // No definitions, so no drift: each run is checked as soon as its group is known, in one pass.
    await store.runParts((batch) => {
      validator.observe(batch);
      validator.check(batch);
      also?.(batch);
    });
  } else {
    await store.runParts((batch) => {
      validator.observe(batch);
      also?.(batch);
    });
    await store.runParts((batch) => validator.check(batch));
  }
  return validator.report();
}

/** One sequence (by definition, else by the runs' id or name): its runs' counts and findings. */
interface Group {
  readonly first: SequenceRun;
  readonly def: SequenceDefinition | undefined;
  readonly drift: DriftAccumulator | undefined;
  runs: number;
  conforming: number;
  seqDrift: SequenceDrift | null;
  readonly found: Violation[];
}

/** Runs fed twice in log order, batch by batch: `observe` every run, then `check` every run; then `report`. */
class FlowValidator {
  private readonly defs: SequenceDefinitions;
  private readonly groups = new Map<string, Group>();
  private runCount = 0;
  private checking = false;

  constructor(
    private readonly data: TraceData,
    private readonly code: CodeIndex | undefined,
  ) {
    this.defs = new SequenceDefinitions(code);
  }

  private keyOf(r: SequenceRun): string {
    const def = this.defs.find(r.sequenceId, r.sequenceName);
    return def ? `def\u0000${def.id}` : `run\u0000${r.sequenceId ?? r.sequenceName}`;
  }

  observe(batch: readonly RunEvidence[]): void {
    for (const parts of batch) {
      const key = this.keyOf(parts.run);
      let group = this.groups.get(key);
      if (group === undefined) {
        const def = this.defs.find(parts.run.sequenceId, parts.run.sequenceName);
        group = {
          first: parts.run,
          def,
          drift: def ? new DriftAccumulator(def, this.defs) : undefined,
          runs: 0,
          conforming: 0,
          seqDrift: null,
          found: [],
        };
        this.groups.set(key, group);
      }
      group.runs++;
      this.runCount++;
      if (parts.run.status === 'completed') group.drift?.addCompleted(parts.beats);
    }
  }

  /** Before the first check: each sequence's drift, whose findings come before its runs'. */
  private startChecking(): void {
    this.checking = true;
    for (const g of this.groups.values()) {
      g.seqDrift = g.drift?.result() ?? null;
      if (g.seqDrift) g.found.push(...driftViolations(g.seqDrift, g.def!.pluginId));
      else if (this.code && !g.def && named(g.first)) {
        g.found.push(
          violation('drift', 'warning', 'ran in production but no sequence definition has this id or name', {
            sequenceId: g.first.sequenceId,
            sequenceName: g.first.sequenceName,
            pluginId: g.first.pluginId,
          }),
        );
      }
    }
  }

  check(batch: readonly RunEvidence[]): void {
    if (!this.checking) this.startChecking();
    for (const evidence of batch) {
      const g = this.groups.get(this.keyOf(evidence.run))!;
      const own = [
        ...checkRunFromLog(evidence),
        ...(g.def ? checkRunAgainstDefinition(evidence, g.def, g.seqDrift ?? undefined, this.defs) : []),
      ];
      // With a code index, a run of an undefined sequence does not conform: there is nothing it conforms to.
      if (own.length === 0 && !g.seqDrift && (g.def || !this.code)) g.conforming++;
      for (const v of own) g.found.push(v);
    }
  }

  report(): FlowReport {
    if (!this.checking) this.startChecking();
    const { data, code, defs } = this;
    const mounted = mountedSequences(data);
    const violations: Violation[] = [];
    const sequences: SequenceFitness[] = [];
    const drift: SequenceDrift[] = [];
    const ran = new Set<SequenceDefinition>();
    for (const g of this.groups.values()) {
      if (g.def) ran.add(g.def);
      if (g.seqDrift) drift.push(g.seqDrift);
      violations.push(...g.found);
      const first = g.first;
      sequences.push(
        fitnessOf(
          first,
          g.def,
          g.runs,
          g.conforming,
          g.found,
          mounted.has(g.def ?? { id: first.sequenceId, name: first.sequenceName }),
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
    const runs = this.runCount;

    return {
      codeIndex: code !== undefined,
      unchecked,
      summary: {
        sequenceRuns: runs,
        conformingRuns,
        fitness: runs > 0 ? round4(conformingRuns / runs) : null,
        sequencesDefined: defs.all().length,
        sequencesRun: this.groups.size,
        violations: violations.length,
        byKind,
      },
      sequences,
      drift,
      violations,
      notes: code ? [] : [`no code index: runs were checked from the log only; ${unchecked.join(', ')} need --code`],
    };
  }
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
