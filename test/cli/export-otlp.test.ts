/**
 * `beatscope export --format otlp` on a DuckDB store built by the built binary from simulator logs (the real
 * conductor) and the indexed demo app; and on a capture with no timestamps, whose runs are left out and counted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpSpan, OtlpTraceRequest } from '../../src/exports/otlp-types.js';
import { protoRoundTrip } from '../otlp/otlp-proto.js';
import { beatscope, ROOT } from './run-beatscope.js';

const UNTIMED = join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beatscope-otlp-cli-'));
  db = join(dir, 'telemetry.duckdb');
  expect(beatscope('simulate', '--out', join(dir, 'logs'), '--sessions', '2', '--seed', '11').code).toBe(0);
  expect(beatscope('ingest', join(dir, 'logs'), '--db', db).code).toBe(0);
  expect(beatscope('index', join(ROOT, 'examples/demo-app'), '--db', db).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (sql: string) => Number(JSON.parse(beatscope('sql', sql, '--db', db, '--json').out).rows[0].n);

describe('beatscope export --format otlp', () => {
  it('writes an ExportTraceServiceRequest with a span per run, movement, beat and handler run', () => {
    const out = join(dir, 'out/traces.json');
    const r = beatscope('export', '--format', 'otlp', '--out', out, '--db', db, '--service-name', 'renderx');
    expect(r.code).toBe(0);
    const request = JSON.parse(readFileSync(out, 'utf8')) as OtlpTraceRequest;
    expect(protoRoundTrip(request).json).toEqual(request);
    const spans: OtlpSpan[] = request.resourceSpans.flatMap((x) => x.scopeSpans.flatMap((s) => s.spans));
    const runs = count('select count(*) n from sequence_runs');
    const all =
      runs +
      count('select count(*) n from movement_runs') +
      count('select count(*) n from beat_runs') +
      count('select count(*) n from handler_runs');
    expect(spans).toHaveLength(all);
    const errors = count('select count(*) n from handler_errors');
    expect(r.out).toBe(
      `wrote ${runs} traces, ${all} spans, ${errors} error events (${Math.round(Buffer.byteLength(readFileSync(out)) / 1024)} KiB) to ${out}\n` +
        `send it to a collector: curl -H 'Content-Type: application/json' --data-binary @${out} http://localhost:4318/v1/traces\n`,
    );
    const service = request.resourceSpans.map((x) => x.resource.attributes.find((a) => a.key === 'service.name'));
    expect(new Set(service.map((a) => a?.value.stringValue))).toEqual(new Set(['renderx']));
    // The store holds the code index: handler spans carry their definition's file and line.
    const located = spans.filter((s) => s.attributes.some((a) => a.key === 'code.file.path'));
    expect(located.length).toBeGreaterThan(count('select count(*) n from handler_runs') / 2);
  });

  it('leaves out the runs of a capture without timestamps, and says how many', () => {
    const untimed = join(dir, 'untimed.duckdb');
    expect(beatscope('ingest', UNTIMED, '--db', untimed).code).toBe(0);
    const out = join(dir, 'untimed.json');
    const r = beatscope('export', '--format', 'otlp', '--out', out, '--db', untimed);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote 0 traces, 0 spans, 0 error events (0 KiB)');
    expect(r.out).toContain(
      'left out, the log giving no start time or no run: 3 sequence runs, 3 movements, 9 beats, 4 handler runs\n',
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ resourceSpans: [] });
  });

  it('refuses an unknown format with exit 2', () => {
    const r = beatscope('export', '--format', 'jaeger', '--out', join(dir, 'x.json'), '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe('beatscope: unknown export format "jaeger"\nhint: formats: chrome-trace, speedscope, otlp\n');
  });
});
