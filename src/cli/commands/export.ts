import { resolve } from 'node:path';
import { loadTraceData } from '../../analyses/trace-data.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

const FORMATS = ['chrome-trace', 'speedscope', 'otlp', 'parquet'] as const;

/** `--out` when not given: a file, or for parquet a folder. */
const DEFAULT_OUT: Record<(typeof FORMATS)[number], string> = {
  'chrome-trace': 'beatscope-trace.json',
  speedscope: 'beatscope-trace.json',
  otlp: 'beatscope-otlp.json',
  parquet: 'beatscope-parquet',
};

const LEFT_OUT_NAMES: Record<string, string> = {
  runs: 'sequence runs',
  movements: 'movements',
  beats: 'beats',
  handlerRuns: 'handler runs',
  errors: 'handler errors',
};

/**
 * `beatscope export`: the runs as Chrome Trace Event JSON (Perfetto UI, chrome://tracing), as speedscope's
 * own file format (handler frames with the indexed code's file:line), as an OTLP/JSON trace request for an
 * OpenTelemetry Collector; or the store's tables as Parquet (export-parquet.ts).
 */
export async function runExport(opts: {
  db: string;
  format: string;
  out?: string;
  serviceName?: string;
}): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(opts.format))
    throw new UsageError(`unknown export format "${opts.format}"`, `formats: ${FORMATS.join(', ')}`);
  const out = opts.out ?? DEFAULT_OUT[opts.format as (typeof FORMATS)[number]];
  if (opts.format === 'parquet') {
    const { runExportParquet } = await import('./export-parquet.js');
    return runExportParquet({ db: opts.db, out });
  }
  const path = await prepareOutput(out, 'file');
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
    if (opts.format === 'otlp') {
      const [data, snapshot, files] = await Promise.all([loadTraceData(store), store.loadCodeIndex(), store.files()]);
      const { writeOtlp } = await import('../../exports/otlp-write.js');
      const written = await writeOtlp(path, data, {
        files,
        ...(snapshot ? { codeIndex: snapshot.index } : {}),
        ...(opts.serviceName ? { serviceName: opts.serviceName } : {}),
      });
      process.stdout.write(
        `wrote ${written.traces} traces, ${written.spans} spans, ${written.events} error events (${Math.round(written.bytes / 1024)} KiB) to ${path}\n`,
      );
      const left = Object.entries(written.leftOut).filter(([, n]) => n > 0);
      if (left.length > 0)
        process.stdout.write(
          `left out, the log giving no start time or no run: ${left.map(([kind, n]) => `${n} ${LEFT_OUT_NAMES[kind]}`).join(', ')}\n`,
        );
      process.stdout.write(
        `send it to a collector: curl -H 'Content-Type: application/json' --data-binary @${path} http://localhost:4318/v1/traces\n`,
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
