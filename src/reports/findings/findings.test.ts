/**
 * The findings report on logs made by the real conductor (the demo simulator), checked against the simulator's
 * ground truth; its SARIF validated against the SARIF 2.1.0 JSON schema; log text escaped in Markdown and HTML.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTrace, demoTrace } from '../../../test/demo/demo-trace.js';
import { analyzeFindings, findingsFail } from '../../analyses/findings/findings.js';
import type { Finding, FindingsReport } from '../../analyses/findings/findings-types.js';
import { findingsReport } from './definition.js';
import { renderFindingsMd } from './findings-md.js';
import { renderFindingsSarif } from './findings-sarif.js';
import { findingsCard } from './findings-summary.js';
import { renderFindingsText } from './findings-text.js';
import { proseHtml } from './html-findings.js';
import { parseSuppressions } from './suppressions.js';

let demo: DemoTrace;
let report: FindingsReport;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 3, seed: 11 });
  report = analyzeFindings({ data: demo.data, code: demo.code, files: demo.files });
});
afterAll(() => demo?.cleanup());

const errorsOf = (r: FindingsReport) => r.findings.filter((f) => f.kind === 'handler-error');

describe('handler-error findings', () => {
  it('name exactly the handlers that threw, with their count, rate and file:line', () => {
    const truth = demo.truth.failingHandlers;
    expect(truth.length).toBeGreaterThan(0);
    const found = new Map<string, Finding[]>();
    for (const f of errorsOf(report))
      found.set(`${f.plugin}.${f.handler}`, [...(found.get(`${f.plugin}.${f.handler}`) ?? []), f]);
    expect([...found.keys()].sort()).toEqual(truth.map((t) => `${t.pluginId}.${t.handler}`).sort());
    for (const t of truth) {
      const group = found.get(`${t.pluginId}.${t.handler}`)!;
      expect(group.reduce((n, f) => n + f.count, 0)).toBe(t.occurrences);
      const def = demo.code.handlers.find((h) => h.handler === t.handler && h.pluginId === t.pluginId)!;
      const executions = demo.data.handlerRuns.filter(
        (h) => h.handler === t.handler && h.pluginId === t.pluginId,
      ).length;
      for (const f of group) {
        expect({ file: f.file, line: f.line }).toEqual({ file: def.location!.file, line: def.location!.line });
        expect(f.rate).toBeCloseTo(f.count / executions, 10);
        expect(f.severity).toBe('error');
        expect(f.explanation).toContain(`${def.location!.file}:${def.location!.line}`);
        expect(f.explanation).toContain(`in ${f.count} of ${executions} execution`);
        // The handler's own frame, mapped into the repository.
        expect(f.frame?.fn).toBe(t.handler);
        expect(f.frame?.file).toBe(def.location!.file);
      }
    }
  });

  it('point at log lines that hold the error, in time order', () => {
    for (const f of errorsOf(report)) {
      expect(f.evidence.length).toBe(Math.min(f.count, 10));
      for (const e of f.evidence) {
        const lines = readFileSync(e.logFile!, 'utf8').split('\n');
        expect(lines[e.logLine! - 1]).toContain(`Handler execution failed for ${f.plugin}.${f.handler}`);
        expect(e.requestId).toMatch(new RegExp(`^${f.sequence}-`));
      }
      expect(f.firstSeen! <= f.lastSeen!).toBe(true);
      expect(f.logFiles.every((p) => p.startsWith(demo.dir))).toBe(true);
    }
  });

  it('keeps ids stable across runs and distinct across findings', () => {
    const again = analyzeFindings({ data: demo.data, code: demo.code, files: [] });
    expect(again.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id));
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
  });
});

describe('flow findings', () => {
  it('report the drifted beat once, not once per run, at the sequence definition', () => {
    const drift = report.findings.filter((f) => f.kind === 'drift');
    expect(drift.map((f) => f.sequence)).toEqual(demo.truth.drift.map((d) => d.sequenceId));
    expect(drift[0]!.count).toBe(1);
    expect(drift[0]!.severity).toBe('warning');
    expect(drift[0]!.file).toBe('plugins/canvas-component/src/symphonies/augment/augment.line.stage-crew.ts');
  });

  it('list each never-played sequence as a note', () => {
    const never = report.findings.filter((f) => f.kind === 'never-run').map((f) => f.sequence);
    expect(never.sort()).toEqual(demo.truth.neverPlayedSequences.map((s) => s.sequenceId).sort());
  });

  it('orders errors before warnings before notes', () => {
    const order = report.findings.map((f) => ['error', 'warning', 'note'].indexOf(f.severity));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe('outputs', () => {
  it('JSON: the documented envelope and fields', () => {
    const run = findingsReport.run({ data: demo.data, code: demo.code, files: demo.files });
    const json = JSON.parse(run.render('json'));
    expect(json).toMatchObject({ schema: 'beatscope/findings', version: 1 });
    for (const f of json.findings) {
      for (const key of [
        'id',
        'kind',
        'severity',
        'title',
        'explanation',
        'plugin',
        'handler',
        'sequence',
        'event',
        'file',
        'line',
        'count',
        'rate',
        'firstSeen',
        'lastSeen',
        'sessions',
        'logFiles',
        'evidence',
      ]) {
        expect(f, key).toHaveProperty(key);
      }
      for (const e of f.evidence)
        expect(Object.keys(e)).toEqual(expect.arrayContaining(['session', 'requestId', 'logFile', 'logLine']));
    }
    expect(findingsReport.formats).toEqual(['text', 'json', 'md', 'html', 'sarif']);
  });

  it('SARIF: valid against the SARIF 2.1.0 schema, located at handler lines of the repository', () => {
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const schemaPath = join(
      require.resolve('@microsoft/jest-sarif/package.json'),
      '../lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    // unicodeRegExp off: the schema's `language` pattern has a stray `]`, legal only without the u flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const sarif = JSON.parse(renderFindingsSarif(report));
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    // The validator does reject a broken log (so the check above can fail).
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
    const results = sarif.runs[0].results as Array<{
      ruleId: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }>;
    }>;
    expect(results.length).toBe(report.findings.filter((f) => f.file !== null).length);
    for (const r of results) {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      const lines = readFileSync(join(demo.code.root, artifactLocation.uri), 'utf8').split('\n');
      expect(region!.startLine).toBeLessThanOrEqual(lines.length);
    }
    const handlerError = results.find((r) => r.ruleId === 'handler-error')!;
    const first = errorsOf(report)[0]!;
    expect(handlerError.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: first.file },
      region: { startLine: first.line },
    });
  });

  it('text and Markdown name each finding and where to look', () => {
    const text = renderFindingsText(report, { colors: false });
    const md = renderFindingsMd(report);
    for (const f of errorsOf(report)) {
      expect(text).toContain(f.id);
      expect(md).toContain(`\`${f.file}:${f.line}\``);
    }
  });

  it('the overview colours error counts as errors and warning counts as warnings', () => {
    const { error, warning } = report.summary.bySeverity;
    expect(error).toBeGreaterThan(0);
    expect(warning).toBeGreaterThan(0);
    const card = findingsCard(report);
    expect(card).toContain(`<div class="card bad"><div class="num">${error}</div><div class="label">errors`);
    expect(card).toContain(`<div class="card warn"><div class="num">${warning}</div><div class="label">warnings`);
  });

  it('escapes log text in Markdown and HTML', () => {
    const hostile = {
      ...demo.data,
      errors: demo.data.errors.map((e) => ({ ...e, message: 'Error: <img src=x onerror=alert(1)> | `tick` *x*' })),
    };
    const r = analyzeFindings({ data: hostile, code: demo.code });
    const md = renderFindingsMd(r);
    // Outside code spans (where CommonMark shows text literally) every `<` is escaped.
    const prose = md.replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/(?<!\\)<img/);
    expect(md).toContain('\\<img src=x onerror=alert(\\<n\\>)\\>');
    const html = proseHtml(r.findings[0]!.explanation);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(&lt;n&gt;)&gt;');
  });
});

describe('fail-on and suppressions', () => {
  it('--fail-on matches severities (and anything worse) and kinds', () => {
    expect(findingsFail(report, ['error'])).toBe(true);
    expect(findingsFail(report, ['note'])).toBe(true);
    expect(findingsFail(report, ['latency-anomaly'])).toBe(report.findings.some((f) => f.kind === 'latency-anomaly'));
    const notesOnly = { ...report, findings: report.findings.filter((f) => f.severity === 'note') };
    expect(findingsFail(notesOnly, ['warning'])).toBe(false);
    expect(findingsFail(notesOnly, ['note'])).toBe(notesOnly.findings.length > 0);
  });

  it('hides suppressed findings and lists them with the reason', () => {
    const target = errorsOf(report)[0]!;
    const suppressions = parseSuppressions(
      JSON.stringify({ suppressions: [{ id: target.id, reason: 'known outage, ticket filed' }] }),
      'suppressions.json',
    );
    const r = analyzeFindings({ data: demo.data, code: demo.code, suppressions });
    expect(r.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id).filter((id) => id !== target.id));
    expect(r.suppressed).toEqual([
      { id: target.id, kind: 'handler-error', title: target.title, reason: 'known outage, ticket filed' },
    ]);
    expect(() => parseSuppressions('[{"id":"x"}]', 's.json')).toThrow(/finding id/);
    expect(() => parseSuppressions(`[{"id":"${target.id}"}]`, 's.json')).toThrow(/reason/);
  });

  it('an empty store gives a clear note, not a crash', () => {
    const empty = Object.fromEntries(Object.keys(demo.data).map((k) => [k, []])) as unknown as typeof demo.data;
    const r = analyzeFindings({ data: empty });
    expect(r.findings).toEqual([]);
    expect(r.notes[0]).toMatch(/no sessions/);
    expect(renderFindingsText(r, { colors: false })).toContain('No findings.');
    expect(JSON.parse(renderFindingsSarif(r)).runs[0].results).toEqual([]);
  });
});
