/**
 * The graph facts (graph-facts.ts) of a whole SQL store, computed in the store: what `graphFactsOf` finds in a
 * trace held in memory, by the same rules, over every run, beat, publish and DataBaton line of a store too large
 * to load. Each query returns groups (a few rows per sequence, handler and key), never rows per run.
 */
import type { CodeIndex, SequenceRegistration } from '../../model/index.js';
import { sqlString } from '../../store/sql-string.js';
import type { Row, SqlStore, TelemetryStore } from '../../store/telemetry-store.js';
import type { PayloadReaders } from '../payload-readers.js';
import { loadTraceData } from '../trace-data.js';
import {
  type ChainGroup,
  type FlowGroup,
  type GraphFacts,
  graphFactsOf,
  type PublishGroup,
  type RunSequence,
  SequenceNames,
  type WriteGroup,
} from './graph-facts.js';
import { type GraphSqlDialect, graphSqlDialect } from './graph-sql-dialect.js';

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => Number(v);
const runOf = (row: Row, prefix: string): RunSequence => ({
  sequenceId: text(row[`${prefix}_seq_id`]),
  sequenceName: String(row[`${prefix}_seq_name`]),
  pluginId: text(row[`${prefix}_plugin`]),
});

/** A store whose `query()` answers the SQL below, in DuckDB's or PostgreSQL's dialect (graph-sql-dialect.ts). */
export function answersGraphSql(store: TelemetryStore): store is SqlStore {
  return graphSqlDialect(store) !== undefined;
}

/**
 * The graph facts of the whole store: in SQL on a SQL store, else from its entities loaded (a store that is not
 * SQL holds them in memory already).
 */
export async function storeGraphFacts(
  store: TelemetryStore,
  code: CodeIndex | undefined,
  readers: PayloadReaders,
  registrations: readonly SequenceRegistration[],
): Promise<GraphFacts> {
  const dialect = graphSqlDialect(store);
  if (dialect === undefined || !answersGraphSql(store)) return graphFactsOf(await loadTraceData(store), code, readers);
  const sequences = (
    await store.query(`SELECT sequence_id AS s_seq_id, sequence_name AS s_seq_name, plugin_id AS s_plugin
FROM sequence_runs GROUP BY 1, 2, 3 ORDER BY max(${dialect.bytewise("file_id || ':' || lpad(start_line::VARCHAR, 10, '0')")})`)
  ).map((r) => runOf(r, 's'));
  const names = new SequenceNames(code, sequences, registrations);
  const [publishes, unattributedPublishes] = await publishGroups(store, dialect, names);
  const [writes, unattributedWrites] = await writeGroups(store, dialect);
  const events = await store.query(
    `SELECT event FROM beat_runs WHERE event IS NOT NULL GROUP BY event ORDER BY ${dialect.bytewise('event')}`,
  );
  return {
    sequences,
    beatEvents: events.map((r) => String(r.event)),
    publishes,
    chains: await chainGroups(store, dialect),
    writes,
    flows: await flowGroups(store, dialect, sequences, names, readers),
    unattributedPublishes,
    unattributedWrites,
  };
}

/**
 * SQL for the innermost interval enclosing each point of the same file and session: the latest-starting one (ties
 * by `tie`). A pairwise range join costs points × intervals of a session (hours on a large console), so: an ASOF
 * join (on PostgreSQL, one window over points and starts: graph-sql-dialect.ts) finds, per point, the latest start before it and the furthest end of every interval starting up to then
 * (a running max); the intervals starting at that latest start settle most points; a point whose running max ends
 * before it lies outside every interval; only the rest (an earlier, longer interval still open: overlapping async
 * work) take the range join.
 * `points`: columns pk (unique), pfile, psession, pos. `intervals`: ifile, isession, lo, hi, any others.
 * `before`: how a start precedes a point. `keep`: a further condition on a pair (p, x). Yields pk and x's columns.
 */
function innermostSql(
  dialect: GraphSqlDialect,
  points: string,
  intervals: string,
  before: '<' | '<=',
  tie: string,
  keep = 'true',
): string {
  const pair = `x.ifile = p.pfile AND x.isession = p.psession AND x.hi >= p.pos AND (${keep})`;
  const best = dialect.firstPerPoint;
  return `WITH p AS (${points}), x AS (${intervals}),
${dialect.lastStarts(before)},
hit AS (${best(`a p JOIN x ON x.lo = p.last_lo AND ${pair}`, tie)}),
slow AS (${best(`(SELECT * FROM a WHERE reach >= pos AND pk NOT IN (SELECT pk FROM hit)) p JOIN x ON x.lo ${before} p.pos AND ${pair}`, `x.lo DESC, ${tie}`)})
SELECT * FROM hit UNION ALL SELECT * FROM slow`;
}

/**
 * Publish lines per publisher (graph-facts.ts `PublishGroup`): the innermost enclosing sequence run, else the
 * innermost beat's sequence; the beat's one handler when the name is not the beat's own event.
 */
async function publishGroups(
  store: SqlStore,
  dialect: GraphSqlDialect,
  names: SequenceNames,
): Promise<[PublishGroup[], number]> {
  const points = `SELECT file_id || '#' || ord AS pk, file_id AS pfile, session_id AS psession, line AS pos FROM publishes`;
  const enclosing = (table: string, columns: string) =>
    innermostSql(
      dialect,
      points,
      `SELECT file_id AS ifile, session_id AS isession, start_line AS lo, end_line AS hi, ord AS iord, ${columns} FROM ${table}`,
      '<=',
      'x.iord',
    );
  const rows = await store.query(`WITH
r AS (${enclosing('sequence_runs', 'sequence_id, sequence_name, plugin_id')}),
b AS (${enclosing('beat_runs', 'sequence_name, plugin_id, event, handlers')})
SELECT r.pk IS NOT NULL AS in_run, r.sequence_id AS r_seq_id,
  coalesce(r.sequence_name, b.sequence_name) AS r_seq_name, CASE WHEN r.pk IS NULL THEN b.plugin_id ELSE r.plugin_id END AS r_plugin,
  CASE WHEN b.pk IS NOT NULL AND b.event IS DISTINCT FROM p.event AND ${dialect.length('b.handlers')} = 1 THEN b.handlers[1] END AS handler,
  b.plugin_id AS beat_plugin, b.sequence_name AS beat_seq_name, p.event, count(*) AS n
FROM publishes p LEFT JOIN r ON r.pk = p.file_id || '#' || p.ord
  LEFT JOIN b ON b.pk = p.file_id || '#' || p.ord
WHERE r.pk IS NOT NULL OR b.sequence_name IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY ${dialect.bytewise('coalesce(r.sequence_name, b.sequence_name)')}, ${dialect.bytewise('p.event')}`);
  const [total] = await store.query('SELECT count(*) AS n FROM publishes');
  const groups = new Map<string, PublishGroup>();
  for (const row of rows) {
    const run = runOf(row, 'r');
    const handler = text(row.handler);
    const handlerPlugin = handler === null ? null : names.owner(text(row.beat_plugin), run, text(row.beat_seq_name));
    const event = String(row.event);
    const id = JSON.stringify([run, handler, handlerPlugin, event]);
    const g = groups.get(id) ?? { run, handler, handlerPlugin, event, count: 0 };
    g.count += num(row.n);
    groups.set(id, g);
  }
  const list = [...groups.values()];
  return [list, num(total?.n ?? 0) - list.reduce((n, g) => n + g.count, 0)];
}

/**
 * Runs enqueued within a beat of another run of their session (chains.ts): the enqueue time is the epoch ms in
 * the request id; the enclosing beat started strictly before it and ended at or after it; the latest-starting
 * such beat (then the later line) is the parent's.
 */
async function chainGroups(store: SqlStore, dialect: GraphSqlDialect): Promise<ChainGroup[]> {
  const parents = innermostSql(
    dialect,
    `SELECT * FROM (SELECT id AS pk, file_id AS pfile, session_id AS psession, ${dialect.requestMs('request_id')} AS pos
  FROM sequence_runs WHERE request_id IS NOT NULL) AS requested WHERE pos IS NOT NULL`,
    `SELECT file_id AS ifile, session_id AS isession, start_ms AS lo, end_ms AS hi, start_line AS iline,
    sequence_run_id AS parent_id FROM beat_runs
  WHERE start_ms IS NOT NULL AND end_ms IS NOT NULL AND sequence_run_id IS NOT NULL`,
    '<',
    'x.iline DESC',
    'x.parent_id <> p.pk',
  );
  const rows = await store.query(`WITH cand AS (${parents})
SELECT p.sequence_id AS p_seq_id, p.sequence_name AS p_seq_name, p.plugin_id AS p_plugin,
  c.sequence_id AS c_seq_id, c.sequence_name AS c_seq_name, c.plugin_id AS c_plugin,
  count(*) AS n, count(*) FILTER (WHERE c.status = 'failed') AS failed,
  ${dialect.listOf('c.duration_ms', `c.file_id, ${dialect.bytewise('c.id')}`, 'c.duration_ms IS NOT NULL')} AS durations
FROM cand JOIN sequence_runs c ON c.id = cand.pk JOIN sequence_runs p ON p.file_id = cand.ifile AND p.id = cand.parent_id
GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY ${dialect.bytewise('p.sequence_name')}, ${dialect.bytewise('c.sequence_name')}`);
  return rows.map((r) => ({
    parent: runOf(r, 'p'),
    child: runOf(r, 'c'),
    count: num(r.n),
    failed: num(r.failed),
    durations: ((r.durations as unknown[] | null) ?? []).map(num),
  }));
}

/** Handler-level DataBaton lines per writer (as the line and its run name it) and key touched. */
async function writeGroups(store: SqlStore, dialect: GraphSqlDialect): Promise<[WriteGroup[], number]> {
  const rows = await store.query(`SELECT d.plugin_id AS plugin, r.id IS NOT NULL AS known,
  r.sequence_id AS r_seq_id, r.sequence_name AS r_seq_name, r.plugin_id AS r_plugin,
  d.sequence_name AS seq_name, d.handler, k.key, count(*) AS n
FROM baton_diffs d LEFT JOIN sequence_runs r ON r.file_id = d.file_id AND r.id = d.sequence_run_id,
  ${dialect.distinctElements('d.added || d.updated || d.removed', 'k')}
WHERE d.level = 'handler' AND d.handler IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY ${dialect.bytewise('d.handler')}, ${dialect.bytewise('k.key')}`);
  const [other] = await store.query(`SELECT count(*) AS n FROM baton_diffs
WHERE (level <> 'handler' OR handler IS NULL) AND ${dialect.length('added')} + ${dialect.length('updated')} + ${dialect.length('removed')} > 0`);
  const groups = rows.map((r) => ({
    pluginId: text(r.plugin),
    run: r.known ? runOf(r, 'r') : null,
    sequenceName: String(r.seq_name),
    handler: String(r.handler),
    key: String(r.key),
    count: num(r.n),
  }));
  return [groups, num(other?.n ?? 0)];
}

/**
 * Writer → reader flows, counted once per sequence run: a handler-level line added or changed K, and a handler
 * run of the same run on a later line reads K in its source. Owners resolve as `SequenceNames.owner` does: the
 * line's plugin, else its run's (the run's own, else its sequence's, passed in as values).
 */
async function flowGroups(
  store: SqlStore,
  dialect: GraphSqlDialect,
  sequences: readonly RunSequence[],
  names: SequenceNames,
  readers: PayloadReaders,
): Promise<FlowGroup[]> {
  const reads: string[] = [];
  for (const [key, list] of readers.byKey)
    for (const r of list) reads.push(`(${sqlString(r.plugin ?? '')}, ${sqlString(r.handler)}, ${sqlString(key)})`);
  if (reads.length === 0 || sequences.length === 0) return [];
  const owners = sequences.map((s) => {
    const owner = names.owner(null, s, null);
    return `(${sqlString(s.sequenceId ?? '')}, ${sqlString(s.sequenceName)}, ${sqlString(s.pluginId ?? '')}, ${owner === null ? 'NULL' : sqlString(owner)})`;
  });
  const rows = await store.query(`WITH owners(sid, sname, splugin, owner) AS (VALUES ${owners.join(', ')}),
reads(plugin, handler, key) AS (VALUES ${reads.join(', ')}),
runs AS (
  SELECT r.file_id, r.id, o.owner FROM sequence_runs r JOIN owners o ON o.sid = coalesce(r.sequence_id, '')
    AND o.sname = r.sequence_name AND o.splugin = coalesce(r.plugin_id, '')),
w AS (
  SELECT d.file_id, d.sequence_run_id AS run_id, d.line, coalesce(d.plugin_id, runs.owner) AS plugin, d.handler,
    k.key
  FROM baton_diffs d JOIN runs ON runs.file_id = d.file_id AND runs.id = d.sequence_run_id,
    ${dialect.distinctElements('d.added || d.updated', 'k')}
  WHERE d.level = 'handler' AND d.handler IS NOT NULL),
h AS (
  SELECT h.file_id, h.sequence_run_id AS run_id, h.line, coalesce(h.plugin_id, runs.owner) AS plugin, h.handler
  FROM handler_runs h JOIN runs ON runs.file_id = h.file_id AND runs.id = h.sequence_run_id)
SELECT w.plugin AS writer_plugin, w.handler AS writer, h.plugin AS reader_plugin, h.handler AS reader, w.key,
  count(DISTINCT w.run_id) AS n
FROM w JOIN h ON h.file_id = w.file_id AND h.run_id = w.run_id AND h.line > w.line
  JOIN reads ON reads.plugin = coalesce(h.plugin, '') AND reads.handler = h.handler AND reads.key = w.key
GROUP BY 1, 2, 3, 4, 5 ORDER BY ${dialect.bytewise('w.handler')}, ${dialect.bytewise('h.handler')}, ${dialect.bytewise('w.key')}`);
  return rows.map((r) => ({
    writerPlugin: text(r.writer_plugin),
    writer: String(r.writer),
    readerPlugin: text(r.reader_plugin),
    reader: String(r.reader),
    key: String(r.key),
    runs: num(r.n),
  }));
}
