import { describe, expect, it } from 'vitest';
import { fingerprint, normalizeMessage } from './fingerprint.js';

describe('normalizeMessage', () => {
  it('masks quoted values, ids and numbers but keeps words and paths', () => {
    expect(normalizeMessage('Error: Component not found: rx-2-99')).toBe('Error: Component not found: <id>');
    expect(normalizeMessage('Error: Invalid CSS declaration "padding 12px" in .cta')).toBe(
      'Error: Invalid CSS declaration "<v>" in .cta',
    );
    expect(normalizeMessage('Error: Schema fetch failed: 503 Service Unavailable (/schemas/button.json)')).toBe(
      'Error: Schema fetch failed: <n> Service Unavailable (/schemas/button.json)',
    );
    expect(normalizeMessage("TypeError: Cannot read properties of undefined (reading 'x')")).toBe(
      "TypeError: Cannot read properties of undefined (reading '<v>')",
    );
    expect(normalizeMessage('timeout after 1500 ms for request 3f2a9c1e-1111-4222-8333-123456789abc')).toBe(
      'timeout after <n> ms for request <id>',
    );
    expect(normalizeMessage('retry 3 of 5 for ix-4-12')).toBe('retry <n> of <n> for <id>');
  });
});

describe('fingerprint', () => {
  it('is stable and separates its parts', () => {
    expect(fingerprint(['a', 'b'])).toBe(fingerprint(['a', 'b']));
    expect(fingerprint(['a', 'b'])).toMatch(/^f-[0-9a-f]{16}$/);
    expect(fingerprint(['ab', ''])).not.toBe(fingerprint(['a', 'b']));
    expect(fingerprint([null, 'x'])).toBe(fingerprint(['', 'x']));
  });
});
