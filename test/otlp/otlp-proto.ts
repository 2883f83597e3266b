/**
 * Reads an OTLP/JSON trace request through the official protobuf schema: the `opentelemetry-proto` definitions as
 * compiled by protobufjs in `@opentelemetry/otlp-transformer` (0.216, the last release that ships them; later ones
 * hand-write the encoder). The JSON is turned into a protobuf message, encoded to the wire format, decoded and
 * turned back into JSON: what survives is what the schema knows, so a misspelt or unknown key, an id of the wrong
 * length or a time that is not a 64-bit integer shows up as a difference or an error.
 */
import { createRequire } from 'node:module';

interface MessageType {
  fromObject(object: unknown): unknown;
  verify(message: unknown): string | null;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: { longs: StringConstructor; bytes: ArrayConstructor }): unknown;
}

const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } } } };
};
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const ID_KEYS = new Map([
  ['traceId', 16],
  ['spanId', 8],
  ['parentSpanId', 8],
]);

/** Deep copy with trace and span ids mapped by `f` (OTLP/JSON writes them as hex where protobuf JSON has base64). */
function mapIds(value: unknown, f: (id: unknown, key: string, bytes: number) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, f));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const bytes = ID_KEYS.get(k);
      return [k, bytes === undefined ? mapIds(v, f) : f(v, k, bytes)];
    }),
  );
}

/** Throws when an id is not lowercase hex of the size the schema's field holds (16 bytes trace, 8 bytes span). */
function hexToBytes(id: unknown, key: string, bytes: number): number[] {
  if (typeof id !== 'string' || !new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(id))
    throw new Error(`${key} ${JSON.stringify(id)} is not ${bytes * 2} lowercase hex characters`);
  return Array.from(Buffer.from(id, 'hex'));
}

const bytesToHex = (id: unknown) => Buffer.from(id as number[]).toString('hex');

/**
 * The request after a trip through the protobuf wire format, in OTLP/JSON again (hex ids, 64-bit integers as
 * decimal strings, enums as numbers, default values omitted), and its size on the wire.
 */
export function protoRoundTrip(json: unknown): { json: unknown; wireBytes: number } {
  const message = Request.fromObject(mapIds(json, hexToBytes));
  const problem = Request.verify(message);
  if (problem) throw new Error(`not an ExportTraceServiceRequest: ${problem}`);
  const wire = Request.encode(message).finish();
  const decoded = Request.toObject(Request.decode(wire), { longs: String, bytes: Array });
  return { json: mapIds(decoded, bytesToHex), wireBytes: wire.length };
}
