/** `3 errors, 1 warning, 0 notes`: the counts by severity, for every reporter's heading. */
import type { FindingSeverity } from '../../analyses/findings/findings-types.js';
import { count } from '../report-format.js';

export function severityCounts(by: Readonly<Record<FindingSeverity, number>>, separator = ', '): string {
  const one = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
  return [one(by.error, 'error'), one(by.warning, 'warning'), one(by.note, 'note')].join(separator);
}
