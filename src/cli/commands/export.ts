import { loadTraceData } from '../../analyses/trace-data.js';
import { writeChromeTrace } from '../../reports/chrome-trace-write.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

/** `beatscope export --format chrome-trace`: the runs as Chrome Trace Event JSON (Perfetto UI, speedscope). */
export async function runExport(opts: { db: string; format: string; out: string }): Promise<void> {
  if (opts.format !== 'chrome-trace')
    throw new UsageError(`unknown export format "${opts.format}"`, 'formats: chrome-trace');
  const path = await prepareOutput(opts.out, 'file');
  const store = await openStore(opts.db, 'read');
  try {
    const data = await loadTraceData(store);
    const { events, bytes } = await writeChromeTrace(path, data);
    process.stdout.write(
      `wrote ${events} trace events (${Math.round(bytes / 1024)} KiB) to ${path}\nopen it in https://ui.perfetto.dev or https://www.speedscope.app\n`,
    );
  } finally {
    await store.close();
  }
}
