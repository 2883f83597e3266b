/**
 * The parts of the graph facts' SQL (graph-facts-sql.ts) that DuckDB and PostgreSQL spell differently; the rest of
 * each query is one text both accept (positional GROUP BY, FILTER, window functions, `||` on lists and arrays).
 * The two answer the same rows: a test compares the facts of each store with those of the trace in memory.
 */
import { DUCKDB_SQL, POSTGRES_SQL, type SqlDialect } from '../../store/sql-dialect.js';
import { isSqlStore, type SqlStore, type TelemetryStore } from '../../store/telemetry-store.js';

export interface GraphSqlDialect extends SqlDialect {
  /** `text` ordered by code point, as DuckDB orders text and JS compares it (PostgreSQL: the "C" collation). */
  readonly bytewise: (text: string) => string;
  /** A FROM item: one row per distinct non-null element of `list`, as `alias(key)`. */
  readonly distinctElements: (list: string, alias: string) => string;
  /** The epoch ms a request id ends with (`…-<13 digits>-<suffix>`), else NULL. */
  readonly requestMs: (requestId: string) => string;
  /** For each point, the latest interval start before it and the furthest end of the intervals up to it. */
  readonly lastStarts: (before: '<' | '<=') => string;
  /** Of `from`'s rows, the first per `p.pk` in `order`, as `p.pk, x.*`. */
  readonly firstPerPoint: (from: string, order: string) => string;
}

const DUCKDB: GraphSqlDialect = {
  ...DUCKDB_SQL,
  bytewise: (text) => text,
  distinctElements: (list, alias) => `unnest(list_distinct(${list})) AS ${alias}(key)`,
  requestMs: (id) => `TRY_CAST(regexp_extract(${id}, '-(\\d{13})-[a-z0-9]+$', 1, 'i') AS BIGINT)`,
  // An ASOF join: per point, the reach row of the latest start before it.
  lastStarts: (
    before,
  ) => `reach AS (SELECT ifile, isession, lo, max(hi) OVER (PARTITION BY ifile, isession ORDER BY lo ROWS UNBOUNDED PRECEDING) AS reach FROM x),
a AS (SELECT p.*, r.lo AS last_lo, r.reach FROM p ASOF JOIN reach r ON r.ifile = p.pfile AND r.isession = p.psession AND r.lo ${before} p.pos)`,
  firstPerPoint: (from, order) =>
    `SELECT * EXCLUDE (rn) FROM (SELECT p.pk, x.*, row_number() OVER (PARTITION BY p.pk ORDER BY ${order}) AS rn
  FROM ${from}) WHERE rn = 1`,
};

/**
 * PostgreSQL has no ASOF join: points and interval starts go through one window per file and session, ordered by
 * position (at an equal position, starts come first when a start at the point counts as before it), and each point
 * takes the latest start and the furthest end seen so far. Points before every start are dropped, as the ASOF
 * join drops them.
 */
const POSTGRES: GraphSqlDialect = {
  ...POSTGRES_SQL,
  bytewise: (text) => `(${text}) COLLATE "C"`,
  distinctElements: (list, alias) =>
    `LATERAL (SELECT DISTINCT e FROM unnest(${list}) AS u(e) WHERE e IS NOT NULL) AS ${alias}(key)`,
  requestMs: (id) => `((regexp_match(${id}, '-(\\d{13})-[a-z0-9]+$', 'i'))[1])::bigint`,
  lastStarts: (before) => {
    const [pointRank, startRank] = before === '<=' ? [1, 0] : [0, 1];
    return `ev AS (
  SELECT pfile AS f, psession AS s, pos, ${pointRank} AS k, pk, NULL::bigint AS lo, NULL::bigint AS hi FROM p
  UNION ALL SELECT ifile, isession, lo, ${startRank}, NULL, lo, hi FROM x),
w AS (SELECT pk, max(lo) OVER o AS last_lo, max(hi) OVER o AS reach FROM ev
  WINDOW o AS (PARTITION BY f, s ORDER BY pos, k ROWS UNBOUNDED PRECEDING)),
a AS (SELECT p.*, w.last_lo, w.reach FROM w JOIN p ON p.pk = w.pk WHERE w.last_lo IS NOT NULL)`;
  },
  firstPerPoint: (from, order) => `SELECT DISTINCT ON (p.pk) p.pk, x.* FROM ${from} ORDER BY p.pk, ${order}`,
};

/** The dialect of a store whose `query()` answers SQL the graph facts can use; undefined for other stores. */
export function graphSqlDialect(store: TelemetryStore): GraphSqlDialect | undefined {
  if (!isSqlStore(store)) return undefined;
  const dialect = (store as SqlStore & { readonly sqlDialect?: string }).sqlDialect ?? 'duckdb';
  return dialect === 'duckdb' ? DUCKDB : dialect === 'postgres' ? POSTGRES : undefined;
}
