/**
 * Browser side of reports/timeline-pack.ts: base64 → (inflate with DecompressionStream) → header JSON + typed
 * column views. Integer columns without scale, delta or nulls are used in place; the others are decoded once
 * into Float64Array (nulls as NaN) or Int32Array (deltas summed). Self-contained: the page bundles no Node code.
 */
import type { ColumnSpec, ColumnType, DecodedTimeline, PackHeader, TimelinePayload } from '../reports/timeline-pack.js';

const ARRAYS = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  i16: Int16Array,
  i32: Int32Array,
  f64: Float64Array,
} as const satisfies Record<ColumnType, unknown>;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function inflate(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function column(blob: Uint8Array<ArrayBuffer>, spec: ColumnSpec): ArrayLike<number> {
  const stored = new ARRAYS[spec.type](blob.buffer, blob.byteOffset + spec.offset, spec.length);
  if (spec.scale === 1 && !spec.delta && spec.nullAt === null) return stored;
  if (spec.delta && spec.scale === 1 && spec.type !== 'f64') {
    const out = new Int32Array(spec.length);
    let sum = 0;
    for (let i = 0; i < out.length; i++) out[i] = sum += stored[i]!;
    return out;
  }
  const out = new Float64Array(spec.length);
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const v = stored[i]!;
    if (spec.delta) {
      // Integer sums: exact, so positions are the packed thousandths with no drift over a million deltas.
      sum += v;
      out[i] = sum / spec.scale;
    } else out[i] = v === spec.nullAt || Number.isNaN(v) ? Number.NaN : v / spec.scale;
  }
  return out;
}

/** The blob of a payload; resolves synchronously (no await) when it is not deflated. */
function blobOf(p: TimelinePayload): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
  const bytes = fromBase64(p.data);
  return p.encoding === 'deflate' ? inflate(bytes) : bytes;
}

export function decodeBlob(bytes: Uint8Array<ArrayBuffer>): DecodedTimeline {
  // Columns are viewed in place: they need the blob 8-byte aligned in its buffer.
  const blob = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  // The header is last: [columns][header JSON][u32 header length].
  const size = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(blob.length - 4, true);
  const header = JSON.parse(
    new TextDecoder().decode(blob.subarray(blob.length - 4 - size, blob.length - 4)),
  ) as PackHeader;
  const { columns, packed: _packed, ...rest } = header;
  const group = (kind: string) => {
    const out: Record<string, ArrayLike<number>> = {};
    for (const [key, spec] of Object.entries(columns))
      if (key.startsWith(`${kind}.`)) out[key.slice(kind.length + 1)] = column(blob, spec);
    return out;
  };
  const { length = [], ...hr } = group('handlerRuns');
  const start = hr['start']!;
  const end = new Float64Array(start.length);
  for (let i = 0; i < end.length; i++) end[i] = Math.round((start[i]! + length[i]!) * 1000) / 1000;
  return {
    ...rest,
    beats: group('beats') as unknown as DecodedTimeline['beats'],
    runs: group('runs') as unknown as DecodedTimeline['runs'],
    handlerRuns: { ...hr, end } as unknown as DecodedTimeline['handlerRuns'],
  };
}

/** Decodes the page's JSON island. Synchronous for small (uncompressed) payloads; see `blobOf`. */
export function decodePayload(p: TimelinePayload): DecodedTimeline | Promise<DecodedTimeline> {
  const blob = blobOf(p);
  return blob instanceof Uint8Array ? decodeBlob(blob) : blob.then(decodeBlob);
}
