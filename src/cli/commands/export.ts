import { resolve } from 'node:path';
import { loadTraceData } from '../../analyses/trace-data.js';
import { writeChromeTrace } from '../../exports/chrome-trace-write.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';

/** `beatscope export --format chrome-trace`: the runs as Chrome Trace Event JSON (Perfetto UI, speedscope). */
export async function runExport(opts: { db: string; format: string; out: string }): Promise<void> {
  if (opts.format !== 'chrome-trace')
    throw new UsageError(`unknown export format "${opts.format}"`, 'formats: chrome-trace');
  const store = await openStore(opts.db, 'read');
  try {
    const data = await loadTraceData(store);
    const path = resolve(opts.out);
    const { events, bytes } = await writeChromeTrace(path, data, { source: resolve(opts.db) });
    process.stdout.write(
      `wrote ${events} trace events (${Math.round(bytes / 1024)} KiB) to ${path}\nopen it in https://ui.perfetto.dev or https://www.speedscope.app\n`,
    );
  } finally {
    await store.close();
  }
}
