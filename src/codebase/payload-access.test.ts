import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { indexCodebase } from './index-codebase.js';
import { payloadAccessOf } from './payload-access.js';
import { parseSource } from './ts-parse.js';

const accessOf = (text: string) => payloadAccessOf(parseSource('h.ts', text).sf);

describe('payload access of handler source', () => {
  it('reads property access, literal element access, optional chaining and destructuring', () => {
    const access = accessOf(`export const handlers = {
  a(data, ctx) {
    const x = ctx.payload.alpha;
    const y = ctx.payload['beta'];
    const z = ctx?.payload?.gamma;
    const { delta, eps: renamed } = ctx.payload;
    ctx.payload.out = x + y + z + delta + renamed;
  },
};
`);
    expect(access).toEqual({
      '2:3': {
        reads: [
          { key: 'alpha', line: 3 },
          { key: 'beta', line: 4 },
          { key: 'gamma', line: 5 },
          { key: 'delta', line: 6 },
          { key: 'eps', line: 6 },
        ],
        writes: [{ key: 'out', line: 7, op: 'set' }],
        dynamic: [],
      },
    });
  });

  it('follows an alias and a destructured context, and counts compound assignment as read and write', () => {
    const access = accessOf(`export function count(_d, { payload }) {
  const p = payload;
  p.total += 1;
  delete p['stale'];
}
export const arrow = (_d, ctx) => { ctx.payload.n++; };
`);
    expect(access?.['1:17']).toEqual({
      reads: [{ key: 'total', line: 3 }],
      writes: [
        { key: 'total', line: 3, op: 'set' },
        { key: 'stale', line: 4, op: 'delete' },
      ],
      dynamic: [],
    });
    expect(access?.['6:14']).toEqual({
      reads: [{ key: 'n', line: 6 }],
      writes: [{ key: 'n', line: 6, op: 'set' }],
      dynamic: [],
    });
  });

  it('lists computed keys and the payload passed on as unknown, never as a guessed key', () => {
    const access = accessOf(`export function h(data, ctx) {
  const v = ctx.payload[data.key];
  send(ctx.payload);
  return { ...ctx.payload, payload: v };
}
`);
    expect(access?.['1:17']).toEqual({
      reads: [],
      writes: [],
      dynamic: [
        { line: 2, reason: 'computed key' },
        { line: 3, reason: 'whole payload passed on' },
        { line: 4, reason: 'whole payload passed on' },
      ],
    });
  });

  it('ignores functions without a context parameter and files that never say payload', () => {
    expect(accessOf('export function f(a) { return a.payload.x; }')).toBeUndefined();
    expect(accessOf('export const g = (a, b) => a + b;')).toBeUndefined();
  });

  it('gives the demo app handlers the keys their source reads and writes', async () => {
    const { index } = await indexCodebase(fileURLToPath(new URL('../../examples/demo-app/', import.meta.url)));
    const of = (handler: string) => index.handlers.find((h) => h.handler === handler)?.payload;
    expect(of('notifyReady')?.reads.map((r) => r.key)).toEqual(['config']);
    expect(of('notifyReady')?.writes.map((w) => w.key)).toEqual(['ready']);
    expect(of('generateSections')?.reads.map((r) => r.key)).toEqual(['fields']);
    expect(of('renderView')?.writes).toEqual([
      { key: 'view', line: expect.any(Number), op: 'set' },
      { key: 'fields', line: expect.any(Number), op: 'delete' },
    ]);
    expect(of('initConfig')?.reads).toEqual([]);
  });
});
