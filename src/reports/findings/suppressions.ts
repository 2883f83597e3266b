/**
 * `.beatscope/suppressions.json`: findings a team has looked at and chosen to hide, by id, each with a reason.
 * `{ "suppressions": [ { "id": "f-…", "reason": "…" } ] }` (a bare array of the same objects is accepted too).
 * A missing file means no suppressions; a malformed one is an input error, told with what is wrong.
 */
import { readFile } from 'node:fs/promises';
import type { Suppression } from '../../analyses/findings/findings-types.js';

export const DEFAULT_SUPPRESSIONS_PATH = '.beatscope/suppressions.json';

export class SuppressionsError extends Error {}

export async function loadSuppressions(path: string): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SuppressionsError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseSuppressions(text, path);
}

export function parseSuppressions(text: string, path: string): Suppression[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SuppressionsError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(value) ? value : (value as { suppressions?: unknown } | null)?.suppressions;
  if (!Array.isArray(list)) throw new SuppressionsError(`${path} must hold {"suppressions": [{"id", "reason"}]}`);
  return list.map((item, i) => {
    const { id, reason } = (item ?? {}) as { id?: unknown; reason?: unknown };
    if (typeof id !== 'string' || !/^f-[0-9a-f]{16}$/.test(id)) {
      throw new SuppressionsError(`${path}: suppressions[${i}].id must be a finding id like f-0123456789abcdef`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new SuppressionsError(`${path}: suppressions[${i}] (${id}) needs a non-empty "reason"`);
    }
    return { id, reason };
  });
}
