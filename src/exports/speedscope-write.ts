/**
 * Streams a speedscope file: each profile's events are written in chunks as they are serialised, so a store
 * of millions of runs never becomes one giant string. Same content as `JSON.stringify(toSpeedscope(...))`.
 */
import type { TraceData } from '../analyses/trace-data.js';
import type { CodeIndex } from '../model/index.js';
import { writeChunked } from './chunked-file.js';
import { toSpeedscope } from './speedscope.js';

export async function writeSpeedscope(
  path: string,
  data: TraceData,
  codeIndex?: CodeIndex,
): Promise<{ profiles: number; frames: number; bytes: number }> {
  const { profiles, ...head } = toSpeedscope(data, codeIndex ? { codeIndex } : {});
  const bytes = await writeChunked(path, async (write) => {
    await write(`${JSON.stringify(head).slice(0, -1)},"profiles":[`);
    for (const [p, { events, ...profile }] of profiles.entries()) {
      await write(`${p === 0 ? '' : ','}\n${JSON.stringify(profile).slice(0, -1)},"events":[`);
      for (let i = 0; i < events.length; i++) await write((i === 0 ? '' : ',') + JSON.stringify(events[i]));
      await write(']}');
    }
    await write('\n]}\n');
  });
  return { profiles: profiles.length, frames: head.shared.frames.length, bytes };
}
