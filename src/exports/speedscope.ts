/**
 * speedscope's own file format (schema: https://www.speedscope.app/file-format-schema.json, speedscope 1.25).
 *
 * One `evented` profile per session, from the session's start to its end (widened to cover its runs), in
 * milliseconds on the time axis (`none`, 1 log line = 1, for logs without timestamps). The stack is
 * sequence run › beat › handler run; frames are shared across sessions: one per sequence name, one per beat
 * topic, one per handler (plugin-scoped when the code index places it in different files), with `file`/`line`
 * from the code index when known. An evented profile is one stack, so spans are made to nest: a child is cut
 * at its parent's end, and a span still open when a sibling (or a span of a shallower level, e.g. a concurrent
 * run) starts is cut there. Totals per frame are therefore time on the single stack, not summed concurrency.
 */
import { buildTimeline } from '../analyses/timeline.js';
import type { TraceData } from '../analyses/trace-data.js';
import type { CodeIndex } from '../model/index.js';
import { BEATSCOPE_VERSION } from './chrome-trace.js';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

export interface SpeedscopeFrame {
  readonly name: string;
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
}

export interface SpeedscopeEvent {
  readonly type: 'O' | 'C';
  /** Index into `shared.frames`. */
  readonly frame: number;
  /** Profile unit (ms since the trace origin, or log lines). */
  readonly at: number;
}

export interface SpeedscopeProfile {
  readonly type: 'evented';
  readonly name: string;
  readonly unit: 'milliseconds' | 'none';
  readonly startValue: number;
  readonly endValue: number;
  readonly events: SpeedscopeEvent[];
}

export interface SpeedscopeFile {
  readonly $schema: typeof SPEEDSCOPE_SCHEMA;
  readonly shared: { readonly frames: SpeedscopeFrame[] };
  readonly profiles: SpeedscopeProfile[];
  readonly name: string;
  readonly activeProfileIndex: number;
  readonly exporter: string;
}

export interface SpeedscopeOptions {
  /** Gives handler frames their `file`/`line`. */
  readonly codeIndex?: CodeIndex;
  /** File name shown by speedscope; default 'beatscope'. */
  readonly name?: string;
}

/** Stack depth: sequence run 0, beat 1, handler run 2. */
type Depth = 0 | 1 | 2;

interface Span {
  readonly frame: number;
  readonly depth: Depth;
  readonly start: number;
  end: number;
}

/** 3-decimal rounding of axis values (ms: µs resolution), so the file does not carry float noise. */
const round = (v: number) => Math.round(v * 1000) / 1000;

export function toSpeedscope(data: TraceData, options: SpeedscopeOptions = {}): SpeedscopeFile {
  const tl = buildTimeline(data, options.codeIndex ? { codeIndex: options.codeIndex } : {});
  const s = tl.strings;
  const frames: SpeedscopeFrame[] = [];
  const frameIndex = new Map<string, number>();
  const frameOf = (key: string, frame: SpeedscopeFrame) => {
    let i = frameIndex.get(key);
    if (i === undefined) {
      i = frames.push(frame) - 1;
      frameIndex.set(key, i);
    }
    return i;
  };
  const handlerFrame = (h: number) => {
    const name = s[tl.handlers.name[h]!]!;
    const location = tl.handlers.location[h]! >= 0 ? s[tl.handlers.location[h]!]! : null;
    const at = location?.lastIndexOf(':') ?? -1;
    if (!location || at < 0) return frameOf(`handler\0${name}`, { name });
    const [file, line] = [location.slice(0, at), Number(location.slice(at + 1))];
    return frameOf(`handler\0${name}\0${location}`, Number.isInteger(line) ? { name, file, line } : { name, file });
  };

  const sessionOfLane = tl.lanes.session;
  const spans: Span[][] = tl.sessions.id.map(() => []);
  tl.runs.id.forEach((_, r) => {
    const lane = tl.runs.lane[r]!;
    if (lane < 0) return;
    const name = s[tl.runs.name[r]!]!;
    spans[sessionOfLane[lane]!]!.push({
      frame: frameOf(`sequence\0${name}`, { name }),
      depth: 0,
      start: tl.runs.start[r]!,
      end: tl.runs.end[r]!,
    });
  });
  const b = tl.beats;
  let start = 0;
  for (let i = 0; i < b.startDelta.length; i++) {
    start += b.startDelta[i]!;
    const name = (b.event[i]! >= 0 ? s[b.event[i]!] : undefined) || `beat ${b.beat[i]}`;
    spans[sessionOfLane[b.lane[i]!]!]!.push({
      frame: frameOf(`beat\0${name}`, { name }),
      depth: 1,
      start,
      end: start + b.length[i]!,
    });
  }
  const h = tl.handlerRuns;
  for (let i = 0; i < h.start.length; i++)
    spans[sessionOfLane[h.lane[i]!]!]!.push({
      frame: handlerFrame(h.handler[i]!),
      depth: 2,
      start: h.start[i]!,
      end: h.end[i]!,
    });

  const unit = tl.axis === 'time' ? 'milliseconds' : 'none';
  const profiles = tl.sessions.id.map((_, si): SpeedscopeProfile => {
    const list = spans[si]!;
    const events = nestedEvents(list);
    const first = list.reduce((min, x) => Math.min(min, x.start), tl.sessions.start[si]!);
    const last = Math.max(tl.sessions.end[si]!, events.at(-1)?.at ?? Number.NEGATIVE_INFINITY);
    return {
      type: 'evented',
      name: s[tl.sessions.label[si]!]!,
      unit,
      startValue: round(first),
      endValue: round(last),
      events,
    };
  });
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    shared: { frames },
    profiles,
    name: options.name ?? 'beatscope',
    activeProfileIndex: 0,
    exporter: `beatscope@${BEATSCOPE_VERSION}`,
  };
}

/**
 * O/C events of one stack, sorted by `at`, every C closing the frame on top. Spans are taken by start (the
 * shallower first at equal starts, then the longer); a span still open that is as deep or deeper than the
 * next one is cut at the next one's start, and the next one is cut at its parent's end.
 */
function nestedEvents(spans: Span[]): SpeedscopeEvent[] {
  const sorted = [...spans].sort((x, y) => x.start - y.start || x.depth - y.depth || y.end - x.end);
  const events: SpeedscopeEvent[] = [];
  const stack: Span[] = [];
  const close = (span: Span, at: number) => {
    span.end = at;
    events.push({ type: 'C', frame: span.frame, at: round(at) });
  };
  for (const span of sorted) {
    while (stack.length > 0 && stack.at(-1)!.end <= span.start) {
      const done = stack.pop()!;
      close(done, done.end);
    }
    while (stack.length > 0 && stack.at(-1)!.depth >= span.depth) close(stack.pop()!, span.start);
    const parent = stack.at(-1);
    if (parent) span.end = Math.min(span.end, parent.end);
    span.end = Math.max(span.end, span.start);
    events.push({ type: 'O', frame: span.frame, at: round(span.start) });
    stack.push(span);
  }
  for (let done = stack.pop(); done; done = stack.pop()) close(done, done.end);
  return events;
}
