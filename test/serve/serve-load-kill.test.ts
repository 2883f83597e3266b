/**
 * Load and faults on the built `beatscope serve` binary over loopback, with consoles made by the real conductor
 * (the demo simulator): 4 posters at once, each posting its console in fixed batches, leave a store equal to a
 * one-shot `beatscope ingest` of the same consoles; a server killed with SIGKILL mid-stream and restarted on the
 * same store and spool loses no acknowledged line and stores none twice, posters re-sending the batches that were
 * not acknowledged (with `offset`, so a batch that reached the spool before the kill is not appended again); a
 * watched file that kept growing while the server was down is read on from where it stood. Each runs on a DuckDB file
 * and on a PostgreSQL database (a real server, test/store/postgres-server.ts); on PostgreSQL, two servers and two
 * `beatscope ingest` processes write the same database at once and every line is stored once.
 * Bounded: 4 posters × one simulated session each, batches of 60 lines, every wait ≤ 30 s, each test ≤ 5 min
 * (about 15 s on an idle machine; 2.5 min at load average 17).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { BIN, beatscope } from '../cli/run-beatscope.js';
import { type StartedServe, startServe as startBinary } from '../cli/start-serve.js';
import { type PostgresServer, startPostgres } from '../store/postgres-server.js';

const POSTERS = 4;
const BATCH = 60;

let dir: string;
let postgres: PostgresServer;
/** One console per poster: the same simulated session moved to another day (a content is stored once). */
let consoles: string[][];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'beatscope-serve-load-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'sim'), sessions: 1, seed: 11 });
  const log = readdirSync(join(dir, 'sim')).find((f) => f.endsWith('.log'))!;
  const lines = readFileSync(join(dir, 'sim', log), 'utf8')
    .split('\n')
    .slice(0, -1);
  const date = /(\d{4}-\d{2}-)(\d{2})T/.exec(lines.find((l) => /\d{4}-\d{2}-\d{2}T/.test(l))!)!;
  consoles = Array.from({ length: POSTERS }, (_, k) =>
    lines.map((l) => l.replaceAll(date[0], `${date[1]}${String(10 + k).padStart(2, '0')}T`)),
  );
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type StoreKind = 'duckdb' | 'postgres';

/** A new, empty store of `kind` named `name`: a DuckDB file in the test directory or a database on the server. */
async function newStore(kind: StoreKind, name: string): Promise<string> {
  return kind === 'duckdb' ? join(dir, `${name}.duckdb`) : postgres.createDatabase(name);
}

/** The built binary on a free port. */
const startServe = (args: readonly string[]): Promise<StartedServe> => startBinary(['--port', '0', ...args]);

/** `GET /api/summary`, tried again when a keep-alive socket was closed under it (a slow machine). */
async function summaryOf(base: string): Promise<Record<string, number>> {
  for (let i = 0; ; i++) {
    try {
      return (await (await fetch(`${base}api/summary`)).json()) as Record<string, number>;
    } catch (error) {
      if (i >= 4) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function stop(serve: StartedServe): Promise<void> {
  serve.child.kill('SIGTERM');
  expect(await serve.exited).toBe(0);
}

/** `summary --json` of a one-shot `beatscope ingest` of `files`. */
function oneShot(files: string[], name: string): unknown {
  const db = join(dir, `${name}.duckdb`);
  const r = beatscope('ingest', ...files, '--db', db);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(beatscope('summary', '--json', '--db', db).out);
}

const batches = (lines: string[]) =>
  Array.from(
    { length: Math.ceil(lines.length / BATCH) },
    (_, i) => `${lines.slice(i * BATCH, (i + 1) * BATCH).join('\n')}\n`,
  );

/** Posts `body` at byte `offset` of the source's stream; the answer's JSON, or null when the connection failed. */
async function post(
  base: string,
  source: string,
  body: string,
  offset: number,
): Promise<Record<string, unknown> | null> {
  try {
    const r = await fetch(`${base}v1/lines?source=${source}&offset=${offset}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
    });
    const json = (await r.json()) as Record<string, unknown>;
    expect(r.status, JSON.stringify(json)).toBe(200);
    return json;
  } catch (error) {
    if ((error as Error).name === 'AssertionError') throw error;
    return null;
  }
}

/** Writes the consoles as log files `<name>-<k>.log`, as a one-shot ingest reads them. */
function consoleFiles(name: string, which: readonly number[] = consoles.map((_, k) => k)): string[] {
  return which.map((k) => {
    const path = join(dir, `${name}-${k}.log`);
    writeFileSync(path, `${consoles[k]!.join('\n')}\n`);
    return path;
  });
}

/** Posts console `k` as source `p<k>` in fixed batches, each acknowledged with its lines and the next offset. */
async function postConsole(base: string, k: number): Promise<void> {
  let offset = 0;
  for (const body of batches(consoles[k]!)) {
    const answer = await post(base, `p${k}`, body, offset);
    offset += Buffer.byteLength(body);
    expect(answer).toMatchObject({ source: `p${k}`, lines: body.split('\n').length - 1, offset });
  }
}

for (const kind of ['duckdb', 'postgres'] as const) describeServeOn(kind);

function describeServeOn(kind: StoreKind): void {
  describe(`beatscope serve under load (${kind})`, () => {
    it(`stores ${POSTERS} concurrent posters' consoles as a one-shot ingest of them does`, async () => {
      const serve = await startServe([
        '--db',
        await newStore(kind, 'load'),
        '--spool',
        join(dir, `${kind}-load-spool`),
      ]);
      try {
        await Promise.all(consoles.map((_, k) => postConsole(serve.base, k)));
        const live = await summaryOf(serve.base);
        expect(live).toEqual(oneShot(consoleFiles('load'), `${kind}-load-one-shot`));
        expect(live.lines).toBe(POSTERS * consoles[0]!.length);
      } finally {
        await stop(serve);
      }
    }, 300_000);
  });

  describe(`beatscope serve killed with SIGKILL (${kind})`, () => {
    it('loses no acknowledged line and stores none twice; posters resume, a watched file is read on', async () => {
      const db = await newStore(kind, 'kill');
      const watched = join(dir, `${kind}-watched`);
      mkdirSync(watched);
      const watchedFile = join(watched, 'app.log');
      const watchedLines = consoles[0]!;
      const third = Math.floor(watchedLines.length / 3);
      writeFileSync(watchedFile, `${watchedLines.slice(0, third).join('\n')}\n`);
      const spool = join(dir, `${kind}-kill-spool`);
      const args = ['--db', db, '--spool', spool, '--watch', watched, '--poll-ms', '100'];

      const posters = consoles.slice(1).map((lines) => batches(lines));
      const acked = posters.map(() => 0);
      const ackedLines = posters.map(() => 0);
      const offsets = posters.map(() => 0);
      let resent = 0;
      /** Before the kill, a failed post means the server is gone; after the restart, it is tried again. */
      const post1 =
        (serve: StartedServe, k: number, retry = false) =>
        async () => {
          let failures = 0;
          while (acked[k]! < posters[k]!.length) {
            const body = posters[k]![acked[k]!]!;
            const answer = await post(serve.base, `k${k}`, body, offsets[k]!);
            if (!answer && retry && ++failures <= 5) {
              // A keep-alive socket the server closed while the machine was slow: the same bytes again.
              await new Promise((r) => setTimeout(r, 200));
              continue;
            }
            if (!answer) {
              // The server is gone: resume after the restart from the first unacknowledged batch.
              resent++;
              return;
            }
            offsets[k]! += Buffer.byteLength(body);
            ackedLines[k]! += body.split('\n').length - 1;
            acked[k]! += 1;
          }
        };

      let serve = await startServe(args);
      // Kill while every poster has batches in flight: once poster 0 has half of its console acknowledged.
      const half = Math.ceil(posters[0]!.length / 2);
      const killed = (async () => {
        while (acked[0]! < half) await new Promise((r) => setTimeout(r, 5));
        serve.child.kill('SIGKILL');
        return serve.exited;
      })();
      await Promise.all(posters.map((_, k) => post1(serve, k)()));
      expect(await killed).toBe(-1);
      expect(acked[0]).toBeLessThan(posters[0]!.length);
      // Every poster had a batch in flight when the server died.
      expect(resent).toBe(posters.length);
      appendFileSync(watchedFile, `${watchedLines.slice(third, 2 * third).join('\n')}\n`);
      // A write cut by the kill: poster 0's spool ends with half of its next batch, mid-line, never acknowledged.
      const spooled0 = readFileSync(join(spool, 'k0.log'));
      const next0 = posters[0]![acked[0]!]!;
      const cut = next0.slice(0, Math.floor(next0.length / 2)).replace(/\n$/, '');
      expect(spooled0.length).toBeGreaterThanOrEqual(offsets[0]!);
      writeFileSync(join(spool, 'k0.log'), Buffer.concat([spooled0.subarray(0, offsets[0]), Buffer.from(cut)]));

      serve = await startServe(args);
      try {
        // Before anything is re-sent: every acknowledged line is in the store.
        const recovered = await summaryOf(serve.base);
        expect(recovered.lines).toBeGreaterThanOrEqual(ackedLines.reduce((a, b) => a + b, 0));
        await Promise.all(posters.map((_, k) => post1(serve, k, true)()));
        expect(acked).toEqual(posters.map((p) => p.length));
        // An answer lost on the way: the last batch sent again at its offset is acknowledged, not stored again.
        const last = posters[1]!.at(-1)!;
        const lastAt = offsets[1]! - Buffer.byteLength(last);
        expect(await post(serve.base, 'k1', last, lastAt)).toMatchObject({
          lines: last.split('\n').length - 1,
          offset: offsets[1],
        });
        // A gap and other bytes at a stored offset are refused with the size to resume from.
        for (const [body, at] of [
          ['x\n', offsets[1]! + 10],
          ['x\n', 0],
        ] as const) {
          const r = await fetch(`${serve.base}v1/lines?source=k1&offset=${at}`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'text/plain' },
          });
          expect(r.status).toBe(409);
          expect(await r.json()).toMatchObject({ offset: offsets[1] });
        }
        appendFileSync(watchedFile, `${watchedLines.slice(2 * third).join('\n')}\n`);
        const expected = oneShot(consoleFiles('kill'), `${kind}-kill-one-shot`) as { lines: number };
        let live = await summaryOf(serve.base);
        for (let i = 0; i < 300 && live.lines! < expected.lines; i++) {
          await new Promise((r) => setTimeout(r, 100));
          live = await summaryOf(serve.base);
        }
        expect(live).toEqual(expected);
        for (const k of posters.keys())
          expect(readFileSync(join(spool, `k${k}.log`), 'utf8')).toBe(`${consoles[k + 1]!.join('\n')}\n`);
      } finally {
        await stop(serve);
      }
    }, 300_000);
  });

  if (kind === 'postgres') {
    describe('two beatscope serve and two beatscope ingest writing one PostgreSQL database at once', () => {
      it('stores every line once: posted consoles and ingested files', async () => {
        const db = await newStore(kind, 'mixed');
        const serve = await startServe(['--db', db, '--spool', join(dir, 'mixed-spool')]);
        const other = await startServe(['--db', db, '--spool', join(dir, 'mixed-spool-2')]).catch(async (error) => {
          await stop(serve);
          throw error;
        });
        const ingested = consoleFiles('mixed', [2, 3]);
        try {
          // A poster per server and two ingests of the other consoles (the second finds them stored or being
          // stored), all at once.
          const ingests = [0, 1].map(
            () =>
              new Promise<{ code: number | null; err: string }>((done) => {
                const child = spawn(process.execPath, [BIN, 'ingest', ...ingested, '--db', db], {
                  env: { ...process.env, NO_COLOR: '1' },
                });
                let err = '';
                child.stderr.on('data', (d: Buffer) => {
                  err += d.toString();
                });
                child.on('exit', (code) => done({ code, err }));
              }),
          );
          await Promise.all([postConsole(serve.base, 0), postConsole(other.base, 1)]);
          for (const r of await Promise.all(ingests)) expect(r.code, r.err).toBe(0);
          const live = await summaryOf(serve.base);
          expect(live).toEqual(oneShot(consoleFiles('mixed-all'), 'mixed-one-shot'));
          expect(live.lines).toBe(POSTERS * consoles[0]!.length);
          expect(await summaryOf(other.base)).toEqual(live);
          const stored = JSON.parse(beatscope('sql', 'select count(*) as n from files', '--db', db, '--json').out) as {
            rows: { n: number }[];
          };
          expect(stored.rows).toStrictEqual([{ n: POSTERS }]);
        } finally {
          await stop(serve);
          await stop(other);
        }
      }, 300_000);
    });
  }
}
