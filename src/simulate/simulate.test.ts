import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAppDir } from './demo-app-dir.js';
import { planSession, UNTESTED_HANDLERS } from './demo-scenario.js';
import type { GroundTruth } from './ground-truth.js';
import { createRng } from './prng.js';
import { simulate } from './simulate.js';

const ENVELOPE = /^[A-Za-z][\w.-]*\.(ts|js):\d+ \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z /;
/** Continuation lines of a multi-line entry (an error's stack frames), as in Chrome's saved file. */
const STACK_FRAME = /^ {4}at /;

interface JsonSequence {
  pluginId: string;
  id: string;
  name: string;
  movements: Array<{ beats: Array<{ beat?: number; number?: number; event: string; handler: string }> }>;
}

function jsonSequences(): Array<JsonSequence & { dir: string }> {
  const root = join(demoAppDir(), 'plugins');
  return readdirSync(root).flatMap((dir) => {
    const seqDir = join(root, dir, 'json-sequences');
    return readdirSync(seqDir)
      .filter((f) => f !== 'index.json')
      .map((f) => ({ ...(JSON.parse(readFileSync(join(seqDir, f), 'utf8')) as JsonSequence), dir }));
  });
}

describe('simulate', () => {
  let outDir: string;
  let truth: GroundTruth;
  const logs = new Map<string, string[]>();

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'beatscope-sim-'));
    truth = await simulate({ outDir, sessions: 2, seed: 7 });
    for (const s of truth.sessions)
      logs.set(s.file, (await readFile(join(outDir, s.file), 'utf8')).trimEnd().split('\n'));
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('writes one localhost-<epochMs>.log per session and ground-truth.json', async () => {
    const files = (await readdir(outDir)).sort();
    expect(files).toEqual([...truth.sessions.map((s) => s.file)].sort().concat('ground-truth.json').sort());
    expect(truth.sessions[0]!.file).toBe(`localhost-${Date.parse('2026-11-20T09:00:00.000Z')}.log`);
    const written = JSON.parse(await readFile(join(outDir, 'ground-truth.json'), 'utf8'));
    expect(written).toEqual(truth);
  });

  it('prints every entry in the Chrome saved-console envelope, timestamps never going back', () => {
    for (const lines of logs.values()) {
      expect(lines.length).toBeGreaterThan(500);
      const bad = lines.filter((l) => !ENVELOPE.test(l) && !STACK_FRAME.test(l));
      expect(bad).toEqual([]);
      const times = lines.filter((l) => ENVELOPE.test(l)).map((l) => Date.parse(l.split(' ')[1]!));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
      // Think time makes a session span minutes although it runs in seconds.
      expect(times.at(-1)! - times[0]!).toBeGreaterThan(60_000);
    }
    expect(logs.get(truth.sessions[0]!.file)![0]).toMatch(
      /^EventBus\.ts:\d+ 2026-11-20T09:00:00\.\d{3}Z 🎼 EventBus: /,
    );
  });

  it('completes exactly the plays in ground truth', () => {
    for (const session of truth.sessions) {
      const completed = logs
        .get(session.file)!
        .map((l) => /✅ SequenceExecutor: Sequence "(.+)" completed in \d+ms$/.exec(l)?.[1])
        .filter((n): n is string => n !== undefined)
        .sort();
      expect(completed).toEqual(session.plays.map((p) => p.sequenceName).sort());
    }
  });

  it('names handlers in DataBaton lines as the sequence definitions do', () => {
    const defined = new Set<string>();
    for (const s of jsonSequences())
      for (const m of s.movements) for (const b of m.beats) defined.add(`${s.name}|${b.event}|${b.handler}`);
    for (const p of truth.sessions.flatMap((s) => s.plays))
      for (const b of p.expectedBeats) defined.add(`${p.sequenceName}|${b.event}|${b.handler}`);
    for (const session of truth.sessions) {
      const seen = new Set<string>();
      for (const line of logs.get(session.file)!) {
        const m = /🎽 DataBaton: .* \| seq=(.+) beat=\? event=(\S+) handler=(\w+)/.exec(line);
        if (!m) continue;
        expect(defined).toContain(`${m[1]}|${m[2]}|${m[3]}`);
        seen.add(m[3]!);
      }
      const expected = session.plays.flatMap((p) =>
        p.expectedBeats.map((b) => b.handler).filter((h) => h !== p.injectedError?.handler),
      );
      expect([...seen].sort()).toEqual([...new Set(expected)].sort());
    }
  });

  it('logs each injected error as a handler failure, and no other', () => {
    for (const session of truth.sessions) {
      const text = logs.get(session.file)!;
      const failures = text.filter((l) => l.includes('🧠 PluginManager: Handler execution failed for '));
      const injected = session.plays.filter((p) => p.injectedError);
      expect(injected.length).toBeGreaterThan(0);
      expect(failures).toHaveLength(injected.length);
      for (const p of injected) {
        const head = `Handler execution failed for ${p.pluginId}.${p.injectedError!.handler}: Error: ${p.injectedError!.message}`;
        const at = text.findIndex((l) => l.endsWith(head));
        expect(at).toBeGreaterThan(-1);
        expect(text[at + 1]).toMatch(new RegExp(`^ {4}at ${p.injectedError!.handler} \\(.*\\.ts:\\d+:\\d+\\)$`));
      }
    }
  });

  // Medians, not means: a beat's first run in a process can include module loading, which on a busy machine
  // outweighs the slow handler's 200 ms budget in a mean over a handful of runs.
  it('makes the slow handler the slowest beat by median', () => {
    const slowEvent = 'canvas:layout:relax';
    for (const lines of logs.values()) {
      const byEvent = new Map<string, number[]>();
      for (const l of lines) {
        const m = /✅ BeatExecutor: Beat \d+ \((\S+)\) completed in (\d+)ms/.exec(l);
        if (m) byEvent.set(m[1]!, [...(byEvent.get(m[1]!) ?? []), Number(m[2])]);
      }
      const median = (xs: number[]) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      };
      const slow = median(byEvent.get(slowEvent)!);
      expect(slow).toBeGreaterThanOrEqual(truth.slowHandler.approxMs * 0.9);
      for (const [event, ds] of byEvent) if (event !== slowEvent) expect(median(ds), event).toBeLessThan(slow);
    }
  });

  it('records drift and never-played sequences that the logs confirm', () => {
    expect(truth.drift).toEqual([
      {
        sequenceId: 'canvas-component-create-symphony',
        missingInRuns: [{ beat: 6, event: 'canvas:component:augment:line', handler: 'enhanceLine' }],
      },
    ]);
    const all = [...logs.values()].flat();
    expect(all.some((l) => l.includes('canvas:component:augment:line'))).toBe(false);
    expect(all.some((l) => l.includes('Executing movement "Create"'))).toBe(true);
    expect(truth.neverPlayedSequences).toContainEqual({
      pluginId: 'ControlPanelPlugin',
      sequenceId: 'control-panel-ui-field-validate-symphony',
    });
    for (const s of truth.neverPlayedSequences) {
      expect(all.some((l) => l.includes(`(id: ${s.sequenceId})`))).toBe(true);
      expect(all.some((l) => l.includes(`-> ${s.sequenceId}`))).toBe(false);
    }
  });
});

describe('demo scenario', () => {
  it('plans the same session for the same seed', () => {
    expect(planSession(createRng(11), 3)).toEqual(planSession(createRng(11), 3));
    expect(planSession(createRng(11), 3)).not.toEqual(planSession(createRng(12), 3));
  });

  it('declares exactly the beat handlers no plugin spec names as untested', () => {
    const root = join(demoAppDir(), 'plugins');
    const byPlugin = new Map<string, { dir: string; handlers: Set<string> }>();
    for (const s of jsonSequences()) {
      const entry = byPlugin.get(s.pluginId) ?? { dir: s.dir, handlers: new Set<string>() };
      for (const m of s.movements) for (const b of m.beats) entry.handlers.add(b.handler);
      byPlugin.set(s.pluginId, entry);
    }
    // The inline TS sequence (library/src/index.ts register()).
    byPlugin.get('LibraryPlugin')!.handlers.add('previewComponent');
    const untested: string[] = [];
    for (const [pluginId, { dir, handlers }] of byPlugin) {
      const testsDir = join(root, dir, '__tests__');
      const specs = readdirSync(testsDir).map((f) => readFileSync(join(testsDir, f), 'utf8'));
      const named = new Set(
        specs.flatMap((t) => [...t.matchAll(/\bit\('(?:\[AC:[^\]]+\] )?(\w+) - /g)].map((m) => m[1]!)),
      );
      for (const h of handlers) if (!named.has(h)) untested.push(`${pluginId}.${h}`);
    }
    expect(untested.sort()).toEqual(UNTESTED_HANDLERS.map((h) => `${h.pluginId}.${h.handler}`).sort());
  });
});
