/**
 * Evaluates `serve --alerts` rules (alert-rules.ts) on the store and keeps one state per rule × subject (a
 * subject is a handler or sequence name, or "" for rules about the whole stream). An alert fires when its
 * condition starts to hold and resolves when it stops: one `firing` and one `resolved` event per incident,
 * however many evaluations see it.
 *
 * Windows are on the logs' own timestamps (a handler run's settle time, a sequence run's end, else start) against
 * the server's clock (`now`): the window of a rule is (now − windowMinutes, now]. Runs without a timestamp are
 * not in any window. "No telemetry" is measured on the server's clock, from the last round that stored lines
 * (or from the start). Each evaluation reads the store's handler and sequence runs whole: its cost grows with
 * the store (docs/serve.md#limits).
 *
 * Finding rules run the findings analysis (`report findings`, without a code index) over the whole store, only
 * when a round stored something (and at start): the findings change with the data, not with the clock. Their
 * subject is the finding's stable id, so one finding fires once however many rounds still show it, and resolves
 * when an analysis no longer reports it. Timer evaluations leave finding alerts as they are.
 */
import { findingsFail } from '../analyses/findings/findings.js';
import type { Finding, FindingKind, FindingSeverity, FindingsReport } from '../analyses/findings/findings-types.js';
import { percentile } from '../analyses/percentile.js';
import { storeFindings } from '../reports/run-reports.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { AlertRule } from './alert-rules.js';
import type { LiveIngest } from './live-ingest.js';

/** One state change of an alert, as delivered and listed (`beatscope/alert`, docs/json-outputs.md). */
export interface AlertEvent {
  readonly schema: 'beatscope/alert';
  readonly version: 1;
  readonly state: 'firing' | 'resolved';
  readonly rule: string;
  readonly kind: AlertRule['kind'];
  /** Handler or sequence name; "" for no-telemetry. */
  readonly subject: string;
  /** The measured value when it fired: p95 in ms, a failed fraction (0–1), or ms without telemetry. */
  readonly value: number | null;
  readonly threshold: number;
  /** Runs in the window when it fired (null for no-telemetry). */
  readonly count: number | null;
  /** When the incident started, epoch ms (server clock). */
  readonly firedAtMs: number;
  /** When it ended, epoch ms; null while firing. */
  readonly resolvedAtMs: number | null;
  readonly message: string;
  /** Finding rules only: the finding, as `report findings --format json` names it. */
  readonly finding?: AlertFinding;
}

/** What a finding alert carries of its finding. */
export interface AlertFinding {
  readonly id: string;
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  readonly title: string;
  readonly plugin: string | null;
  readonly handler: string | null;
  readonly sequence: string | null;
  readonly file: string | null;
  readonly line: number | null;
}

interface Breach {
  readonly subject: string;
  readonly value: number | null;
  readonly count: number | null;
  readonly threshold: number;
  readonly message: string;
  readonly finding?: AlertFinding;
}

/** Events kept for `GET /api/alerts` `recent`. */
const RECENT = 100;

export interface AlertEngineOptions {
  readonly rules: readonly AlertRule[];
  readonly store: TelemetryStore;
  /** The server clock, epoch ms; injectable for tests. */
  readonly now?: () => number;
}

export class AlertEngine {
  private readonly open = new Map<string, AlertEvent>();
  private readonly recentEvents: AlertEvent[] = [];
  private readonly listeners = new Set<(event: AlertEvent) => void>();
  private running: Promise<unknown> = Promise.resolve();
  private lastTelemetryMs: number;
  private readonly now: () => number;
  /** Set when a round stored something (and at start): the next evaluation re-runs the findings analysis. */
  private findingsStale = true;

  constructor(private readonly options: AlertEngineOptions) {
    this.now = options.now ?? Date.now;
    this.lastTelemetryMs = this.now();
  }

  onAlert(listener: (event: AlertEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Evaluates after every ingest round of `live`; a round that stored a file counts as telemetry. Evaluation
   * errors go to `onError` (the rounds go on).
   */
  follow(live: LiveIngest, onError: (error: unknown) => void): () => void {
    return live.onRound((result) => {
      if (result.outcomes.some((o) => o.status === 'ingested')) {
        this.noteTelemetry();
        this.findingsStale = true;
      }
      this.evaluate().catch(onError);
    });
  }

  /** Resolves when every evaluation started so far has ended. */
  async settled(): Promise<void> {
    await this.running;
  }

  /** A round stored lines: telemetry is flowing. (Finding rules are re-run by `follow` only.) */
  noteTelemetry(): void {
    this.lastTelemetryMs = this.now();
  }

  openAlerts(): AlertEvent[] {
    return [...this.open.values()];
  }

  /** The latest events, oldest first. */
  recent(): AlertEvent[] {
    return [...this.recentEvents];
  }

  /** Evaluates every rule once (evaluations run one at a time); resolves with the events it emitted. */
  evaluate(): Promise<AlertEvent[]> {
    const next = this.running.then(() => this.evaluateNow());
    this.running = next.catch(() => undefined);
    return next;
  }

  private async evaluateNow(): Promise<AlertEvent[]> {
    const now = this.now();
    const needsHandlers = this.options.rules.some(
      (r) => r.kind === 'handler-p95' || (r.kind === 'error-rate' && r.of === 'handler'),
    );
    const needsSequences = this.options.rules.some((r) => r.kind === 'error-rate' && r.of === 'sequence');
    const [handlerRuns, sequenceRuns] = await Promise.all([
      needsHandlers ? this.options.store.entities('handler-run') : [],
      needsSequences ? this.options.store.entities('sequence-run') : [],
    ]);
    const handlerSamples = handlerRuns.map((h) => ({
      name: h.handler,
      atMs: h.settledMs,
      failed: h.status === 'error',
      durationMs: h.durationMs,
    }));
    const sequenceSamples = sequenceRuns
      .filter((s) => s.status === 'completed' || s.status === 'failed')
      .map((s) => ({
        name: s.sequenceName,
        atMs: s.endMs ?? s.startMs,
        failed: s.status === 'failed',
        durationMs: null,
      }));
    // Rounds that stored something since the last analysis: re-run it (one analysis for every finding rule).
    const findingRules = this.options.rules.some((r) => r.kind === 'finding');
    const report = findingRules && this.findingsStale ? await this.currentFindings() : null;
    const events: AlertEvent[] = [];
    for (const rule of this.options.rules) {
      let breaches: Breach[];
      if (rule.kind === 'finding') {
        if (!report) continue; // nothing stored since the last analysis: the finding alerts stand
        // The same selection as `report findings --fail-on <kinds>`, one finding at a time.
        breaches = report.findings
          .filter((f) => f.count >= rule.minCount && findingsFail({ ...report, findings: [f] }, rule.kinds))
          .map((f) => findingBreach(rule, f));
      } else if (rule.kind === 'no-telemetry') {
        const silentMs = now - this.lastTelemetryMs;
        breaches =
          silentMs >= rule.minutes * 60_000
            ? [
                {
                  subject: '',
                  value: silentMs,
                  count: null,
                  threshold: rule.minutes * 60_000,
                  message: `no telemetry for ${(silentMs / 60_000).toFixed(1)} min (rule: ${rule.minutes} min)`,
                },
              ]
            : [];
      } else {
        const samples = rule.kind === 'handler-p95' || rule.of === 'handler' ? handlerSamples : sequenceSamples;
        const pick = rule.kind === 'handler-p95' ? rule.handler : rule.name;
        const from = now - rule.windowMinutes * 60_000;
        const groups = new Map<string, typeof samples>();
        for (const s of samples) {
          if (s.atMs === null || s.atMs <= from || s.atMs > now || (pick !== null && s.name !== pick)) continue;
          const group = groups.get(s.name) ?? [];
          group.push(s);
          groups.set(s.name, group);
        }
        breaches = [];
        for (const [subject, group] of groups) {
          const breach =
            rule.kind === 'handler-p95' ? p95Breach(rule, subject, group) : rateBreach(rule, subject, group);
          if (breach) breaches.push(breach);
        }
      }
      events.push(...this.transition(rule, breaches, now));
    }
    for (const event of events) {
      this.recentEvents.push(event);
      if (this.recentEvents.length > RECENT) this.recentEvents.shift();
      for (const listener of this.listeners) listener(event);
    }
    return events;
  }

  /** The findings of the whole store (no code index), as `report findings` computes them (in parts when large). */
  private async currentFindings(): Promise<FindingsReport> {
    this.findingsStale = false;
    return storeFindings(this.options.store);
  }

  /** Fires the breaches not open yet, resolves the open ones of `rule` that no longer breach. */
  private transition(rule: AlertRule, breaches: readonly Breach[], now: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    const current = new Set<string>();
    for (const b of breaches) {
      const key = `${rule.id}\0${b.subject}`;
      current.add(key);
      if (this.open.has(key)) continue;
      const event: AlertEvent = {
        schema: 'beatscope/alert',
        version: 1,
        state: 'firing',
        rule: rule.id,
        kind: rule.kind,
        subject: b.subject,
        value: b.value,
        threshold: b.threshold,
        count: b.count,
        firedAtMs: now,
        resolvedAtMs: null,
        message: b.message,
        ...(b.finding ? { finding: b.finding } : {}),
      };
      this.open.set(key, event);
      events.push(event);
    }
    for (const [key, fired] of this.open) {
      if (fired.rule !== rule.id || current.has(key)) continue;
      this.open.delete(key);
      events.push({ ...fired, state: 'resolved', resolvedAtMs: now, message: `resolved: ${fired.message}` });
    }
    return events;
  }
}

interface Sample {
  readonly failed: boolean;
  readonly durationMs: number | null;
}

function p95Breach(
  rule: Extract<AlertRule, { kind: 'handler-p95' }>,
  subject: string,
  group: readonly Sample[],
): Breach | null {
  const times = group.flatMap((s) => (s.durationMs === null ? [] : [s.durationMs])).sort((a, b) => a - b);
  if (times.length < rule.minCount) return null;
  const p95 = percentile(times, 0.95)!;
  if (p95 <= rule.thresholdMs) return null;
  return {
    subject,
    value: p95,
    count: times.length,
    threshold: rule.thresholdMs,
    message: `${subject} p95 ${p95.toFixed(1)} ms over ${times.length} runs in ${rule.windowMinutes} min > ${rule.thresholdMs} ms`,
  };
}

function rateBreach(
  rule: Extract<AlertRule, { kind: 'error-rate' }>,
  subject: string,
  group: readonly Sample[],
): Breach | null {
  if (group.length < rule.minCount) return null;
  const failed = group.filter((s) => s.failed).length;
  const rate = failed / group.length;
  if (rate <= rule.threshold) return null;
  return {
    subject,
    value: rate,
    count: group.length,
    threshold: rule.threshold,
    message: `${rule.of} ${subject}: ${failed} of ${group.length} runs failed in ${rule.windowMinutes} min (${(rate * 100).toFixed(1)}% > ${(rule.threshold * 100).toFixed(1)}%)`,
  };
}

function findingBreach(rule: Extract<AlertRule, { kind: 'finding' }>, f: Finding): Breach {
  return {
    subject: f.id,
    value: f.count,
    count: f.count,
    threshold: rule.minCount,
    message: `${f.severity} ${f.kind}: ${f.title} (${f.count}×)`,
    finding: {
      id: f.id,
      kind: f.kind,
      severity: f.severity,
      title: f.title,
      plugin: f.plugin,
      handler: f.handler,
      sequence: f.sequence,
      file: f.file,
      line: f.line,
    },
  };
}
