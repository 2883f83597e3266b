/**
 * Streams a Chrome Trace Event file: the event array is written in chunks as it is serialised, so a trace of
 * millions of events never becomes one giant string. Same content as `JSON.stringify(toChromeTrace(data))`.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { TraceData } from '../analyses/trace-data.js';
import { type ChromeTraceOptions, chromeTraceEvents } from './chrome-trace.js';

/** Characters buffered before a write. */
const CHUNK = 1 << 20;

export async function writeChromeTrace(
  path: string,
  data: TraceData,
  options: ChromeTraceOptions = {},
): Promise<{ events: number; bytes: number }> {
  const { events, metadata, otherData } = chromeTraceEvents(data, options);
  const out = createWriteStream(path, { encoding: 'utf8' });
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    let buffer = '{"traceEvents":[';
    for (let i = 0; i < events.length; i++) {
      buffer += (i === 0 ? '\n' : ',\n') + JSON.stringify(events[i]);
      if (buffer.length >= CHUNK) {
        await write(buffer);
        buffer = '';
      }
    }
    await write(
      `${buffer}\n],"displayTimeUnit":"ms","metadata":${JSON.stringify(metadata)},"otherData":${JSON.stringify(otherData)}}\n`,
    );
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { events: events.length, bytes };
}
