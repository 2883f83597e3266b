import { writeFile } from 'node:fs/promises';
import { BASELINE_FIELDS, buildBaseline } from '../../analyses/regressions/build-baseline.js';
import { loadTraceData } from '../../analyses/trace-data.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

/** `beatscope baseline`: the handler-time baseline of what the store holds, as a file a team commits. */
export async function runBaseline(opts: { db: string; out: string }): Promise<void> {
  const out = await prepareOutput(opts.out, 'file');
  const store = await openStore(opts.db, 'read');
  let text: string;
  let handlers: number;
  try {
    const baseline = buildBaseline(await loadTraceData(store, {}, BASELINE_FIELDS));
    if (baseline.handlers.length === 0) {
      throw new UsageError(`the store ${opts.db} holds no handler runs`, 'ingest logs first: beatscope ingest <logs>');
    }
    handlers = baseline.handlers.filter((e) => e.sequence === null).length;
    text = `${JSON.stringify(baseline)}\n`;
  } finally {
    await store.close();
  }
  await writeFile(out, text);
  process.stderr.write(`wrote the baseline of ${handlers} handlers (${Math.ceil(text.length / 1024)} KiB) to ${out}\n`);
}
