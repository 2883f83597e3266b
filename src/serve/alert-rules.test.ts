/**
 * The alert rules file: the documented example parses to the rules it says; each kind of mistake is one message
 * naming the rule and the field.
 */
import { describe, expect, it } from 'vitest';
import { parseAlertRules } from './alert-rules.js';

const file = (rules: unknown[]) => JSON.stringify({ schema: 'beatscope/alert-rules', version: 1, rules });

describe('parseAlertRules', () => {
  it('reads every kind, with defaults', () => {
    expect(
      parseAlertRules(
        file([
          { id: 'slow-save', kind: 'handler-p95', handler: 'saveLayout', windowMinutes: 5, thresholdMs: 200 },
          { id: 'any-slow', kind: 'handler-p95', windowMinutes: 10, thresholdMs: 500, minCount: 20 },
          { id: 'failing', kind: 'error-rate', of: 'sequence', windowMinutes: 15, threshold: 0.05, minCount: 10 },
          { id: 'quiet', kind: 'no-telemetry', minutes: 30 },
        ]),
      ),
    ).toEqual([
      { id: 'slow-save', kind: 'handler-p95', handler: 'saveLayout', windowMinutes: 5, thresholdMs: 200, minCount: 1 },
      { id: 'any-slow', kind: 'handler-p95', handler: null, windowMinutes: 10, thresholdMs: 500, minCount: 20 },
      {
        id: 'failing',
        kind: 'error-rate',
        of: 'sequence',
        name: null,
        windowMinutes: 15,
        threshold: 0.05,
        minCount: 10,
      },
      { id: 'quiet', kind: 'no-telemetry', minutes: 30 },
    ]);
  });

  it.each([
    ['{', /^not JSON: /],
    [JSON.stringify({ schema: 'x', version: 1, rules: [] }), /^"schema" must be "beatscope\/alert-rules"$/],
    [JSON.stringify({ schema: 'beatscope/alert-rules', version: 2, rules: [] }), /^"version" 2 is not supported/],
    [file([]), /^"rules" must be a non-empty array$/],
    [
      file([{ id: 'a', kind: 'findings' }]),
      /^rules\[0\] \(a\): "kind" must be one of handler-p95, error-rate, no-telemetry, finding$/,
    ],
    [file([{ id: 'a b', kind: 'no-telemetry', minutes: 1 }]), /^rules\[0\] \(a b\): "id" must be/],
    [file([{ id: 'a', kind: 'no-telemetry', minutes: 0 }]), /^rules\[0\] \(a\): "minutes" must be above 0$/],
    [file([{ id: 'a', kind: 'no-telemetry', minute: 5 }]), /unknown field "minute"/],
    [
      file([{ id: 'a', kind: 'error-rate', of: 'beat', windowMinutes: 5, threshold: 0.1 }]),
      /"of" must be "handler" or "sequence"/,
    ],
    [
      file([{ id: 'a', kind: 'error-rate', of: 'handler', windowMinutes: 5, threshold: 5 }]),
      /"threshold" is a fraction of runs/,
    ],
    [
      file([{ id: 'a', kind: 'handler-p95', windowMinutes: 5, thresholdMs: '200' }]),
      /"thresholdMs" must be a number ≥ 0/,
    ],
    [
      file([{ id: 'a', kind: 'handler-p95', windowMinutes: 5, thresholdMs: 1, minCount: 0.5 }]),
      /"minCount" must be an integer ≥ 1/,
    ],
    [
      file([
        { id: 'a', kind: 'no-telemetry', minutes: 1 },
        { id: 'a', kind: 'no-telemetry', minutes: 2 },
      ]),
      /^rules\[1\] \(a\): id "a" is used twice$/,
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseAlertRules(text)).toThrow(message);
  });
});
