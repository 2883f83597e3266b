/**
 * The HTTP side of `beatscope serve` (node:http, no framework): docs/serve.md.
 *
 *   GET  /             the live page (live-page.ts)
 *   GET  /api/summary  the store's counts, the same object as `beatscope summary --json`
 *   GET  /api/runs     the latest runs (`?limit=`, default 50, at most 1000), newest last
 *   GET  /api/events   Server-Sent Events: `hello` (summary) on connect, `runs` (new or changed runs + summary)
 *                      after every ingest round that changed something
 *   GET  /api/alerts   open alerts and the latest alert events (with `--alerts`; otherwise both empty)
 *   GET  /api/reports/<name>   what `beatscope report <name> --format json` prints (report-cache.ts), with its
 *                      options as query parameters (report-query.ts)
 *   GET  /reports/<page>.html  the static site's pages, served live (live-report-script.ts)
 *   POST /v1/lines     text/plain console lines, `?source=<name>` (and `&offset=<bytes>` to make a re-send
 *                      idempotent); answered 200 once they are stored, 409 with the spool's `offset` on a gap
 *
 * The SSE stream also carries an `alert` event per alert that fires or resolves. `/v1/lines` answers CORS
 * (`OPTIONS` preflight, `Access-Control-Allow-Origin: *`) for the browser collector (src/collector/collector.ts).
 *
 * When a token is set, every request needs it (`Authorization: Bearer <token>` or `?token=`, which is what the
 * page and EventSource use); compared in constant time. Bodies over `maxBodyBytes` are refused with 413 before
 * anything is written.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Suppression } from '../analyses/findings/findings-types.js';
import { cliJson } from '../cli/json-output.js';
import { LineRefError, sourceLinesOf, timelineTarget } from '../ingest/source-lines.js';
import { allReports, findReport, reportNames } from '../reports/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { AlertEngine, AlertEvent } from './alert-engine.js';
import { HttpError } from './http-error.js';
import { type LiveIngest, OffsetError, type RoundResult, roundChanged, SOURCE_NAME } from './live-ingest.js';
import { livePage } from './live-page.js';
import { liveReportScript } from './live-report-script.js';
import { ReportCache } from './report-cache.js';
import { parseReportQuery } from './report-query.js';

export interface ServeHttpOptions {
  readonly store: TelemetryStore;
  readonly live: LiveIngest;
  /** The alert rules' engine, when `--alerts` is given. */
  readonly alerts?: AlertEngine;
  /** Required on every request when set. */
  readonly token?: string;
  /** Largest accepted POST body, bytes. */
  readonly maxBodyBytes: number;
  /** SSE keep-alive comment interval, ms; default 15 s. */
  readonly keepAliveMs?: number;
  /** Finding ids the reports hide, as `beatscope report` reads them (`.beatscope/suppressions.json`). */
  readonly suppressions?: readonly Suppression[];
  /** The report pages' header: what they are about; default `beatscope serve`. */
  readonly sourceLabel?: string;
  /** `--source-url` template for the report pages' file:line links. */
  readonly sourceUrl?: string;
}

/** The live page's links: the site's overview, then every report page. */
const LIVE_NAV = [{ name: 'index', title: 'Overview' }, ...allReports.map((r) => ({ name: r.name, title: r.title }))];

/** Context lines `GET /api/lines` gives at most around what it is asked for. */
const MAX_CONTEXT_LINES = 50;

/** `/api/reports/<name>` and `/reports/<page>.html`: names are lower-case letters and `-`. */
const REPORT_JSON = /^\/api\/reports\/([a-z-]+)$/;
const REPORT_PAGE = /^\/reports\/([a-z-]+)\.html$/;

export function createServeServer(options: ServeHttpOptions): Server {
  const clients = new Set<ServerResponse>();
  const reports = new ReportCache(options.store, options.live, {
    suppressions: options.suppressions,
    sourceLabel: options.sourceLabel ?? 'beatscope serve',
    sourceUrl: options.sourceUrl,
    liveScript: liveReportScript(),
  });
  options.live.onRound((result: RoundResult) => {
    if (!roundChanged(result)) return;
    const event = sse('runs', { ...envelope('serve-event'), runs: result.runs, summary: result.summary });
    for (const client of clients) client.write(event);
  });
  options.alerts?.onAlert((event: AlertEvent) => {
    const message = sse('alert', event);
    for (const client of clients) client.write(message);
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      const fields = error instanceof HttpError ? error.fields : {};
      if (!res.headersSent) send(res, status, 'application/json', JSON.stringify({ error: message, ...fields }));
      else res.destroy();
      // The rest of a refused body is not read: close the connection instead of draining it.
      if (status === 413) req.destroy();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://beatscope.invalid');
    if (url.pathname === '/v1/lines') {
      // The browser collector posts from the app's origin. Any page could already send this simple POST; CORS
      // only lets it read the answer (counts and offset) and send the token header. Other endpoints stay
      // same-origin.
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-allow-private-network': 'true',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    if (options.token !== undefined && !tokenMatches(req, url, options.token))
      throw new HttpError(401, 'missing or wrong token: send Authorization: Bearer <token> or ?token=');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /': {
        const available = await reports.available();
        const nav = LIVE_NAV.map((r) => ({ ...r, available: r.name === 'index' || available.has(r.name) }));
        return send(res, 200, 'text/html; charset=utf-8', livePage(nav));
      }
      case 'GET /api/summary':
        return send(res, 200, 'application/json', cliJson('summary', await options.store.summary()));
      case 'GET /api/runs': {
        const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
        const runs = await options.live.currentRuns(limit);
        return send(res, 200, 'application/json', JSON.stringify({ ...envelope('serve-runs'), runs }));
      }
      case 'GET /api/lines': {
        // A run's (or any entity's) log lines, read from its log file as `beatscope lines` reads them.
        const ref = url.searchParams.get('ref') ?? '';
        const context = Math.min(MAX_CONTEXT_LINES, Math.max(0, Number(url.searchParams.get('context') ?? 0) || 0));
        const result = await sourceLinesOf(options.store, ref, { context }).catch(notStored);
        return send(res, 200, 'application/json', cliJson('lines', result));
      }
      case 'GET /api/alerts': {
        const body = {
          ...envelope('serve-alerts'),
          rules: options.alerts !== undefined,
          open: options.alerts?.openAlerts() ?? [],
          recent: options.alerts?.recent() ?? [],
        };
        return send(res, 200, 'application/json', JSON.stringify(body));
      }
      case 'GET /api/events': {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(sse('hello', { ...envelope('serve-event'), summary: await options.store.summary() }));
        clients.add(res);
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), options.keepAliveMs ?? 15_000);
        req.on('close', () => {
          clearInterval(keepAlive);
          clients.delete(res);
        });
        return;
      }
      case 'POST /v1/lines': {
        const source = url.searchParams.get('source') ?? '';
        if (!SOURCE_NAME.test(source))
          throw new HttpError(400, 'give ?source=<name>: 1-64 letters, digits, ".", "_" or "-"');
        const type = (req.headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
        if (type !== 'text/plain') throw new HttpError(415, 'send text/plain: one console line per line');
        const offsetParam = url.searchParams.get('offset');
        const offset = offsetParam === null ? undefined : Number(offsetParam);
        if (offset !== undefined && !(Number.isSafeInteger(offset) && offset >= 0 && /^\d+$/.test(offsetParam!)))
          throw new HttpError(400, '?offset= must be a whole number of bytes ≥ 0');
        const body = await readBody(req, options.maxBodyBytes);
        const posted = await options.live.postLines(source, body, offset).catch((error: unknown) => {
          if (error instanceof OffsetError) throw new HttpError(409, error.message, { offset: error.size });
          throw error;
        });
        const { lines, result } = posted;
        const failed = result.outcomes.find((o) => o.status === 'failed');
        if (failed)
          throw new HttpError(
            500,
            `the lines were kept but could not be ingested: ${failed.diagnostics[0]?.message ?? 'failed'}`,
          );
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({
            ...envelope('serve-lines'),
            source,
            lines,
            offset: posted.offset,
            runs: result.runs.length,
          }),
        );
      }
      default: {
        if (req.method === 'GET' && (url.pathname === '/reports' || url.pathname === '/reports/')) {
          res.writeHead(302, { location: `/reports/index.html${url.search}` });
          res.end();
          return;
        }
        const json = req.method === 'GET' ? REPORT_JSON.exec(url.pathname) : null;
        if (json) return sendReportJson(res, options.store, reports, json[1]!, url.searchParams);
        const page = req.method === 'GET' ? REPORT_PAGE.exec(url.pathname) : null;
        if (page) {
          const html = await reports.page(page[1]!);
          if (html === undefined) throw new HttpError(404, `no report page ${page[1]}.html`, { reports: reportNames });
          return send(res, 200, 'text/html; charset=utf-8', html);
        }
        throw new HttpError(
          url.pathname === '/v1/lines' || url.pathname.startsWith('/api/') ? 405 : 404,
          `no ${route}`,
        );
      }
    }
  };
  server.on('close', () => {
    for (const client of clients) client.end();
  });
  return server;
}

/** `GET /api/reports/<name>`: the report's JSON from the cache; 404 for an unknown report, 400 for a bad query. */
async function sendReportJson(
  res: ServerResponse,
  store: TelemetryStore,
  reports: ReportCache,
  name: string,
  params: URLSearchParams,
): Promise<void> {
  const report = findReport(name);
  if (!report)
    throw new HttpError(404, `unknown report "${name}": choose one of ${reportNames.join(', ')}`, {
      reports: reportNames,
    });
  const { log, at, ...query } = parseReportQuery(report, params);
  // `?log=` and `?at=` name a stored log file (and a line) as `report timeline --log` and `--at` do; a name not
  // stored is a 404.
  const target = await timelineTarget(store, { log, at }).catch(notStored);
  const text = await reports.json(report, { ...query, ...target });
  if (text === undefined)
    throw new HttpError(404, `the ${name} report needs a code index: run \`beatscope index <repo-dir>\` on this store`);
  send(res, 200, 'application/json', text);
}

/** A log file or line reference the store does not hold: a 404 with the reason. */
function notStored(error: unknown): never {
  throw error instanceof LineRefError ? new HttpError(404, error.message) : error;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** The `schema`/`version` every JSON output starts with (docs/json-outputs.md); bump on a breaking change. */
const SERVE_JSON_VERSIONS = { 'serve-alerts': 1, 'serve-runs': 1, 'serve-event': 1, 'serve-lines': 1 } as const;
const envelope = (kind: keyof typeof SERVE_JSON_VERSIONS) => ({
  schema: `beatscope/${kind}`,
  version: SERVE_JSON_VERSIONS[kind],
});

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const given = Buffer.from(header ?? url.searchParams.get('token') ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The whole body, refused (413) as soon as it passes `limit` bytes (declared or received). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit)
    throw new HttpError(413, `body over ${limit} bytes: send fewer lines per request`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body over ${limit} bytes: send fewer lines per request`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
