import { resolve } from 'node:path';
import { loadTraceData } from '../../analyses/trace-data.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

const FORMATS = ['chrome-trace', 'speedscope'] as const;

/**
 * `beatscope export`: the runs as Chrome Trace Event JSON (Perfetto UI, chrome://tracing) or as speedscope's
 * own file format (handler frames with the indexed code's file:line).
 */
export async function runExport(opts: { db: string; format: string; out: string }): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(opts.format))
    throw new UsageError(`unknown export format "${opts.format}"`, `formats: ${FORMATS.join(', ')}`);
  const path = await prepareOutput(opts.out, 'file');
  const store = await openStore(opts.db, 'read');
  try {
    if (opts.format === 'speedscope') {
      const [data, snapshot] = await Promise.all([loadTraceData(store), store.loadCodeIndex()]);
      const { writeSpeedscope } = await import('../../exports/speedscope-write.js');
      const { profiles, frames, bytes } = await writeSpeedscope(path, data, snapshot?.index);
      process.stdout.write(
        `wrote ${profiles} profiles, ${frames} frames (${Math.round(bytes / 1024)} KiB) to ${path}\nopen it in https://www.speedscope.app\n`,
      );
      return;
    }
    const data = await loadTraceData(store);
    const { writeChromeTrace } = await import('../../exports/chrome-trace-write.js');
    const { events, bytes } = await writeChromeTrace(path, data, { source: resolve(opts.db) });
    process.stdout.write(
      `wrote ${events} trace events (${Math.round(bytes / 1024)} KiB) to ${path}\nopen it in https://ui.perfetto.dev or https://www.speedscope.app\n`,
    );
  } finally {
    await store.close();
  }
}
