/**
 * Delivers `serve --alerts` events (alert-engine.ts): one line on stdout, one JSON line appended to the
 * `--alerts-log` file, and a POST of the event's JSON to the `--alerts-webhook` URL. The webhook is sent in the
 * background, in order, retried on a network error or a non-2xx answer with backoff (1 s, 2 s, 4 s … up to
 * `attempts` tries, each given `timeoutMs`): delivery never waits on ingest and ingest never waits on it.
 * An event still failing after its last try is dropped with a line on stderr.
 */
import { appendFile } from 'node:fs/promises';
import type { AlertEvent } from './alert-engine.js';

export interface AlertDeliveryOptions {
  readonly logFile?: string;
  readonly webhook?: string;
  /** Tries per webhook event; default 5. */
  readonly attempts?: number;
  /** First retry delay, ms, doubled after each failure; default 1000. */
  readonly backoffMs?: number;
  /** Per-request timeout, ms; default 10 000. */
  readonly timeoutMs?: number;
  readonly stdout?: (line: string) => void;
  readonly stderr?: (line: string) => void;
}

export class AlertDelivery {
  private webhookQueue: Promise<void> = Promise.resolve();
  private fileQueue: Promise<void> = Promise.resolve();
  private readonly out: (line: string) => void;
  private readonly err: (line: string) => void;

  constructor(private readonly options: AlertDeliveryOptions) {
    this.out = options.stdout ?? ((line) => process.stdout.write(line));
    this.err = options.stderr ?? ((line) => process.stderr.write(line));
  }

  deliver(event: AlertEvent): void {
    this.out(
      `beatscope serve: alert ${event.state} ${event.rule}${event.subject ? ` [${event.subject}]` : ''}: ${event.message}\n`,
    );
    const json = JSON.stringify(event);
    const { logFile, webhook } = this.options;
    if (logFile !== undefined)
      this.fileQueue = this.fileQueue.then(() =>
        appendFile(logFile, `${json}\n`).catch((error: Error) =>
          this.err(`beatscope serve: alerts log ${logFile}: ${error.message}\n`),
        ),
      );
    if (webhook !== undefined) this.webhookQueue = this.webhookQueue.then(() => this.post(webhook, json));
  }

  /** Resolves once every event handed over so far is written and sent (or given up). */
  async flushed(): Promise<void> {
    await Promise.all([this.fileQueue, this.webhookQueue]);
  }

  private async post(url: string, body: string): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    let delay = this.options.backoffMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        problem = (error as Error).message;
      }
      if (attempt >= attempts) {
        this.err(`beatscope serve: alert webhook gave up after ${attempts} tries: ${problem}\n`);
        return;
      }
      await new Promise((ok) => setTimeout(ok, delay));
      delay *= 2;
    }
  }
}
