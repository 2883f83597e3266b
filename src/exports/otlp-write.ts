/**
 * Streams an OTLP/JSON file: the spans are written in chunks as they are serialised, so a store of millions of
 * runs never becomes one giant string. Same content as `JSON.stringify(toOtlp(...).request)` plus a final newline:
 * one request on one line, what `curl --data @file` posts to a collector's `/v1/traces` and what the collector's
 * `otlpjsonfile` receiver reads.
 */
import type { TraceData } from '../analyses/trace-data.js';
import { writeChunked } from './chunked-file.js';
import { type OtlpOptions, type OtlpStats, toOtlp } from './otlp.js';

export async function writeOtlp(
  path: string,
  data: TraceData,
  options: OtlpOptions = {},
): Promise<OtlpStats & { bytes: number }> {
  const { request, stats } = toOtlp(data, options);
  const bytes = await writeChunked(path, async (write) => {
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
    await write(']}\n');
  });
  return { ...stats, bytes };
}
