/**
 * The speedscope export of logs made by the real conductor (the demo simulator, 2 sessions, indexed code):
 * O/C events replay as one well-nested stack per session, frames are shared by name across beats and
 * sessions, handler frames carry the code index's file:line, and each profile spans its own session.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTrace, demoTrace } from '../../test/demo/demo-trace.js';
import { byStartTime } from '../analyses/trace-data.js';
import { type SpeedscopeFile, type SpeedscopeProfile, toSpeedscope } from './speedscope.js';
import { writeSpeedscope } from './speedscope-write.js';

let demo: DemoTrace;
let file: SpeedscopeFile;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 7 });
  file = JSON.parse(JSON.stringify(toSpeedscope(demo.data, { codeIndex: demo.code }))) as SpeedscopeFile;
}, 120_000);
afterAll(() => demo?.cleanup());

/** Replays a profile's events; returns the problems (speedscope refuses a C that does not close the top). */
function replay(profile: SpeedscopeProfile): string[] {
  const problems: string[] = [];
  const stack: number[] = [];
  let last = profile.startValue;
  for (const [i, e] of profile.events.entries()) {
    if (e.at < last) problems.push(`event ${i}: at ${e.at} before ${last}`);
    if (e.at > profile.endValue) problems.push(`event ${i}: at ${e.at} after the profile's end`);
    last = e.at;
    if (e.type === 'O') stack.push(e.frame);
    else if (stack.pop() !== e.frame) problems.push(`event ${i}: closes frame ${e.frame}, not the top`);
  }
  if (stack.length > 0) problems.push(`${stack.length} frames left open`);
  return problems;
}

describe('speedscope export of real conductor logs', () => {
  it('writes one evented profile per session, in ms, spanning that session', () => {
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    expect(file.exporter).toBe('beatscope@0.1.0');
    expect(file.profiles).toHaveLength(demo.data.sessions.length);
    const origin = Math.min(...demo.data.sessions.map((s) => s.startMs!));
    for (const [i, profile] of file.profiles.entries()) {
      const session = [...demo.data.sessions].sort(byStartTime)[i]!;
      expect(profile).toMatchObject({ type: 'evented', unit: 'milliseconds' });
      expect(profile.startValue).toBeCloseTo(session.startMs! - origin, 3);
      // Ends at the session's end, or later if a handler settled after its last line.
      expect(profile.endValue).toBeGreaterThanOrEqual(session.endMs! - origin - 0.001);
      expect(profile.endValue - profile.startValue).toBeLessThan(session.endMs! - session.startMs! + 5_000);
    }
  });

  it('nests the O/C events of every profile, one open per run, beat and handler run', () => {
    for (const [i, profile] of file.profiles.entries()) {
      expect(replay(profile)).toEqual([]);
      const id = [...demo.data.sessions].sort(byStartTime)[i]!.id;
      const opened = profile.events.filter((e) => e.type === 'O').length;
      const count = (list: readonly { sessionId: string }[]) => list.filter((x) => x.sessionId === id).length;
      const timed = demo.data.runs.filter((r) => r.sessionId === id && r.startMs !== null).length;
      expect(opened).toBe(timed + count(demo.data.beats) + count(demo.data.handlerRuns));
    }
  });

  it('shares one frame per handler, beat topic and sequence name across beats and sessions', () => {
    const names = file.shared.frames.map((f) => `${f.name}\0${f.file ?? ''}`);
    expect(new Set(names).size).toBe(names.length);
    const handlers = new Set(demo.data.handlerRuns.map((h) => h.handler));
    const topics = new Set(demo.data.beats.map((b) => b.event));
    const sequences = new Set(demo.data.runs.filter((r) => r.startMs !== null).map((r) => r.sequenceName));
    expect(file.shared.frames.length).toBeLessThanOrEqual(handlers.size * 2 + topics.size + sequences.size);
    for (const name of [...handlers, ...topics, ...sequences])
      expect(file.shared.frames.some((f) => f.name === name)).toBe(true);
    const opened = file.profiles.flatMap((p) => p.events.filter((e) => e.type === 'O'));
    expect(opened.length).toBeGreaterThan(file.shared.frames.length * 3);
    // A handler run in both sessions opens the same frame in both profiles.
    const [a, b] = file.profiles.map((p) => new Set(p.events.map((e) => e.frame)));
    expect([...a!].filter((f) => b!.has(f)).length).toBeGreaterThan(10);
  });

  it('gives handler frames the file:line the code index found', () => {
    const { slowHandler } = demo.truth;
    const frame = file.shared.frames.find((f) => f.name === slowHandler.handler)!;
    expect(frame.file).toBe('plugins/canvas-component/src/symphonies/arrange/arrange.layout.ts');
    expect(Number.isInteger(frame.line) && frame.line! > 0).toBe(true);
    const slow = toSpeedscope(demo.data).shared.frames.find((f) => f.name === slowHandler.handler)!;
    expect(slow).toEqual({ name: slowHandler.handler });
  });
});

describe('writeSpeedscope', () => {
  it('streams the same JSON to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beatscope-speedscope-'));
    try {
      const path = join(dir, 'profile.speedscope.json');
      const written = await writeSpeedscope(path, demo.data, demo.code);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(file);
      expect(written).toMatchObject({ profiles: file.profiles.length, frames: file.shared.frames.length });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
