// Replaces the console in a simulated app process and records every call as a Chrome saved-console line (E1):
// `<File>.ts:<line> <ISO> <message>`. Install it before the conductor is imported so no line escapes.

import { formatConsoleArgs } from './chrome-format.js';

/** Where Chrome shows the real app's conductor lines (the EventBus timestamp shim); used when no frame is usable. */
const FALLBACK_LOCATION = 'EventBus.ts:56';
const LOCATION_NAME = /^[A-Za-z][\w.-]*\.(ts|js)$/;
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'group', 'groupCollapsed'] as const;

export interface ConsoleCapture {
  /** Lines so far; an entry can hold `\n` (error stacks), as in the saved file. */
  readonly lines: string[];
  /** Called with each formatted message (without the envelope). */
  onMessage(listener: (message: string) => void): void;
  /** Puts the original console back. */
  restore(): void;
}

/** @param nowIso the timestamp for a line, normally from the session's virtual clock. */
export function installConsoleCapture(nowIso: () => string): ConsoleCapture {
  const lines: string[] = [];
  const listeners: Array<(message: string) => void> = [];
  const console_ = globalThis.console;
  const originals = new Map<string, unknown>();

  const record = (args: unknown[], caller: (...a: unknown[]) => void) => {
    if (args.length === 0) return;
    const message = formatConsoleArgs(args);
    lines.push(`${callSite(caller)} ${nowIso()} ${message}`);
    for (const listener of listeners) listener(message);
  };

  for (const method of METHODS) {
    originals.set(method, console_[method]);
    const wrapper = (...args: unknown[]) => record(args, wrapper);
    console_[method] = wrapper;
  }
  originals.set('groupEnd', console_.groupEnd);
  // Chrome's saved text has no line and no indentation for group ends.
  console_.groupEnd = () => {};

  return {
    lines,
    onMessage: (listener) => listeners.push(listener),
    restore() {
      for (const [method, original] of originals) (console_ as unknown as Record<string, unknown>)[method] = original;
    },
  };
}

/** Basename and line of the console call site; with source maps on, conductor frames name their `.ts` sources. */
function callSite(caller: (...a: unknown[]) => void): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, caller);
  const frame = holder.stack?.split('\n')[1] ?? '';
  const match = /\(?([^()\s]+):(\d+):\d+\)?\s*$/.exec(frame);
  if (!match) return FALLBACK_LOCATION;
  const path = match[1]!.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return LOCATION_NAME.test(name) ? `${name}:${match[2]}` : FALLBACK_LOCATION;
}
