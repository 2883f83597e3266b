import { describe, expect, it } from 'vitest';
import type { HandlerError, MovementRun, SequenceRegistration } from '../model/entities.js';
import { failOn, parseViolationKinds } from './flow-types.js';
import { validateFlows } from './flow-validation.js';
import {
  beatRun,
  codeIndex,
  sequenceDefinition,
  sequenceRun,
  session,
  subscription,
  traceData,
} from './trace-fixtures.js';

const code = codeIndex({
  sequences: [
    sequenceDefinition('alpha-symphony', 'Alpha', 'P', [
      ['a:1', 'h1'],
      ['a:2', 'h2'],
      ['a:3', 'h3'],
    ]),
    // Its "(Batched)" twin subscribes to a:1 too: one emitted a:1 runs both h1 and h1Batched.
    sequenceDefinition('alpha-batched-symphony', 'Alpha (Batched)', 'Q', [['a:1', 'h1Batched']]),
    sequenceDefinition('beta-symphony', 'Beta', 'P', [
      ['b:1', 'hb1'],
      ['b:new', 'hbNew'],
    ]),
    sequenceDefinition('gamma-symphony', 'Gamma', 'P', [['g:1', 'hg']]),
  ],
  topics: [{ topic: 'app:gamma', pluginId: 'P', sequenceId: 'gamma-symphony' }],
});

const registration = (sequenceId: string): SequenceRegistration => ({
  kind: 'sequence-registration',
  sessionId: 's1',
  sequenceId,
  sequenceName: null,
  pluginId: 'P',
  via: 'registry',
  timeMs: null,
  line: 1,
});
const alpha = { sequenceName: 'Alpha', sequenceId: 'alpha-symphony' };
const beta = { sequenceName: 'Beta', sequenceId: 'beta-symphony' };
const beats = (run: string, list: [string, string[], ('failed' | undefined)?][], seq = alpha) =>
  list.map(([event, handlers, status], i) =>
    beatRun(`${run}:b${i + 1}`, run, {
      sequenceName: seq.sequenceName,
      beat: i + 1,
      event,
      handlers,
      movementRunId: `${run}:m1`,
      status: status ?? 'completed',
    }),
  );
const movement: MovementRun = {
  kind: 'movement-run',
  id: 'r4:m1',
  sequenceRunId: 'r4',
  sessionId: 's1',
  name: 'Main',
  index: 1,
  total: 1,
  declaredBeats: 3,
  status: 'completed',
  startMs: null,
  endMs: null,
  durationMs: null,
  durationSource: 'none',
  span: { fileId: 'f1', startLine: 1, endLine: 1 },
};
const thrown: HandlerError = {
  kind: 'handler-error',
  id: 'e1',
  sessionId: 's1',
  pluginId: 'P',
  handler: 'h2',
  message: 'Error: boom',
  stack: [],
  beatRunId: 'r4:b3',
  sequenceRunId: 'r4',
  beatStillCompleted: true,
  timeMs: null,
  line: 1,
};

const data = traceData({
  sessions: [session('s1', 0, 1000)],
  registrations: [registration('alpha-symphony'), registration('beta-symphony')],
  subscriptions: [
    subscription('a:1', { pluginId: 'P', sequenceId: 'alpha-symphony' }),
    subscription('ghost:event', { pluginId: 'Ghost', sequenceId: 'ghost-symphony' }),
    subscription('Ghost:sequence:completed', { pluginId: 'Ghost', sequenceId: 'ghost-symphony', cleanup: true }),
  ],
  runs: [
    sequenceRun('r1', alpha),
    sequenceRun('r2', alpha),
    sequenceRun('r3', { ...alpha, status: 'incomplete' }),
    sequenceRun('r4', alpha),
    sequenceRun('r5', beta),
    sequenceRun('r6', beta),
    sequenceRun('r7', { sequenceName: 'Delta', sequenceId: 'delta-symphony' }),
  ],
  movements: [movement],
  beats: [
    ...beats('r1', [
      ['a:1', ['h1', 'h1Batched']],
      ['a:2', ['h2']],
      ['a:3', ['h3']],
    ]),
    ...beats('r2', [
      ['a:2', ['h2']],
      ['a:1', ['hX']],
    ]),
    ...beats('r3', [['a:1', ['h1']]]),
    ...beats('r4', [
      ['a:1', ['h1'], 'failed'],
      ['a:zzz', ['hz']],
      ['a:2', ['h2']],
      ['a:3', ['h3']],
    ]),
    ...beats(
      'r5',
      [
        ['b:1', ['hb1']],
        ['b:old', ['hbOld']],
      ],
      beta,
    ),
    ...beats(
      'r6',
      [
        ['b:1', ['hb1']],
        ['b:old', ['hbOld']],
      ],
      beta,
    ),
  ],
  errors: [thrown],
});

describe('validateFlows', () => {
  const report = validateFlows(data, code);

  it('reports every kind of finding, in kind order then log order', () => {
    expect(report.violations.map((v) => [v.kind, v.runId, v.sequenceId, v.message])).toEqual([
      ['missing-beat', 'r2', 'alpha-symphony', 'defined beat 3 (a:3) did not run'],
      ['unexpected-event', 'r4', 'alpha-symphony', 'beat 2 ran event a:zzz, which the definition does not have'],
      ['order-violation', 'r2', 'alpha-symphony', 'beat 1 (a:1) ran after a beat defined later'],
      ['handler-mismatch', 'r2', 'alpha-symphony', 'beat 1 ran hX instead of h1'],
      ['handler-mismatch', 'r2', 'alpha-symphony', 'handler hX ran for a:1; no definition names it'],
      ['incomplete-run', 'r3', 'alpha-symphony', 'run never completed (1 beat(s) seen)'],
      ['failed-beat', 'r4', 'alpha-symphony', 'beat 1 failed'],
      ['handler-error', 'r4', 'alpha-symphony', 'P.h2 threw: Error: boom (the beat still completed)'],
      ['beat-count-mismatch', 'r4', 'alpha-symphony', 'movement "Main" declared 3 beat(s), 4 ran'],
      ['drift', null, 'beta-symphony', 'beat 2 (b:new → hbNew) is defined but none of 2 completed run(s) executed it'],
      ['drift', null, 'beta-symphony', 'every completed run executed b:old, which the definition no longer has'],
      ['drift', null, 'delta-symphony', 'ran in production but no sequence definition has this id or name'],
      [
        'never-run',
        null,
        'alpha-batched-symphony',
        'defined in json-sequences/alpha-batched-symphony.json but never ran (never mounted either)',
      ],
      [
        'never-run',
        null,
        'gamma-symphony',
        'defined in json-sequences/gamma-symphony.json but never ran (never mounted either)',
      ],
      [
        'orphan-subscription',
        null,
        'ghost-symphony',
        'subscribed to ghost:event for ghost-symphony, which no sequence definition has',
      ],
      [
        'unmounted-route',
        null,
        'gamma-symphony',
        'topic app:gamma routes to P/gamma-symphony, which no session mounted',
      ],
    ]);
  });

  it('scores fitness per sequence, worst first', () => {
    expect(
      report.sequences.map((s) => [
        s.sequenceName,
        s.defined,
        s.mounted,
        s.runs,
        s.conformingRuns,
        s.fitness,
        s.violations,
      ]),
    ).toEqual([
      ['Beta', true, true, 2, 0, 0, { drift: 2 }],
      ['Delta', false, false, 1, 0, 0, { drift: 1 }],
      [
        'Alpha',
        true,
        true,
        4,
        1,
        0.25,
        {
          'missing-beat': 1,
          'unexpected-event': 1,
          'order-violation': 1,
          'handler-mismatch': 2,
          'incomplete-run': 1,
          'failed-beat': 1,
          'handler-error': 1,
          'beat-count-mismatch': 1,
        },
      ],
      ['Alpha (Batched)', true, false, 0, 0, null, { 'never-run': 1 }],
      ['Gamma', true, false, 0, 0, null, { 'never-run': 1 }],
    ]);
    expect(report.drift).toEqual([
      {
        sequenceId: 'beta-symphony',
        sequenceName: 'Beta',
        missingInRuns: [{ beat: 2, event: 'b:new', handler: 'hbNew' }],
        extraInRuns: [{ beat: 2, event: 'b:old', handler: 'hbOld' }],
        handlerChanged: [],
        runs: 2,
      },
    ]);
    expect(report.summary).toMatchObject({
      sequenceRuns: 7,
      conformingRuns: 1,
      fitness: 0.1429,
      sequencesDefined: 4,
      sequencesRun: 3,
      violations: 16,
    });
  });

  it('checks only what the log says without a code index', () => {
    const logOnly = validateFlows(data);
    expect(logOnly.violations.map((v) => [v.kind, v.runId])).toEqual([
      ['incomplete-run', 'r3'],
      ['failed-beat', 'r4'],
      ['handler-error', 'r4'],
      ['beat-count-mismatch', 'r4'],
    ]);
    expect(logOnly.unchecked).toEqual([
      'missing-beat',
      'unexpected-event',
      'order-violation',
      'handler-mismatch',
      'drift',
      'never-run',
      'orphan-subscription',
      'unmounted-route',
    ]);
    expect(logOnly.summary.fitness).toBe(0.7143);
  });

  it('does not judge handlers when the log has no handler-level lines', () => {
    const bare = traceData({
      runs: [sequenceRun('r1', alpha)],
      beats: beats('r1', [
        ['a:1', []],
        ['a:2', []],
        ['a:3', []],
      ]),
    });
    expect(validateFlows(bare, code).violations.filter((v) => v.runId !== null)).toEqual([]);
  });
});

describe('a run the log never named', () => {
  // A capture that starts inside a run: one "Beat 1 (...) completed" line, no sequence name or id.
  const unnamed = { sequenceName: '', sequenceId: null, pluginId: null };
  const data = traceData({
    runs: [sequenceRun('r1', { ...unnamed, status: 'incomplete' })],
    beats: [beatRun('r1:b1', 'r1', { sequenceName: null, beat: 1, event: 'a:1', handlers: [] })],
  });

  it('is listed as (unknown) and not called drift: there is no id or name to look up', () => {
    const report = validateFlows(data, code);
    const row = report.sequences.find((s) => s.runs > 0)!;
    expect([row.sequenceName, row.sequenceId, row.defined, row.violations]).toEqual([
      '(unknown)',
      null,
      false,
      { 'incomplete-run': 1 },
    ]);
    expect(report.violations.filter((v) => v.runId === 'r1' || v.kind === 'drift').map((v) => v.kind)).toEqual([
      'incomplete-run',
    ]);
  });
});

describe('failOn', () => {
  const report = validateFlows(data, code);
  it('is true only when a listed kind was found', () => {
    expect(failOn(report, ['drift'])).toBe(true);
    expect(failOn(validateFlows(traceData({})), ['drift', 'missing-beat'])).toBe(false);
  });

  it('parses a --fail-on list and keeps unknown names apart', () => {
    expect(parseViolationKinds('drift, missing-beat,,nope')).toEqual({
      kinds: ['drift', 'missing-beat'],
      unknown: ['nope'],
    });
  });
});
