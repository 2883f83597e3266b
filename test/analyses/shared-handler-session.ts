/**
 * One app start of a tiny app on the real musical-conductor, run as its own process (the conductor is a
 * process-wide singleton): plugin `GalleryPlugin` has two sequences whose beat 1 is the same handler, `render`,
 * which works `payload.ms` ms (busy, as rendering is). A thumbnail strip renders in ~2 ms, a full-size view in
 * ~60 ms. The session plays the sequences named in argv[3] (`t` thumbnails, `f` full size, `T` thumbnails that
 * render slowly: an episode), one after the other, and writes its console as a Chrome saved log to argv[2].
 * Used by latency-per-sequence.test.ts: `node --import tsx shared-handler-session.ts <log> <plays>`.
 */
import { writeFileSync } from 'node:fs';
import type { MountableConductor } from '../../src/simulate/app-loader.js';
import { installConsoleCapture } from '../../src/simulate/console-capture.js';

const [logFile, plays = ''] = process.argv.slice(2);
const capture = installConsoleCapture(() => new Date().toISOString());
let finished = 0;
capture.onMessage((m) => {
  if (/^(✅|❌) SequenceExecutor: Sequence ".*" (completed in|failed)/.test(m)) finished++;
});

function render(data: { ms: number }, ctx: { payload: Record<string, unknown> }): void {
  const end = performance.now() + data.ms;
  while (performance.now() < end) {
    // Busy: rendering holds the thread.
  }
  ctx.payload['rendered'] = data.ms;
}
function notify(_data: unknown, ctx: { payload: Record<string, unknown> }): void {
  ctx.payload['notified'] = true;
}

const sequence = (id: string, name: string) => ({
  id,
  name,
  movements: [
    {
      id: 'show',
      name: 'Show',
      beats: [
        {
          beat: 1,
          event: `gallery:${id}:render`,
          handler: 'render',
          title: 'Render',
          dynamics: 'mf',
          timing: 'immediate',
        },
        {
          beat: 2,
          event: `gallery:${id}:notify`,
          handler: 'notify',
          title: 'Notify',
          dynamics: 'mf',
          timing: 'immediate',
        },
      ],
    },
  ],
});

try {
  const { initializeCommunicationSystem } = await import('musical-conductor');
  const conductor = initializeCommunicationSystem().conductor as unknown as MountableConductor & {
    play(pluginId: string, sequenceId: string, payload: unknown): unknown;
  };
  for (const [id, name] of [
    ['gallery-thumbnails-symphony', 'Gallery Thumbnails'],
    ['gallery-full-size-symphony', 'Gallery Full Size'],
  ] as const) {
    await conductor.mount(sequence(id, name), { render, notify }, 'GalleryPlugin');
  }
  const WORK: Record<string, [string, number]> = {
    t: ['gallery-thumbnails-symphony', 2],
    T: ['gallery-thumbnails-symphony', 80],
    f: ['gallery-full-size-symphony', 60],
  };
  for (const [i, play] of [...plays].entries()) {
    const [id, ms] = WORK[play]!;
    conductor.play('GalleryPlugin', id, { ms });
    while (finished <= i) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
  }
} finally {
  capture.restore();
  writeFileSync(logFile!, `${capture.lines.join('\n')}\n`);
}
