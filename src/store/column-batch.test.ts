import { describe, expect, it } from 'vitest';
import type { LogMessage, TraceEntity } from '../model/index.js';
import { ColumnBatchEncoder, decodeColumnBatch, transferables } from './column-batch.js';
import { fixtureEntities } from './store-fixtures.js';

const A = 'aaaaaaaaaaaaaaaa';
const message = fixtureEntities(A).find((e): e is LogMessage => e.kind === 'log-message')!;

describe('ColumnBatchEncoder', () => {
  it('encodes each distinct text once, NULL as -1, and decodes back to the entities', () => {
    const messages: LogMessage[] = [
      { ...message, component: 'EventBus', line: 1 },
      { ...message, component: 'EventBus', line: 2 },
      { ...message, component: null, line: 3 },
      { ...message, component: 'PluginManager', line: 4 },
      { ...message, component: 'EventBus', line: 5 },
    ];
    const batch = new ColumnBatchEncoder(A).encode(messages);
    const [table] = batch.tables;
    const component = table!.columns[2]!;
    expect(component.type === 'text' && [component.dict, [...component.codes]]).toStrictEqual([
      ['EventBus', 'PluginManager'],
      [0, 0, -1, 1, 0],
    ]);
    expect(decodeColumnBatch(batch, A)).toStrictEqual(messages);
    // session_id, level, component, text, time_ms, line: codes and numbers travel as transferable buffers.
    expect(transferables(batch).length).toBe(6);
  });

  it('refuses values their column cannot hold instead of storing them changed', () => {
    const encode = (e: TraceEntity) => () => new ColumnBatchEncoder(A).encode([e]);
    expect(encode({ ...message, line: 1.5 })).toThrow('line: 1.5 does not fit a int column');
    expect(encode({ ...message, line: 2 ** 31 })).toThrow('line: 2147483648 does not fit');
    expect(encode({ ...message, timeMs: 1.5 })).toThrow('time_ms must be integer epoch ms, got 1.5');
    expect(encode({ ...message, level: 'loud' } as unknown as LogMessage)).toThrow(
      'log_messages.level: "loud" is not one of warn, error',
    );
    expect(encode({ ...message, sessionId: 'bbbbbbbbbbbbbbbb:s0' })).not.toThrow();
  });

  it('refuses entities of another file', () => {
    const [session] = fixtureEntities('bbbbbbbbbbbbbbbb');
    expect(() => new ColumnBatchEncoder(A).encode([session!])).toThrow(/file bbbb/);
  });
});
