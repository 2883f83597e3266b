/**
 * Streams an OTLP/JSON file: the spans are written in chunks as they are serialised, so a store of millions of
 * runs never becomes one giant string. Same content as `JSON.stringify(toOtlp(...).request)` plus a final newline:
 * one request on one line, what `curl --data @file` posts to a collector's `/v1/traces` and what the collector's
 * `otlpjsonfile` receiver reads.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { TraceData } from '../analyses/trace-data.js';
import { type OtlpOptions, type OtlpStats, toOtlp } from './otlp.js';

/** Characters buffered before a write. */
const CHUNK = 1 << 20;

export async function writeOtlp(
  path: string,
  data: TraceData,
  options: OtlpOptions = {},
): Promise<OtlpStats & { bytes: number }> {
  const { request, stats } = toOtlp(data, options);
  const out = createWriteStream(path, { encoding: 'utf8' });
  let bytes = 0;
  let buffer = '';
  const write = async (text: string, force = false) => {
    buffer += text;
    if (buffer.length < CHUNK && !force) return;
    bytes += Buffer.byteLength(buffer);
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    await write('{"resourceSpans":[');
    for (const [r, { scopeSpans, ...resource }] of request.resourceSpans.entries()) {
      await write(`${r === 0 ? '' : ','}${JSON.stringify(resource).slice(0, -1)},"scopeSpans":[`);
      for (const [s, { spans, ...scope }] of scopeSpans.entries()) {
        await write(`${s === 0 ? '' : ','}${JSON.stringify(scope).slice(0, -1)},"spans":[`);
        for (let i = 0; i < spans.length; i++) await write((i === 0 ? '' : ',') + JSON.stringify(spans[i]));
        await write(']}');
      }
      await write(']}');
    }
    await write(']}\n', true);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { ...stats, bytes };
}
