/**
 * Writes a large synthetic console log in the Chrome "Save as…" ISO style (`<File>.ts:<line> <ISO> <msg>`)
 * for throughput benchmarks: repeated realistic sequence runs (the line shapes of the real conductor,
 * docs/log-formats.md §3) with advancing timestamps and fresh request ids. Streams; memory stays flat.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const SEQUENCES = [
  {
    id: 'library-load-symphony',
    name: 'Library Load',
    plugin: 'LibraryPlugin',
    movement: 'Load',
    beats: [
      ['library:components:load', 'Load Components', 'loadComponents'],
      ['library:components:notify-ui', 'Notify UI', 'notifyUi'],
    ],
  },
  {
    id: 'canvas-component-create-symphony',
    name: 'Canvas Component Create',
    plugin: 'CanvasComponentPlugin',
    movement: 'Create',
    beats: [
      ['canvas:component:resolve-template', 'Resolve Template', 'resolveTemplate'],
      ['canvas:component:register-instance', 'Register Instance', 'registerInstance'],
      ['canvas:component:create', 'Create Node', 'createNode'],
      ['canvas:component:notify-ui', 'Notify UI', 'notifyUi'],
    ],
  },
] as const;

/**
 * The lines of run `n` of `seq`. `throws`: its first beat's handler throws, as the real PluginManager logs it
 * (docs/log-formats.md §7: the failure and its stack lines instead of the handler's DataBaton line; the beat
 * still completes). The message carries the run number, as real messages carry ids (findings mask them).
 */
function runLines(
  seq: (typeof SEQUENCES)[number],
  t0: number,
  n: number,
  throws = false,
): { lines: string[]; endMs: number } {
  let t = t0;
  const lines: string[] = [];
  const at = (loc: string, msg: string, stepMs = 0) => {
    t += stepMs;
    lines.push(`${loc} ${new Date(t).toISOString()} ${msg}`);
  };
  const req = `${seq.id}-${t0}-${n.toString(36).padStart(9, '0')}`;
  at('PluginInterfaceFacade.ts:67', `🎼 PluginInterfaceFacade.play(): ${seq.plugin} -> ${seq.id}`);
  at('ExecutionQueue.ts:40', `🎼 ExecutionQueue: Enqueued "${seq.name}" with priority NORMAL (Queue size: 1)`);
  at('ExecutionQueue.ts:123', `🎼 ExecutionQueue: Now executing "${seq.name}"`, 1);
  at('SequenceExecutor.ts:115', `🎼 SequenceExecutor: Executing movement "${seq.movement}" (1/1)`);
  at(
    'MovementExecutor.ts:54',
    `🎵 MovementExecutor: Starting movement "${seq.movement}" with ${seq.beats.length} beats`,
  );
  at('EventLogger.ts:206', `🆔 Request ID: ${req}`);
  at(
    'SequenceOrchestrator.ts:164',
    `🎼 SequenceOrchestrator: Sequence "${seq.name}" (id: ${seq.id}) queued successfully`,
  );
  seq.beats.forEach(([event, title, handler], i) => {
    const ms = 3 + ((n * 7 + i * 13) % 17);
    at('MovementExecutor.ts:80', `🥁 MovementExecutor: Executing beat ${i + 1} (${i + 1}/${seq.beats.length})`);
    at('EventLogger.ts:140', `🎵 Beat ${i + 1} Started: ${title} (${event})`);
    if (throws && i === 0) {
      at(
        'PluginManager.ts:367',
        `🧠 PluginManager: Handler execution failed for ${seq.plugin}.${handler}: Error: Cannot read properties of undefined (reading 'item-${n}')`,
        ms - 1,
      );
      lines.push(`    at ${handler} (/app/src/plugins/${seq.plugin}/${handler}.ts:${12 + i}:7)`);
      lines.push(
        '    at run (/app/node_modules/musical-conductor/modules/communication/sequences/plugins/PluginManager.ts:335:42)',
      );
    } else {
      at(
        'DataBaton.ts:114',
        `🎽 DataBaton: +${handler}Done | seq=${seq.name} beat=? event=${event} handler=${handler} plugin=${seq.plugin} req=${req} preview={"${handler}Done":true}`,
        ms - 1,
      );
    }
    at('DataBaton.ts:88', `🎽 DataBaton: No changes | seq=${seq.name} beat=${i + 1} event=${event} handler=?`);
    at('PerformanceTracker.ts:95', `⏱️ PerformanceTracker: Beat ${i + 1} completed in ${ms}.25ms`, 1);
    at('BeatExecutor.ts:150', `✅ BeatExecutor: Beat ${i + 1} (${event}) completed in ${ms}ms`);
  });
  at('MovementExecutor.ts:118', `✅ MovementExecutor: Movement "${seq.movement}" completed successfully`);
  at('SequenceExecutor.ts:143', `✅ SequenceExecutor: Sequence "${seq.name}" completed in ${t - t0}ms`);
  return { lines, endMs: t };
}

/**
 * Writes at least `targetBytes` bytes; returns the bytes and lines written. `startMs` (epoch ms) is the first line's
 * time: logs with different starts have different content. `errorEveryRuns`: one run in that many has a handler
 * that throws (none when 0), so that findings have errors to judge all through the log.
 */
export async function generateChromeLog(
  path: string,
  targetBytes: number,
  startMs = Date.UTC(2026, 10, 20, 9, 0, 0),
  errorEveryRuns = 0,
): Promise<{ bytes: number; lines: number }> {
  const out = createWriteStream(path, { highWaterMark: 4 * 1024 * 1024 });
  let bytes = 0;
  let lines = 0;
  let t = startMs;
  const header = `EventBus.ts:56 ${new Date(t).toISOString()} 🎼 EventBus: Using internal conductor (legacy mode)\n`;
  out.write(header);
  bytes += Buffer.byteLength(header);
  lines++;
  for (let n = 0; bytes < targetBytes; n++) {
    const throws = errorEveryRuns > 0 && n % errorEveryRuns === errorEveryRuns - 1;
    const run = runLines(SEQUENCES[n % SEQUENCES.length]!, t, n, throws);
    t = run.endMs + 40 + (n % 11) * 30;
    const chunk = `${run.lines.join('\n')}\n`;
    bytes += Buffer.byteLength(chunk);
    lines += run.lines.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, lines };
}

/**
 * One log per path of `bytesEach` bytes, the i-th starting at `startOf(i)` (epoch ms: distinct starts give distinct
 * content, where identical logs would be skipped as duplicates); returns the bytes and lines written in all.
 */
export async function generateChromeLogs(
  paths: readonly string[],
  bytesEach: number,
  startOf: (i: number) => number,
  errorEveryRuns = 0,
): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  for (const [i, path] of paths.entries()) {
    const made = await generateChromeLog(path, bytesEach, startOf(i), errorEveryRuns);
    bytes += made.bytes;
    lines += made.lines;
  }
  return { bytes, lines };
}
