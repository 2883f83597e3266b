/**
 * `beatscope serve`: one process that keeps a store up to date from lines posted over HTTP and from watched
 * folders, and serves the live page, the JSON API and the SSE stream (serve/http-server.ts, docs/serve.md).
 * Loopback only unless a token is given; runs until SIGINT or SIGTERM, then finishes the ingest round under way.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { AlertDelivery } from '../../serve/alert-delivery.js';
import { AlertEngine } from '../../serve/alert-engine.js';
import { type AlertRule, parseAlertRules } from '../../serve/alert-rules.js';
import { FolderWatch } from '../../serve/folder-watch.js';
import { createServeServer } from '../../serve/http-server.js';
import { LiveIngest } from '../../serve/live-ingest.js';
import { OtlpForward } from '../../serve/otlp-forward.js';
import { isPostgresUrl, redact } from '../../store/postgres/postgres-url.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { checkSourceUrl } from '../source-url-option.js';
import { suppressions } from './report.js';

export interface ServeOptions {
  readonly db: string;
  readonly watch?: readonly string[];
  readonly port: number;
  readonly host: string;
  readonly token?: string;
  readonly spool?: string;
  readonly maxBody: number;
  readonly pollMs: number;
  readonly alerts?: string;
  readonly alertsLog?: string;
  readonly alertsWebhook?: string;
  readonly alertsEvalMs: number;
  readonly otlpEndpoint?: string;
  readonly sourceUrl?: string;
}

/** Reads and checks the `--alerts` file: any problem is a usage error (exit 2) before the server starts. */
async function readRules(opts: ServeOptions): Promise<AlertRule[] | null> {
  if (opts.alerts === undefined) {
    if (opts.alertsLog !== undefined || opts.alertsWebhook !== undefined)
      throw new UsageError('--alerts-log and --alerts-webhook need --alerts <rules.json>');
    return null;
  }
  if (opts.alertsWebhook !== undefined && !/^https?:\/\/[^\s]+$/.test(opts.alertsWebhook))
    throw new UsageError(
      `--alerts-webhook must be an http:// or https:// URL, got ${JSON.stringify(opts.alertsWebhook)}`,
    );
  if (!(opts.alertsEvalMs >= 100)) throw new UsageError('--alerts-eval-ms must be at least 100');
  let text: string;
  try {
    text = await readFile(opts.alerts, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --alerts ${opts.alerts}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return parseAlertRules(text);
  } catch (error) {
    throw new UsageError(`bad alert rules in ${opts.alerts}: ${(error as Error).message}`);
  }
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export async function runServe(opts: ServeOptions): Promise<void> {
  const token = opts.token ?? (process.env['BEATSCOPE_TOKEN'] || undefined);
  if (!isLoopback(opts.host) && !token)
    throw new UsageError(
      `refusing to serve on ${opts.host} without a token: anyone who can reach it could read and post telemetry`,
      'pass --token <secret> (or set BEATSCOPE_TOKEN), or keep the default --host 127.0.0.1',
    );
  if (token !== undefined && token.length < 8) throw new UsageError('--token must be at least 8 characters');
  const rules = await readRules(opts);
  checkSourceUrl(opts.sourceUrl);
  const hidden = await suppressions();
  if (opts.otlpEndpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(opts.otlpEndpoint))
    throw new UsageError(
      `--otlp-endpoint must be an http:// or https:// URL, got ${JSON.stringify(opts.otlpEndpoint)}`,
      'e.g. --otlp-endpoint http://127.0.0.1:4318/v1/traces (the path is used as given)',
    );
  // A PostgreSQL store has no folder: its spool defaults to .beatscope/spool on this machine.
  const spoolBeside = isPostgresUrl(opts.db) ? '.beatscope' : dirname(resolve(opts.db));
  const spool = resolve(opts.spool ?? join(spoolBeside, 'spool'));
  await mkdir(spool, { recursive: true });
  const store = await openStore(opts.db, 'write');
  const live = new LiveIngest(store, spool);
  await live.init();
  const alerts = rules ? new AlertEngine({ rules, store }) : null;
  const delivery = rules
    ? new AlertDelivery({
        ...(opts.alertsLog !== undefined ? { logFile: resolve(opts.alertsLog) } : {}),
        ...(opts.alertsWebhook !== undefined ? { webhook: opts.alertsWebhook } : {}),
      })
    : null;
  if (alerts && delivery) {
    alerts.onAlert((event) => delivery.deliver(event));
    alerts.follow(live, alertError);
  }
  const forward = opts.otlpEndpoint !== undefined ? new OtlpForward({ url: opts.otlpEndpoint, store }) : null;
  forward?.follow(live);
  await live.recoverSpool();
  const server = createServeServer({
    store,
    live,
    maxBodyBytes: opts.maxBody,
    suppressions: hidden,
    sourceLabel: redact(opts.db),
    ...(opts.sourceUrl !== undefined ? { sourceUrl: opts.sourceUrl } : {}),
    ...(token ? { token } : {}),
    ...(alerts ? { alerts } : {}),
  });
  const watch =
    opts.watch && opts.watch.length > 0
      ? new FolderWatch({
          inputs: opts.watch,
          intervalMs: opts.pollMs,
          ingest: (paths) => live.ingestFiles(paths),
          onError: (error) => process.stderr.write(`beatscope serve: watch: ${(error as Error).message}\n`),
        })
      : null;
  await new Promise<void>((ok, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(new UsageError(`cannot listen on ${opts.host}:${opts.port}: ${error.code ?? error.message}`)),
    );
    server.listen(opts.port, opts.host, ok);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host;
  process.stdout.write(
    `beatscope serve: http://${host}:${port}/ (store ${redact(opts.db)}, spool ${spool}${watch ? `, watching ${opts.watch!.join(', ')}` : ''})\n` +
      `post lines: curl --data-binary @app.log -H 'Content-Type: text/plain' 'http://${host}:${port}/v1/lines?source=app'${token ? ' -H "Authorization: Bearer $BEATSCOPE_TOKEN"' : ''}\n`,
  );
  watch?.start();
  // A tick while an evaluation is still under way is skipped: slow evaluations never pile up.
  let evaluating = false;
  const alertTimer = alerts
    ? setInterval(() => {
        if (evaluating) return;
        evaluating = true;
        alerts
          .evaluate()
          .catch(alertError)
          .finally(() => {
            evaluating = false;
          });
      }, opts.alertsEvalMs)
    : null;
  await alerts?.evaluate().catch(alertError);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  if (alertTimer) clearInterval(alertTimer);
  await watch?.stop();
  server.close();
  server.closeAllConnections();
  await live.idle();
  // Alerts already handed to the webhook get a few seconds to go out; stopping does not wait for every retry.
  if (delivery) await Promise.race([delivery.flushed(), new Promise((ok) => setTimeout(ok, 5000).unref())]);
  // Runs still queued for the OTLP endpoint get a few seconds too; what is left is reported, not kept.
  if (forward) {
    await Promise.race([forward.flushed(), new Promise((ok) => setTimeout(ok, 5000).unref())]);
    forward.stop();
    await forward.flushed();
    const s = forward.stats();
    process.stdout.write(
      `beatscope serve: OTLP: ${s.sent} runs sent, ${s.dropped} dropped (queue full), ${s.queued} not sent\n`,
    );
  }
  await store.close();
  process.stdout.write('beatscope serve: stopped\n');
}

const alertError = (error: unknown) =>
  process.stderr.write(`beatscope serve: alert evaluation failed: ${(error as Error).message}\n`);
