/**
 * `serve --otlp-endpoint <url>`: after each ingest round, the runs that round ended are converted by the same
 * `toOtlp` as `beatscope export --format otlp` (same trace and span ids for the same store) and POSTed to the
 * URL as one OTLP/JSON request (`Content-Type: application/json`).
 *
 * Delivery is in the background and never blocks ingest: rounds hand over run ids and return at once;
 * conversion and sending happen one batch at a time, in order. A batch is retried on a network error, a timeout or
 * a non-2xx answer with backoff (`backoffMs`, doubled after each failure up to `maxBackoffMs`), without a limit on
 * tries while it is at the head of the queue: at-least-once, a run is sent again only when its POST failed
 * or timed out (the receiver may have kept it). The queue is bounded (`maxBatches`): when full, the oldest
 * waiting batch is dropped and its runs counted in `dropped`. Nothing is kept across a restart.
 */
import { loadTraceData } from '../analyses/trace-data.js';
import { otlpTraceId, toOtlp } from '../exports/otlp.js';
import type { OtlpTraceRequest } from '../exports/otlp-types.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { LiveIngest } from './live-ingest.js';

/** A run a round ended: its place (`path:line`, stable while its file grows) and its store id then. */
export interface EndedRun {
  readonly key: string;
  readonly id: string;
}

export interface OtlpForwardOptions {
  readonly url: string;
  readonly store: TelemetryStore;
  /** Batches (one per ingest round that ended runs) waiting at most; default 256. */
  readonly maxBatches?: number;
  /** First retry delay, ms; default 1000. */
  readonly backoffMs?: number;
  /** Longest retry delay, ms; default 30 000. */
  readonly maxBackoffMs?: number;
  /** Per-request timeout, ms; default 10 000. */
  readonly timeoutMs?: number;
  readonly serviceName?: string;
  readonly stderr?: (line: string) => void;
}

/** Counts since start, in runs (a run is one trace). */
export interface OtlpForwardStats {
  /** Runs in requests the endpoint answered with 2xx. */
  readonly sent: number;
  /** Runs dropped from a full queue before they were sent. */
  readonly dropped: number;
  /** Failed POSTs (each retried). */
  readonly failures: number;
  /** Runs waiting. */
  readonly queued: number;
}

export class OtlpForward {
  private readonly queue: EndedRun[][] = [];
  private draining: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private sent = 0;
  private dropped = 0;
  private failures = 0;
  private readonly err: (line: string) => void;

  constructor(private readonly options: OtlpForwardOptions) {
    this.err = options.stderr ?? ((line) => process.stderr.write(line));
  }

  /** Forwards the runs every round of `live` ends. Returns the unsubscribe function. */
  follow(live: LiveIngest): () => void {
    return live.onRound((result) => this.enqueue(result.endedRuns));
  }

  /** Queues these runs; never waits. */
  enqueue(runs: readonly EndedRun[]): void {
    if (runs.length === 0 || this.stopped) return;
    this.queue.push([...runs]);
    const max = Math.max(1, this.options.maxBatches ?? 256);
    // The batch at the head may be in flight; it stays, so what is dropped is the oldest one still waiting.
    while (this.queue.length > max) {
      const index = this.draining && this.queue.length > 1 ? 1 : 0;
      this.dropped += this.queue.splice(index, 1)[0]!.length;
    }
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  stats(): OtlpForwardStats {
    return {
      sent: this.sent,
      dropped: this.dropped,
      failures: this.failures,
      queued: this.queue.reduce((n, b) => n + b.length, 0),
    };
  }

  /** Resolves once the queue is empty (everything sent), or at once after `stop()`. */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops retrying: what is still queued is left (and counted in `queued`). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async drain(): Promise<void> {
    let delay = this.options.backoffMs ?? 1000;
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue[0]!;
      let problem: string;
      try {
        const body = await this.convert(batch);
        if (body === null) {
          this.queue.shift();
          continue;
        }
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          // The head may have changed only by drops behind it: it is still this batch.
          this.queue.shift();
          this.sent += batch.length;
          delay = this.options.backoffMs ?? 1000;
          continue;
        }
        problem = `HTTP ${response.status}`;
      } catch (error) {
        problem = (error as Error).message;
      }
      this.failures++;
      // stop() may have come while the request was in flight: then no retry is scheduled.
      if (this.stopped) break;
      this.err(`beatscope serve: OTLP endpoint: ${problem}; retrying in ${delay} ms\n`);
      await new Promise<void>((ok) => {
        const timer = setTimeout(ok, delay);
        this.wake = () => {
          clearTimeout(timer);
          ok();
        };
      });
      this.wake = null;
      delay = Math.min(delay * 2, this.options.maxBackoffMs ?? 30_000);
    }
  }

  /**
   * The OTLP/JSON body for these runs: the store's `toOtlp` output narrowed to their traces (so ids equal the
   * export's now). A run whose file grew since its round has a new id: it is found again by its place (`key`).
   * Null when none of them has a trace (no start time).
   */
  private async convert(runs: readonly EndedRun[]): Promise<string | null> {
    const store = this.options.store;
    const [data, codeIndex, files] = await Promise.all([loadTraceData(store), store.loadCodeIndex(), store.files()]);
    const pathOf = new Map(files.map((f) => [f.fileId, f.path]));
    const idAt = new Map(
      data.runs.map((r) => [`${pathOf.get(r.span.fileId) ?? r.span.fileId}:${r.span.startLine}`, r.id]),
    );
    const runIds = runs.map((r) => idAt.get(r.key) ?? r.id);
    const { request } = toOtlp(data, {
      files,
      ...(codeIndex ? { codeIndex: codeIndex.index } : {}),
      ...(this.options.serviceName !== undefined ? { serviceName: this.options.serviceName } : {}),
    });
    const narrowed = onlyTraces(request, new Set(runIds.map(otlpTraceId)));
    return narrowed.resourceSpans.length === 0 ? null : JSON.stringify(narrowed);
  }
}

/** The request with only the spans of these traces; resources and scopes left empty are removed. */
export function onlyTraces(request: OtlpTraceRequest, traceIds: ReadonlySet<string>): OtlpTraceRequest {
  const resourceSpans = request.resourceSpans.flatMap((resource) => {
    const scopeSpans = resource.scopeSpans.flatMap((scope) => {
      const spans = scope.spans.filter((s) => traceIds.has(s.traceId));
      return spans.length === 0 ? [] : [{ ...scope, spans }];
    });
    return scopeSpans.length === 0 ? [] : [{ ...resource, scopeSpans }];
  });
  return { resourceSpans };
}
