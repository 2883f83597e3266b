/**
 * `beatscope/collector`: a browser snippet that forwards a MusicalConductor app's console to `beatscope serve`
 * (docs/collector.md). It wraps `console.log/info/warn/error/debug/group/groupCollapsed/groupEnd` (each call still
 * reaches the real console first), turns each call into one beatscope console JSONL entry (docs/formats/jsonl-v1.md:
 * `t` epoch ms, `level`, `msg` formatted as Chrome's console shows it, `indent`, `cont` for stack lines) and posts
 * them in batches to `POST /v1/lines?source=…&offset=…`.
 *
 * Delivery: one request at a time; a batch is kept until the server acknowledges it (stored durably), retried after
 * a network error, a timeout or a 5xx with backoff (0.5 s doubling, at most `maxRetryMs`), always with the same
 * bytes at the same `offset`, so a retry of a batch the server had stored is not stored twice. A 409 (the server's
 * spool for this source is not where we think: restarted with another spool, or another page posting as the same
 * source) moves to the server's offset and sends the batch again there. Other 4xx answers (bad token, body too
 * large, bad source) cannot succeed on retry: the batch is dropped and counted. New lines wait in a buffer of at
 * most `maxBufferLines`; when it is full the oldest waiting line is dropped and counted (`dropped`).
 *
 * No dependencies beyond the shared Chrome formatting (pure TypeScript); never writes to the console itself (that
 * would feed its own buffer).
 */
import { formatConsoleArgs } from '../simulate/chrome-format.js';

export interface CollectorOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:4319`. */
  readonly url: string;
  /** Spool name on the server: 1–64 letters, digits, `.`, `_`, `-`; default `web-<8 hex>`, new per page load. */
  readonly source?: string;
  /** The server's `--token`, sent as `Authorization: Bearer …`. */
  readonly token?: string;
  /** Lines per request at most (default 500). */
  readonly batchLines?: number;
  /** Bytes per request at most, UTF-8 (default 512 KiB: half of serve's default `--max-body`). */
  readonly batchBytes?: number;
  /** How long a line may wait before its batch is sent, ms (default 1000). */
  readonly flushMs?: number;
  /** Lines waiting at most; past it the oldest are dropped and counted (default 10,000). */
  readonly maxBufferLines?: number;
  /** Longest wait between retries, ms (default 30,000). */
  readonly maxRetryMs?: number;
  /** A request not answered within this is retried, ms (default 10,000). */
  readonly timeoutMs?: number;
  /** The console to wrap (default `globalThis.console`). */
  readonly console?: Console;
  /** The fetch to use (default `globalThis.fetch`). */
  readonly fetch?: typeof fetch;
}

export interface CollectorStats {
  readonly source: string;
  /** Lines acknowledged by the server. */
  readonly sent: number;
  /** Lines dropped: buffer full (oldest first) or a batch the server refused for good. */
  readonly dropped: number;
  /** Lines waiting, and in the request under way. */
  readonly buffered: number;
  readonly inFlight: number;
  /** Requests that failed and were tried again. */
  readonly retries: number;
  /** Bytes of this source the server holds (its last `offset`). */
  readonly offset: number;
  /** The last failure, as text; null after a success. */
  readonly lastError: string | null;
}

export interface Collector {
  /** Sends what is buffered now; resolves when the buffer is empty and nothing is in flight (or after `stop`). */
  flush(): Promise<void>;
  /** Puts the console back, sends what is left (one more round of tries), stops the timers. */
  stop(): Promise<void>;
  stats(): CollectorStats;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const HEADER = '{"beatscope":"console","version":1}\n';
const SOURCE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export function startCollector(options: CollectorOptions): Collector {
  const target = options.console ?? globalThis.console;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const source = options.source ?? `web-${randomHex(8)}`;
  if (!SOURCE.test(source)) throw new Error(`beatscope collector: bad source name ${JSON.stringify(source)}`);
  const base = options.url.replace(/\/+$/, '');
  const batchLines = options.batchLines ?? 500;
  const batchBytes = options.batchBytes ?? 512 * 1024;
  const flushMs = options.flushMs ?? 1000;
  const maxBuffer = options.maxBufferLines ?? 10_000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const encoder = new TextEncoder();

  /** Entry lines (each ending with `\n`) not yet in a request. */
  const buffer: string[] = [];
  /** The batch being delivered: its exact bytes are re-sent on every try. */
  let batch: { body: string; lines: number } | null = null;
  let offset = 0;
  let headerSent = false;
  let sent = 0;
  let dropped = 0;
  let retries = 0;
  let failures = 0;
  let lastError: string | null = null;
  let indent = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  const idle: (() => void)[] = [];

  const push = (level: string, args: readonly unknown[], group: 'open' | null) => {
    const text = formatConsoleArgs(args);
    const [msg, ...cont] = text.split('\n');
    const entry: Record<string, unknown> = { t: Date.now(), level, msg: msg ?? '' };
    if (indent > 0) entry['indent'] = indent;
    if (cont.length > 0) entry['cont'] = cont;
    if (group === 'open') indent++;
    buffer.push(`${JSON.stringify(entry)}\n`);
    while (buffer.length > maxBuffer) {
      buffer.shift();
      dropped++;
    }
    if (buffer.length >= batchLines) schedule(0);
    else schedule(flushMs);
  };

  const originals = new Map<string, unknown>();
  const wrap = (name: string, level: string, group: 'open' | 'close' | null) => {
    const original = (target as unknown as Record<string, unknown>)[name];
    if (typeof original !== 'function') return;
    originals.set(name, original);
    (target as unknown as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      try {
        if (group === 'close') indent = Math.max(0, indent - 1);
        else if (args.length > 0) push(level, args, group);
        else if (group === 'open') indent++;
      } catch {
        // A value that cannot be formatted is not worth breaking the app's console call for.
      }
      return result;
    };
  };
  for (const m of METHODS) wrap(m, m, null);
  wrap('group', 'log', 'open');
  wrap('groupCollapsed', 'log', 'open');
  wrap('groupEnd', 'log', 'close');

  function schedule(delayMs: number): void {
    if (running || stopped) return;
    if (timer !== null) {
      if (delayMs > 0) return; // a flush is already due
      clearTimeout(timer);
    }
    timer = setTimeout(() => {
      timer = null;
      running = deliver().finally(() => {
        running = null;
        if (buffer.length > 0 && !stopped) schedule(buffer.length >= batchLines ? 0 : flushMs);
        else while (idle.length > 0) idle.shift()!();
      });
    }, delayMs);
  }

  /** Takes the next batch from the buffer: at most `batchLines` lines and `batchBytes` bytes (one line at least). */
  function takeBatch(): { body: string; lines: number } {
    let body = headerSent ? '' : HEADER;
    let bytes = encoder.encode(body).length;
    let lines = 0;
    while (buffer.length > 0 && lines < batchLines) {
      const next = buffer[0]!;
      const size = encoder.encode(next).length;
      if (lines > 0 && bytes + size > batchBytes) break;
      body += next;
      bytes += size;
      lines++;
      buffer.shift();
    }
    return { body, lines };
  }

  /** Delivers batches until the buffer is empty; a failed try waits its backoff and tries the same bytes again. */
  async function deliver(once = false): Promise<void> {
    while (batch || buffer.length > 0) {
      batch ??= takeBatch();
      const outcome = await post(batch.body);
      if (outcome === 'ok' || outcome === 'refused') {
        if (outcome === 'ok') sent += batch.lines;
        else dropped += batch.lines;
        if (outcome === 'ok') headerSent = true;
        batch = null;
        failures = 0;
        continue;
      }
      if (outcome === 'moved') continue; // same bytes at the server's offset, right away
      retries++;
      failures++;
      if (once || stopped) return;
      await sleep(Math.min(maxRetryMs, 500 * 2 ** (failures - 1)));
    }
  }

  async function post(body: string): Promise<'ok' | 'refused' | 'moved' | 'retry'> {
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timeout = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
    try {
      const response = await doFetch(`${base}/v1/lines?source=${encodeURIComponent(source)}&offset=${offset}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        ...(controller ? { signal: controller.signal } : {}),
      });
      const answer = (await response.json().catch(() => ({}))) as { offset?: unknown; error?: unknown };
      if (response.status === 200 && typeof answer.offset === 'number') {
        offset = answer.offset;
        lastError = null;
        return 'ok';
      }
      lastError = `HTTP ${response.status}${typeof answer.error === 'string' ? `: ${answer.error}` : ''}`;
      if (response.status === 409 && typeof answer.offset === 'number' && answer.offset !== offset) {
        // The header belongs at the start of the source's stream only.
        if (answer.offset === 0 && !body.startsWith(HEADER) && batch) batch = { ...batch, body: HEADER + body };
        else if (answer.offset > 0 && body.startsWith(HEADER) && batch)
          batch = { ...batch, body: body.slice(HEADER.length) };
        offset = answer.offset;
        return 'moved';
      }
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
        return 'refused';
      return 'retry';
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      return 'retry';
    } finally {
      if (timeout !== null) clearTimeout(timeout);
    }
  }

  return {
    flush() {
      if (!running && (batch || buffer.length > 0)) schedule(0);
      if (!running && timer === null) return Promise.resolve();
      return new Promise<void>((done) => idle.push(done));
    },
    async stop() {
      if (stopped) return;
      for (const [name, original] of originals) (target as unknown as Record<string, unknown>)[name] = original;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      stopped = true;
      if (running) await running;
      await deliver(true);
      while (idle.length > 0) idle.shift()!();
    },
    stats: () => ({
      source,
      sent,
      dropped,
      buffered: buffer.length,
      inFlight: batch?.lines ?? 0,
      retries,
      offset,
      lastError,
    }),
  };
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

function randomHex(length: number): string {
  const bytes = new Uint8Array(length / 2);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
