/**
 * The alert rules file of `beatscope serve --alerts` (docs/serve.md#alerts): versioned JSON,
 * `{ "schema": "beatscope/alert-rules", "version": 1, "rules": [rule…] }`. Parsed and checked whole before the
 * server starts; the first problem is one message naming the rule (`rules[2] (slow-save): …`).
 *
 * Rule kinds:
 *   handler-p95   a handler's p95 over the last `windowMinutes` above `thresholdMs` (with at least `minCount`
 *                 timed runs in the window); `handler` names one, omitted means each handler on its own
 *   error-rate    the share of failed handler runs (`of: "handler"`) or sequence runs (`of: "sequence"`) over
 *                 the last `windowMinutes` above `threshold` (a fraction, 0–1), with at least `minCount` runs;
 *                 `name` picks one handler or sequence, omitted means each on its own
 *   no-telemetry  no ingest round stored anything for `minutes`
 *   finding       a `report findings` finding of one of `kinds` (finding kinds or severities, as `--fail-on`)
 *                 with at least `minCount` occurrences; each finding (by its stable id) is its own alert
 */
import { findingKinds, findingSeverities } from '../analyses/findings/findings-types.js';

export type AlertRule = HandlerP95Rule | ErrorRateRule | NoTelemetryRule | FindingRule;

interface RuleBase {
  /** Names the rule in alerts: 1–64 letters, digits, `.`, `_`, `-`; unique in the file. */
  readonly id: string;
}

export interface HandlerP95Rule extends RuleBase {
  readonly kind: 'handler-p95';
  readonly handler: string | null;
  /** Window length, minutes (> 0). */
  readonly windowMinutes: number;
  /** Fires when the p95 is above this, ms. */
  readonly thresholdMs: number;
  /** Timed runs the window must hold for the p95 to count; default 1. */
  readonly minCount: number;
}

export interface ErrorRateRule extends RuleBase {
  readonly kind: 'error-rate';
  readonly of: 'handler' | 'sequence';
  readonly name: string | null;
  readonly windowMinutes: number;
  /** Fires when failed / all is above this fraction (0 ≤ threshold < 1). */
  readonly threshold: number;
  /** Runs the window must hold for the rate to count; default 1. */
  readonly minCount: number;
}

export interface NoTelemetryRule extends RuleBase {
  readonly kind: 'no-telemetry';
  /** Fires when nothing was stored for this long, minutes (> 0). */
  readonly minutes: number;
}

export interface FindingRule extends RuleBase {
  readonly kind: 'finding';
  /** Finding kinds (`handler-error` …) or severities (`error` = errors, `warning` = warnings and errors …). */
  readonly kinds: readonly string[];
  /** Occurrences (the finding's `count`) it must have to fire; default 1. */
  readonly minCount: number;
}

/** What a finding rule's `kinds` may name: the same selectors as `report findings --fail-on`. */
export const FINDING_SELECTORS: readonly string[] = [...findingSeverities, ...findingKinds];

export const ALERT_RULES_SCHEMA = 'beatscope/alert-rules';
export const ALERT_RULES_VERSION = 1;
const RULE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
const KINDS = ['handler-p95', 'error-rate', 'no-telemetry', 'finding'] as const;

/** Parses a rules file's text; throws an `Error` with a one-line message on the first problem. */
export function parseAlertRules(text: string): AlertRule[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) throw new Error('expected an object { "schema", "version", "rules" }');
  if (doc['schema'] !== ALERT_RULES_SCHEMA) throw new Error(`"schema" must be "${ALERT_RULES_SCHEMA}"`);
  if (doc['version'] !== ALERT_RULES_VERSION)
    throw new Error(`"version" ${JSON.stringify(doc['version'])} is not supported (this beatscope reads 1)`);
  const rules = doc['rules'];
  if (!Array.isArray(rules) || rules.length === 0) throw new Error('"rules" must be a non-empty array');
  const ids = new Set<string>();
  return rules.map((raw, i) => {
    const where = `rules[${i}]${isObject(raw) && typeof raw['id'] === 'string' ? ` (${raw['id']})` : ''}`;
    try {
      const rule = parseRule(raw);
      if (ids.has(rule.id)) throw new Error(`id "${rule.id}" is used twice`);
      ids.add(rule.id);
      return rule;
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  });
}

function parseRule(raw: unknown): AlertRule {
  if (!isObject(raw)) throw new Error('a rule is an object');
  const id = raw['id'];
  if (typeof id !== 'string' || !RULE_ID.test(id)) throw new Error('"id" must be 1-64 letters, digits, ".", "_", "-"');
  const kind = raw['kind'];
  const r = new Fields(raw);
  switch (kind) {
    case 'handler-p95':
      r.only(['id', 'kind', 'handler', 'windowMinutes', 'thresholdMs', 'minCount']);
      return {
        id,
        kind,
        handler: r.optionalName('handler'),
        windowMinutes: r.positive('windowMinutes'),
        thresholdMs: r.number('thresholdMs', 0),
        minCount: r.count('minCount'),
      };
    case 'error-rate': {
      r.only(['id', 'kind', 'of', 'name', 'windowMinutes', 'threshold', 'minCount']);
      const of = raw['of'];
      if (of !== 'handler' && of !== 'sequence') throw new Error('"of" must be "handler" or "sequence"');
      const threshold = r.number('threshold', 0);
      if (threshold >= 1) throw new Error('"threshold" is a fraction of runs: 0 ≤ threshold < 1');
      return {
        id,
        kind,
        of,
        name: r.optionalName('name'),
        windowMinutes: r.positive('windowMinutes'),
        threshold,
        minCount: r.count('minCount'),
      };
    }
    case 'no-telemetry':
      r.only(['id', 'kind', 'minutes']);
      return { id, kind, minutes: r.positive('minutes') };
    case 'finding': {
      r.only(['id', 'kind', 'kinds', 'minCount']);
      const kinds = raw['kinds'];
      if (!Array.isArray(kinds) || kinds.length === 0)
        throw new Error('"kinds" must be a non-empty array of finding kinds or severities');
      const unknown = kinds.find((k) => typeof k !== 'string' || !FINDING_SELECTORS.includes(k));
      if (unknown !== undefined)
        throw new Error(`"kinds": ${JSON.stringify(unknown)} is not one of ${FINDING_SELECTORS.join(', ')}`);
      return { id, kind, kinds: [...new Set(kinds as string[])], minCount: r.count('minCount') };
    }
    default:
      throw new Error(`"kind" must be one of ${KINDS.join(', ')}`);
  }
}

class Fields {
  constructor(private readonly raw: Record<string, unknown>) {}
  only(keys: readonly string[]): void {
    const extra = Object.keys(this.raw).find((k) => !keys.includes(k));
    if (extra !== undefined) throw new Error(`unknown field "${extra}" (this kind takes ${keys.join(', ')})`);
  }
  number(key: string, min: number): number {
    const v = this.raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new Error(`"${key}" must be a number ≥ ${min}`);
    return v;
  }
  positive(key: string): number {
    const v = this.number(key, 0);
    if (v === 0) throw new Error(`"${key}" must be above 0`);
    return v;
  }
  count(key: string): number {
    const v = this.raw[key] ?? 1;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`"${key}" must be an integer ≥ 1`);
    return v;
  }
  optionalName(key: string): string | null {
    const v = this.raw[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.length === 0) throw new Error(`"${key}" must be a non-empty string`);
    return v;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
