/**
 * A Chrome console saved with ISO timestamps whose `🎵 Beat N Started` group headers were filtered out: beats are
 * announced only by `Executing beat`, the PerformanceTracker lines and the `🎯 Event:` group child. Every handler
 * settle line must still land in its beat, with its plugin and its settle time (beat start → settle line).
 * Expected values come from the simulator's ground truth and from the fixture's own line timestamps.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeHandlerPerformance } from '../../src/analyses/handler-performance.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { GroundTruth } from '../../src/simulate/ground-truth.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const DIR = resolve(import.meta.dirname, '../fixtures/chrome-console');
const FIXTURE = join(DIR, 'iso-beat-headers-filtered.log');
const TRUTH = join(DIR, 'iso-beat-headers-filtered.ground-truth.json');

interface Row {
  line: number;
  handler: string;
  plugin: string | null;
  event: string;
  durationMs: number | null;
  source: string;
  beatEvent: string | null;
  beatStartLine: number | null;
  runId: string | null;
  sequence: string | null;
}

const HANDLERS = `
  SELECT h.line, h.handler, h.plugin_id AS plugin, h.event, h.duration_ms AS "durationMs",
    h.duration_source AS source, b.event AS "beatEvent", b.start_line AS "beatStartLine",
    r.id AS "runId", r.sequence_name AS sequence
  FROM handler_runs h LEFT JOIN beat_runs b ON b.id = h.beat_run_id LEFT JOIN sequence_runs r ON r.id = b.sequence_run_id
  ORDER BY h.line`;

/** ms since epoch of the ISO timestamp on a 1-based line of the fixture. */
function timeOfLine(lines: readonly string[], line: number): number {
  const iso = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/.exec(lines[line - 1]!)?.[0];
  if (!iso) throw new Error(`line ${line} has no timestamp`);
  return Date.parse(iso);
}

/** Per run in play order, the (event, handler) pairs linked to its beats, and what the simulator played. */
async function linkedVsPlayed(store: DuckDbStore, rows: readonly Row[], truth: GroundTruth) {
  const runs = (await store.query(
    'SELECT id, sequence_name AS name FROM sequence_runs ORDER BY start_line',
  )) as unknown as {
    id: string;
    name: string;
  }[];
  const plays = truth.sessions[0]!.plays;
  return {
    got: runs.map((run) => ({
      sequence: run.name,
      beats: rows.filter((r) => r.runId === run.id).map((r) => ({ event: r.event, handler: r.handler })),
    })),
    want: plays.map((p) => ({
      sequence: p.sequenceName,
      beats: p.expectedBeats.map((b) => ({ event: b.event, handler: b.handler })),
    })),
  };
}

async function ingestText(text: string): Promise<{ store: DuckDbStore; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'beatscope-attrib-'));
  await writeFile(join(dir, 'console.log'), text);
  const store = await DuckDbStore.open(':memory:');
  const report = await ingest([dir], { store, workers: 0 });
  expect(report.outcomes.map((o) => o.status)).toEqual(['ingested']);
  return { store, dir };
}

describe('handler attribution on an ISO console without beat headers', () => {
  let store: DuckDbStore;
  let dir: string;
  let lines: string[];
  let truth: GroundTruth;
  let rows: Row[];

  beforeAll(async () => {
    const text = await readFile(FIXTURE, 'utf8');
    lines = text.split('\n');
    truth = JSON.parse(await readFile(TRUTH, 'utf8')) as GroundTruth;
    ({ store, dir } = await ingestText(text));
    rows = (await store.query(HANDLERS)) as unknown as Row[];
  });
  afterAll(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the fixture really lacks the beat headers and has handler settle lines', () => {
    expect(lines.some((l) => /🎵 Beat \d+ Started/.test(l))).toBe(false);
    const settleLines = lines.filter((l) => /DataBaton: .* beat=\? .*handler=[^?]/.test(l)).length;
    expect(settleLines).toBeGreaterThan(0);
    expect(rows.filter((r) => lines[r.line - 1]!.includes('DataBaton:')).length).toBe(settleLines);
  });

  it('links every settle line to the beat of its event, in the runs the simulator played', async () => {
    expect(rows.filter((r) => r.runId === null)).toEqual([]);
    for (const r of rows) expect(r.beatEvent).toBe(r.event);
    // Run by run, in play order: the handlers of each beat are the ones the mounted sequence defines.
    const { got, want } = await linkedVsPlayed(store, rows, truth);
    expect(got).toEqual(want);
  });

  it("gives each handler its play's plugin, also when the settle line has no plugin=", async () => {
    const runs = (await store.query('SELECT id FROM sequence_runs ORDER BY start_line')) as unknown as {
      id: string;
    }[];
    const plays = truth.sessions[0]!.plays;
    runs.forEach((run, i) => {
      for (const r of rows.filter((x) => x.runId === run.id)) expect(r.plugin).toBe(plays[i]!.pluginId);
    });
  });

  it('times each handler from its beat start to its settle line (1 ms timestamps)', () => {
    for (const r of rows) {
      expect(r.source).toBe('timestamps');
      expect(r.durationMs).toBe(timeOfLine(lines, r.line) - timeOfLine(lines, r.beatStartLine!));
    }
  });

  it("folds each beat-level `No changes` line into its beat, with the line's time", async () => {
    // Expected from the fixture: per beat-level line, the beat of its event that started last before it.
    const beatLines = lines.flatMap((l, i) => {
      const m = /DataBaton: No changes \| seq=.* beat=(\d+) event=(\S+) handler=\?/.exec(l);
      return m ? [{ line: i + 1, beat: Number(m[1]), event: m[2]! }] : [];
    });
    expect(beatLines.length).toBe(63);
    const beats = (await store.query(
      `SELECT beat, event, start_line AS "startLine", baton_unchanged AS folded, baton_settled_ms AS "settledMs"
       FROM beat_runs ORDER BY start_line`,
    )) as unknown as { beat: number; event: string; startLine: number; folded: number; settledMs: number | null }[];
    const want = beats.map((b) => {
      const mine = beatLines.filter(
        (l) =>
          l.event === b.event &&
          l.beat === b.beat &&
          l.line > b.startLine &&
          beats.every((o) => o === b || o.event !== b.event || o.startLine < b.startLine || o.startLine > l.line),
      );
      return { ...b, folded: mine.length, settledMs: mine.length === 0 ? null : timeOfLine(lines, mine.at(-1)!.line) };
    });
    expect(beats).toEqual(want);
    expect(beats.reduce((n, b) => n + b.folded, 0)).toBe(beatLines.length);
    expect(await store.query(`SELECT count(*) AS n FROM baton_diffs WHERE level = 'beat'`)).toEqual([{ n: 0 }]);
    // The summary still counts every DataBaton line.
    const settle = lines.filter((l) => /DataBaton: .* beat=\? .*handler=[^?]/.test(l)).length;
    expect((await store.summary()).batonDiffs).toBe(settle + beatLines.length);
  });

  it('the heatmap has timed executions for every handler that ran', async () => {
    const report = analyzeHandlerPerformance(await loadTraceData(store));
    // Keyed by plugin too: `notifyUi` of two plugins is two handlers.
    const ran = new Set(rows.map((r) => `${r.plugin}.${r.handler}`));
    const key = (h: { plugin: string | null; name: string }) => `${h.plugin}.${h.name}`;
    for (const h of report.handlers.filter((x) => ran.has(key(x)))) {
      expect(h.timedExecutions + h.settledAfterBeat).toBe(h.executions);
      expect(h.timing.count + h.settleTiming.count).toBeGreaterThan(0);
    }
    expect(report.handlers.filter((h) => ran.has(key(h))).length).toBe(ran.size);
    expect(report.handlers.filter((h) => h.name === 'notifyUi' && h.plugin === null)).toEqual([]);
    expect(report.handlers.reduce((n, h) => n + h.timedExecutions, 0)).toBeGreaterThan(0);
  });
});

describe('a (Batched) variant settling during a later beat', () => {
  it('is attributed by request id, event and handler, not by position', async () => {
    const text = await readFile(FIXTURE, 'utf8');
    const src = text.split('\n');
    // The first initConfig settle line becomes the Batched variant's and settles after the next beat's event line.
    const at = src.findIndex((l) => l.includes('handler=initConfig '));
    const settle = src[at]!.replace('seq=Control Panel UI Init beat=?', 'seq=Control Panel UI Init (Batched) beat=?');
    expect(settle).toContain('(Batched)');
    const nextEvent = src.findIndex((l, i) => i > at && l.includes('🎯 Event:'));
    const moved = [...src.slice(0, at), ...src.slice(at + 1, nextEvent + 1), settle, ...src.slice(nextEvent + 1)];
    const { store, dir } = await ingestText(moved.join('\n'));
    try {
      const rows = (await store.query(HANDLERS)) as unknown as Row[];
      const batched = rows.filter((r) => r.handler === 'initConfig');
      expect(batched.length).toBeGreaterThan(0);
      const first = batched[0]!;
      expect(first.line).toBe(nextEvent + 1);
      expect(first.sequence).toBe('Control Panel UI Init');
      expect(first.beatEvent).toBe('control:panel:ui:init:config');
      expect(first.plugin).toBe('ControlPanelPlugin');
      expect(first.durationMs).toBe(timeOfLine(moved, first.line) - timeOfLine(moved, first.beatStartLine!));
      // The beat it settled during keeps only its own handler.
      const during = rows.filter((r) => r.beatStartLine !== null && r.event !== 'control:panel:ui:init:config');
      for (const r of during) expect(r.beatEvent).toBe(r.event);
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('two runs open at once', () => {
  it('a beat goes to the run its timer line names, not to the newest open run', async () => {
    const src = (await readFile(FIXTURE, 'utf8')).split('\n');
    const truth = JSON.parse(await readFile(TRUTH, 'utf8')) as GroundTruth;
    // The next run starts (dequeued, "Now executing") just before Library Load executes its beat 2, at that time.
    const beat2 = src.findIndex((l) => l.includes('MovementExecutor: Executing beat 2 (2/2)'));
    const from = src.findIndex((l) => l.includes('ExecutionQueue: Dequeued "Header UI Theme Get"'));
    const to = src.findIndex((l) => l.includes('ExecutionQueue: Now executing "Header UI Theme Get"'));
    expect(beat2).toBeGreaterThan(0);
    expect(from).toBeGreaterThan(beat2);
    const iso = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;
    const at = iso.exec(src[beat2]!)![0];
    const started = src.slice(from, to + 1).map((l) => l.replace(iso, at));
    const moved = [...src.slice(0, beat2), ...started, ...src.slice(beat2, from), ...src.slice(to + 1)];
    const { store, dir } = await ingestText(moved.join('\n'));
    try {
      const rows = (await store.query(HANDLERS)) as unknown as Row[];
      expect(rows.filter((r) => r.runId === null)).toEqual([]);
      const { got, want } = await linkedVsPlayed(store, rows, truth);
      expect(got).toEqual(want);
      const beats = await store.query(
        `SELECT b.beat, b.event FROM beat_runs b JOIN sequence_runs r ON r.id = b.sequence_run_id
         WHERE r.sequence_name = 'Library Load' ORDER BY b.start_line`,
      );
      expect(beats).toEqual(truth.sessions[0]!.plays[0]!.expectedBeats.map((b) => ({ beat: b.beat, event: b.event })));
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a console saved mid-run', () => {
  it('keeps the movement it starts inside, with an unknown start and the duration its timing line gives', async () => {
    const src = (await readFile(FIXTURE, 'utf8')).split('\n');
    // The file begins just after "Started timing movement Theme Get": the movement's start is not in it.
    const cut = src.findIndex((l) => l.includes('Started timing movement Theme Get for Header UI Theme Get'));
    const timing = src.find((l) => l.includes('PerformanceTracker: Movement Theme Get completed in '))!;
    const reported = Number(/completed in ([\d.]+)ms/.exec(timing)![1]);
    const { store, dir } = await ingestText(src.slice(cut + 1).join('\n'));
    try {
      const movements = await store.query(
        `SELECT name, start_ms IS NULL AS "unknownStart", duration_ms AS "durationMs", status
         FROM movement_runs ORDER BY start_line LIMIT 1`,
      );
      expect(movements).toEqual([{ name: 'Theme Get', unknownStart: true, durationMs: reported, status: 'completed' }]);
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('settle lines without plugin=', () => {
  it("take their beat's plugin: notifyUi of two plugins stays two handlers", async () => {
    const src = (await readFile(FIXTURE, 'utf8')).split('\n');
    const truth = JSON.parse(await readFile(TRUTH, 'utf8')) as GroundTruth;
    // A handler that changed nothing prints `No changes … handler=<name>` with no plugin=, req= or preview=.
    const noChange = src.map((l) =>
      l.replace(
        /🎽 DataBaton: \S.* \| (seq=.* beat=\? event=\S+ handler=notifyUi) plugin=.*$/,
        '🎽 DataBaton: No changes | $1',
      ),
    );
    const stripped = noChange.filter((l, i) => l !== src[i]);
    expect(stripped.length).toBeGreaterThan(1);
    for (const l of stripped) expect(l).not.toContain('plugin=');
    const { store, dir } = await ingestText(noChange.join('\n'));
    try {
      const rows = (await store.query(HANDLERS)) as unknown as Row[];
      const runs = (await store.query('SELECT id FROM sequence_runs ORDER BY start_line')) as unknown as {
        id: string;
      }[];
      const plays = truth.sessions[0]!.plays;
      runs.forEach((run, i) => {
        for (const r of rows.filter((x) => x.runId === run.id)) expect(r.plugin).toBe(plays[i]!.pluginId);
      });
      const notifyUi = new Set(rows.filter((r) => r.handler === 'notifyUi').map((r) => r.plugin));
      const played = new Set(
        plays.filter((p) => p.expectedBeats.some((b) => b.handler === 'notifyUi')).map((p) => p.pluginId),
      );
      expect(played.size).toBeGreaterThan(1);
      expect(notifyUi).toEqual(played);
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
