/**
 * The timeline as embedded in its page (docs/timeline.md, "Page payload"): one binary blob, base64 in a JSON
 * island. The per-item columns of beats, handler runs and runs are typed arrays (the narrowest integer type
 * that holds them; axis values and durations as integer thousandths, so 12.345 ms costs 2 bytes, not 6
 * characters; monotone columns delta-coded); everything else (string table, handler sets, sessions, batons,
 * errors …) is a JSON header in the same blob. Blobs over COMPRESS_FROM bytes are zlib-deflated: the page
 * inflates them with the browser's DecompressionStream. Handler-run ids are left out (the page never shows
 * them). web/timeline-unpack.ts reads it back.
 *
 * Blob layout: each column at its `offset` (8-byte aligned, so the page can view it in place), then the header
 * JSON (UTF-8), then the header's length as a u32 little-endian: the header comes last so every column can be
 * written out as soon as it is encoded.
 */
import { once } from 'node:events';
import { createDeflate, type Deflate } from 'node:zlib';
import type { TimelineData } from '../analyses/timeline.js';

export type ColumnType = 'u8' | 'i8' | 'u16' | 'i16' | 'i32' | 'f64';

export interface ColumnSpec {
  readonly type: ColumnType;
  /** Byte offset in the blob, and number of values. */
  readonly offset: number;
  readonly length: number;
  /** Stored = round(value × scale): 1000 for axis positions and ms (0.001 resolution), else 1. */
  readonly scale: number;
  /** Stored values are deltas (of the scaled integers) against the previous value, the first against 0. */
  readonly delta: boolean;
  /** The stored integer that means null, or null when the column has none (f64 columns use NaN). */
  readonly nullAt: number | null;
}

type Columns<T> = { readonly [K in keyof T]: ArrayLike<number> };

/**
 * What the page works with: TimelineData with the item columns as typed arrays (a null duration reads NaN) and
 * no handler-run ids.
 */
export interface DecodedTimeline extends Omit<TimelineData, 'beats' | 'handlerRuns' | 'runs'> {
  readonly beats: Columns<TimelineData['beats']>;
  readonly handlerRuns: Columns<Omit<TimelineData['handlerRuns'], 'id'>>;
  readonly runs: Columns<TimelineData['runs']>;
}

/** The blob's JSON header. */
export interface PackHeader extends Omit<TimelineData, 'beats' | 'handlerRuns' | 'runs'> {
  readonly packed: 2;
  /** `beats.line`, `handlerRuns.start` … → where the column is. */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
}

/** The JSON island `#timeline-data`. */
export interface TimelinePayload {
  readonly format: 'beatscope-timeline/2';
  readonly encoding: 'deflate' | 'identity';
  /** Blob size before deflate, bytes. */
  readonly bytes: number;
  readonly data: string;
}

/** Smaller blobs stay uncompressed: the page then decodes synchronously at load. */
export const COMPRESS_FROM = 256 * 1024;

const RANGES: readonly (readonly [ColumnType, number, number])[] = [
  ['u8', 0, 0xff],
  ['i8', -0x80, 0x7f],
  ['u16', 0, 0xffff],
  ['i16', -0x8000, 0x7fff],
  ['i32', -0x80000000, 0x7fffffff],
];

const ARRAYS = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  i16: Int16Array,
  i32: Int32Array,
  f64: Float64Array,
} as const;

interface Encoded {
  readonly type: ColumnType;
  readonly scale: number;
  readonly delta: boolean;
  readonly nullAt: number | null;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/**
 * One column in the narrowest type that holds it exactly: integers of `value × scale` (deltas if asked and the
 * column has no nulls), the type's top value as null; raw float64 (NaN for null) when some value has more
 * precision than 1/scale.
 */
export function encodeColumn(
  values: ArrayLike<number | null>,
  scale = 1,
  delta = false,
  /** Reused across columns (at least `values.length` long): a million-item column needs 8 MB of it. */
  scratch = new Float64Array(values.length),
): Encoded {
  const n = values.length;
  const k = scratch.subarray(0, n);
  let exact = true;
  let hasNull = false;
  for (let i = 0; i < n && exact; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      hasNull = true;
      k[i] = Number.NaN;
      continue;
    }
    k[i] = Math.round(v * scale);
    exact = k[i]! / scale === v && Math.abs(k[i]!) <= Number.MAX_SAFE_INTEGER;
  }
  if (!exact || (delta && hasNull)) {
    const raw = Float64Array.from({ length: n }, (_, i) => values[i] ?? Number.NaN);
    return { type: 'f64', scale: 1, delta: false, nullAt: null, bytes: new Uint8Array(raw.buffer) };
  }
  if (delta) for (let i = n - 1; i > 0; i--) k[i] = k[i]! - k[i - 1]!;
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(k[i]!)) continue;
    min = Math.min(min, k[i]!);
    max = Math.max(max, k[i]!);
  }
  const fit = RANGES.find(([, lo, hi]) => min >= lo && (hasNull ? max < hi : max <= hi));
  if (fit === undefined) return { type: 'f64', scale, delta, nullAt: null, bytes: new Uint8Array(k.slice().buffer) };
  const [type, , top] = fit;
  const out = new ARRAYS[type](n);
  for (let i = 0; i < n; i++) out[i] = Number.isNaN(k[i]!) ? top : k[i]!;
  return { type, scale, delta, nullAt: hasNull ? top : null, bytes: new Uint8Array(out.buffer) };
}

/** The item columns and how each is stored: [name, scale, delta]. */
const BINARY: { readonly [K in 'beats' | 'handlerRuns' | 'runs']: readonly (readonly [string, number, boolean])[] } = {
  beats: [
    ['idSuffix', 1, false],
    ['run', 1, true],
    ['lane', 1, false],
    ['startDelta', 1000, false],
    ['length', 1000, false],
    ['durationMs', 1000, false],
    ['durationSource', 1, false],
    ['handlerSet', 1, false],
    ['event', 1, false],
    ['title', 1, false],
    ['plugin', 1, false],
    ['beat', 1, false],
    ['line', 1, true],
    ['flags', 1, false],
  ],
  // `end` is stored as `length` = end − start (see packTimeline).
  handlerRuns: [
    ['handler', 1, false],
    ['beat', 1, true],
    ['lane', 1, false],
    ['row', 1, false],
    ['start', 1000, true],
    ['length', 1000, false],
    ['durationMs', 1000, false],
    ['durationSource', 1, false],
    ['flags', 1, false],
  ],
  runs: [
    ['id', 1, false],
    ['name', 1, false],
    ['status', 1, false],
    ['plugin', 1, false],
    ['requestId', 1, false],
    ['lane', 1, false],
    ['start', 1000, false],
    ['end', 1000, false],
    ['durationMs', 1000, false],
    ['durationSource', 1, false],
    ['line', 1, false],
  ],
};

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Writes the blob (see the file header) to `sink` part by part: each column is encoded, handed over and dropped
 * before the next (a million-item column is 1–8 MB; all of them at once would be ~50 MB more at peak). Returns
 * the blob's size in bytes.
 */
async function writeBlob(t: TimelineData, sink: (part: Uint8Array<ArrayBuffer>) => Promise<void>): Promise<number> {
  const { beats, handlerRuns, runs, ...rest } = t;
  const { id: _id, ...hr } = handlerRuns;
  const length = new Float64Array(hr.start.length);
  for (let i = 0; i < length.length; i++) length[i] = round3(hr.end[i]! - hr.start[i]!);
  const sources: Record<string, Record<string, ArrayLike<number | null>>> = {
    beats,
    handlerRuns: { ...hr, length },
    runs,
  };
  const scratch = new Float64Array(Math.max(beats.line.length, hr.start.length, runs.line.length));
  const columns: Record<string, ColumnSpec> = {};
  let at = 0;
  for (const [kind, specs] of Object.entries(BINARY))
    for (const [name, scale, delta] of specs) {
      const e = encodeColumn(sources[kind]![name]!, scale, delta, scratch);
      const size = ARRAYS[e.type].BYTES_PER_ELEMENT;
      const { type, nullAt } = e;
      columns[`${kind}.${name}`] = {
        type,
        offset: at,
        length: e.bytes.length / size,
        scale: e.scale,
        delta: e.delta,
        nullAt,
      };
      await sink(e.bytes);
      const padding = align8(e.bytes.length) - e.bytes.length;
      if (padding > 0) await sink(new Uint8Array(padding));
      at += e.bytes.length + padding;
    }
  const header: PackHeader = { ...rest, packed: 2, columns };
  const json = new Uint8Array(Buffer.from(JSON.stringify(header), 'utf8'));
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, json.length, true);
  await sink(json);
  await sink(size);
  return at + json.length + 4;
}

/** The whole blob in one buffer (tests, and payloads small enough to embed uncompressed). */
export async function packTimelineBlob(t: TimelineData): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  await writeBlob(t, async (part) => {
    parts.push(part);
  });
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * The page's JSON island: the blob, base64; deflated (zlib format, RFC 1950, what DecompressionStream('deflate')
 * reads) once it passes COMPRESS_FROM bytes. Columns then stream through zlib on the thread pool while the next
 * one is encoded. Level 6 (zlib's default) makes them ~15× smaller; 9 takes 4× as long for 5 % less.
 */
export async function packTimeline(t: TimelineData): Promise<TimelinePayload> {
  const held: Uint8Array<ArrayBuffer>[] = [];
  let heldBytes = 0;
  let z: Deflate | undefined;
  const out: Buffer[] = [];
  const toZlib = async (part: Uint8Array) => {
    if (!z!.write(part)) await once(z!, 'drain');
  };
  const bytes = await writeBlob(t, async (part) => {
    if (z !== undefined) return toZlib(part);
    held.push(part);
    heldBytes += part.length;
    if (heldBytes < COMPRESS_FROM) return;
    z = createDeflate({ level: 6 });
    z.on('data', (chunk: Buffer) => out.push(chunk));
    for (const p of held.splice(0)) await toZlib(p);
  });
  if (z === undefined)
    return {
      format: 'beatscope-timeline/2',
      encoding: 'identity',
      bytes,
      data: Buffer.concat(held).toString('base64'),
    };
  const ended = once(z, 'end');
  z.end();
  await ended;
  return { format: 'beatscope-timeline/2', encoding: 'deflate', bytes, data: Buffer.concat(out).toString('base64') };
}
