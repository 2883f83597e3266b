import type { TelemetryEvent } from '../../model/index.js';

/** The parts of a record a rule may read besides the matched text. */
export interface RuleInput {
  readonly continuation: readonly string[] | undefined;
}

/**
 * One message shape. `keys` are the dispatch keys (first word of the icon-stripped message, see
 * `dispatchKey`) under which the rule is tried; `re` is anchored at the start of the stripped text.
 */
export interface Rule {
  readonly keys: readonly string[];
  readonly re: RegExp;
  make(match: RegExpExecArray, input: RuleInput): TelemetryEvent;
}

export function rule(keys: string | readonly string[], re: RegExp, make: Rule['make']): Rule {
  return { keys: typeof keys === 'string' ? [keys] : keys, re, make };
}

/** A recognized line with no reconstruction meaning (startup banners, group children, statistics). */
export function noise(keys: string | readonly string[], re: RegExp, component?: string): Rule {
  const ks = typeof keys === 'string' ? [keys] : keys;
  const c = component ?? ks[0] ?? '';
  return rule(ks, re, () => ({ kind: 'noise', component: c }));
}

export const num = (s: string | undefined): number => (s === undefined ? Number.NaN : Number(s));
