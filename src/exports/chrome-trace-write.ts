/**
 * Streams a Chrome Trace Event file: the event array is written in chunks as it is serialised, so a trace of
 * millions of events never becomes one giant string. Same content as `JSON.stringify(toChromeTrace(data))`.
 */

import type { TraceData } from '../analyses/trace-data.js';
import { type ChromeTraceOptions, chromeTraceEvents } from './chrome-trace.js';
import { writeChunked } from './chunked-file.js';

export async function writeChromeTrace(
  path: string,
  data: TraceData,
  options: ChromeTraceOptions = {},
): Promise<{ events: number; bytes: number }> {
  const { events, metadata, otherData } = chromeTraceEvents(data, options);
  const bytes = await writeChunked(path, async (write) => {
    await write('{"traceEvents":[');
    for (let i = 0; i < events.length; i++) await write((i === 0 ? '\n' : ',\n') + JSON.stringify(events[i]));
    await write(
      `\n],"displayTimeUnit":"ms","metadata":${JSON.stringify(metadata)},"otherData":${JSON.stringify(otherData)}}\n`,
    );
  });
  return { events: events.length, bytes };
}
