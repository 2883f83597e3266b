import { describe, expect, it } from 'vitest';
import type { TraceEntity } from '../../src/model/index.js';
import { syntheticTrace } from '../../src/reports/timeline-bench.js';
import { entityLine } from '../../src/store/entity-file.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

describe('syntheticTrace', () => {
  it('numbers its entities with distinct log lines, so a store window cuts it between beats', async () => {
    const data = syntheticTrace(1_000);
    const all: TraceEntity[] = [...data.sessions, ...data.runs, ...data.beats, ...data.handlerRuns, ...data.errors];
    expect(new Set(all.map(entityLine)).size).toBe(all.length);
    // Each beat's handler run comes after the beat's start line, before its end line.
    const beatOf = new Map(data.beats.map((b) => [b.id, b]));
    for (const h of data.handlerRuns) {
      const beat = beatOf.get(h.beatRunId!)!;
      expect(h.line).toBeGreaterThan(beat.span.startLine);
      expect(h.line).toBeLessThan(beat.span.endLine);
    }
    const store = new InMemoryStore();
    const writer = await store.beginFile('bench');
    await writer.append(all);
    await writer.commit({
      fileId: 'bench',
      path: '/bench',
      sizeBytes: 0,
      mtimeMs: 0,
      format: 'bench',
      encoding: 'utf-8',
      gzip: false,
      lines: 0,
      linesRecognized: 0,
      linesUnknown: 0,
      diagnostics: [],
    });
    const before = await store.placeOf('beat-run', 300);
    expect(before).toStrictEqual({ fileId: 'bench', line: data.beats[300]!.span.startLine });
    expect(await store.entities('beat-run', { before })).toStrictEqual(data.beats.slice(0, 300));
    expect((await store.entities('handler-run', { before })).length).toBe(300);
  });
});
