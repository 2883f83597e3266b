/**
 * The query parameters `GET /api/reports/<name>` accepts: the options `beatscope report <name>` has that change
 * its JSON (`--top`, the state report's `<key>` and `--request`, the timeline's `--log` and `--at`). `--limit` (text and Markdown rows), `--format`,
 * `--out`, `--fail-on` and `--source-url` do not change the JSON, so they have no parameter here.
 */
import type { AnalysisOptions, ReportEntry } from '../reports/report-definition.js';
import { HttpError } from './http-error.js';

/** Per report, the parameters it takes; `token` is accepted everywhere (the server's own). */
const PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  heatmap: ['top'],
  state: ['key', 'request'],
  timeline: ['log', 'at'],
};

/** Largest `top`: beyond any store's handler count, small enough to stay a number the JSON prints exactly. */
const MAX_TOP = 1_000_000;

/**
 * The analysis options a report's query asks for (no suppressions: the server adds its own); `log` and `at` are
 * what `?log=` and `?at=` name, which the server resolves to `timelineFile` and `timelineLine`.
 */
export type ReportQuery = Pick<
  AnalysisOptions,
  'heatmap' | 'stateKey' | 'stateRequest' | 'timelineFile' | 'timelineLine'
> & {
  readonly log?: string;
  readonly at?: string;
};

/** Reads and checks `params` for `report`; anything unknown, repeated or malformed is a 400. */
export function parseReportQuery(report: ReportEntry, params: URLSearchParams): ReportQuery {
  const accepted = PARAMETERS[report.name] ?? [];
  const named = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw new HttpError(400, `give ?${name}= once`);
    return values[0];
  };
  for (const name of new Set(params.keys())) {
    if (name === 'token' || accepted.includes(name)) continue;
    const hint = accepted.length === 0 ? 'it takes none' : `it takes ${accepted.map((p) => `?${p}=`).join(', ')}`;
    throw new HttpError(400, `the ${report.name} report has no ?${name}= parameter: ${hint}`, { parameters: accepted });
  }
  const query: { -readonly [K in keyof ReportQuery]: ReportQuery[K] } = {};
  const top = named('top');
  if (top !== undefined) {
    if (!/^\d{1,7}$/.test(top) || Number(top) > MAX_TOP)
      throw new HttpError(400, `?top= must be a whole number from 0 to ${MAX_TOP}, got ${JSON.stringify(top)}`);
    query.heatmap = { top: Number(top) };
  }
  const key = named('key');
  const request = named('request');
  const log = named('log');
  const at = named('at');
  for (const [name, value] of [
    ['key', key],
    ['request', request],
    ['log', log],
    ['at', at],
  ] as const)
    if (value !== undefined && value.trim() === '') throw new HttpError(400, `?${name}= must not be empty`);
  if (key !== undefined) query.stateKey = key;
  if (request !== undefined) query.stateRequest = request;
  if (log !== undefined && at !== undefined)
    throw new HttpError(400, '?log= and ?at= both name the log file: give one (?at=<file>:<line> names a line of it)');
  if (log !== undefined) query.log = log;
  if (at !== undefined) query.at = at;
  return query;
}

/** One string per distinct query, for the report cache: equal options, equal key. */
export function queryKey(query: ReportQuery): string {
  return JSON.stringify([
    query.heatmap?.top ?? null,
    query.stateKey ?? null,
    query.stateRequest ?? null,
    query.timelineFile ?? null,
    query.timelineLine ?? null,
  ]);
}
