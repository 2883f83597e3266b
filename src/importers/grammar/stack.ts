import type { StackFrame } from '../../model/index.js';

// V8 frames: `at fn (file:line:col)`, `at async fn (file:line:col)`, `at file:line:col`, `at new X (…)`.
const FRAME_WITH_FN = /^\s*at (?:async )?(?:new )?(.+?) \((.+?)(?::(\d+))?(?::(\d+))?\)$/;
const FRAME_BARE = /^\s*at (?:async )?(.+?)(?::(\d+))?(?::(\d+))?$/;

export function parseStackFrame(line: string): StackFrame | undefined {
  let m = FRAME_WITH_FN.exec(line);
  if (m) return frame(m[1], m[2]!, m[3], m[4]);
  m = FRAME_BARE.exec(line);
  if (m) return frame(undefined, m[1]!, m[2], m[3]);
  return undefined;
}

function frame(fn: string | undefined, file: string, line?: string, column?: string): StackFrame {
  return {
    fn,
    file,
    line: line === undefined ? undefined : Number(line),
    column: column === undefined ? undefined : Number(column),
  };
}

/** Frames from continuation lines and from `\n` embedded in a message (Playwright JSON captures). */
export function parseStack(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const l of lines) {
    for (const part of l.includes('\\n') ? l.split('\\n') : [l]) {
      const f = parseStackFrame(part);
      if (f) frames.push(f);
    }
  }
  return frames;
}
