import { findCode, type HandlerFound } from '../../codebase/index.js';
import type { SqlStore } from '../../store/telemetry-store.js';
import { UsageError } from '../errors.js';
import { color } from '../format.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

interface Executions {
  readonly count: number;
  readonly errors: number;
  /** Handler time percentiles over timed executions, ms; null when no execution was timed. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function executions(store: SqlStore, handler: string, plugin: string | null): Promise<Executions> {
  const plugins = plugin?.split(',') ?? [];
  const pluginFilter = plugins.length > 0 ? ` AND plugin_id IN (${plugins.map(quote).join(', ')})` : '';
  // The ordered-set percentile_cont: the same linear interpolation as DuckDB's quantile_cont, and PostgreSQL has it.
  const [row] = await store.query(
    `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'error') AS errors,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
     FROM handler_runs WHERE handler = ${quote(handler)}${pluginFilter}`,
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return {
    count: Number(row?.['n'] ?? 0),
    errors: Number(row?.['errors'] ?? 0),
    p50Ms: num(row?.['p50']),
    p95Ms: num(row?.['p95']),
  };
}

const handlerHeading = (handler: string, plugin: string | null) =>
  `${color.bold(handler)}  ${color.dim(`(${plugin ?? 'no plugin'})`)}`;

const sequenceLines = (sequences: HandlerFound['sequences']) =>
  sequences.map((s) => `  sequence    ${s.id} beat ${s.beat}${s.event ? ` (${s.event})` : ''}`);

const productionLine = (exec: Executions) =>
  `  production  ${exec.count} executions${exec.errors > 0 ? color.red(`, ${exec.errors} errors`) : ''}${exec.p50Ms !== null ? `, handler time p50 ${exec.p50Ms} ms, p95 ${exec.p95Ms} ms` : ''}`;

/** `beatscope code <handler|event|sequence-id>`: where it is defined and tested, and how it ran. */
export async function runCode(query: string, opts: { db: string; plugin?: string; json?: boolean }): Promise<void> {
  const store = await openStore(opts.db, 'read');
  try {
    const snapshot = await store.loadCodeIndex();
    if (!snapshot) throw new UsageError('the store has no code index', 'run `beatscope index <repo-dir>` first');
    const found = findCode(snapshot.index, query, { pluginId: opts.plugin });
    if (found.kind === 'unresolved' && found.named) {
      // The sequence names the handler, its module is not in the index: say so, and how it ran.
      const { handler, plugin, sequences } = found.named;
      const exec = await executions(store, handler, plugin);
      if (opts.json) writeCliJson('code', { ...found, production: exec });
      else
        process.stdout.write(
          `${[
            handlerHeading(handler, plugin),
            `  defined     ${color.yellow('unresolved')}: ${found.reason}`,
            ...found.candidates.map((c) => `  candidate   ${c.file}:${c.line}`),
            ...sequenceLines(sequences),
            productionLine(exec),
          ].join('\n')}\n`,
        );
      process.exitCode = 1;
      return;
    }
    if (found.kind !== 'handler') {
      if (opts.json) writeCliJson('code', found);
      else {
        process.stdout.write(`${color.yellow(found.kind)}: ${found.reason}\n`);
        const lines =
          found.kind === 'ambiguous'
            ? found.candidates.map(
                (c) =>
                  `  ${c.handler} (${c.plugin ?? '?'}) ${c.location ? `${c.location.file}:${c.location.line}` : 'unresolved'}`,
              )
            : found.candidates.map((c) => `  candidate ${c.file}:${c.line}`);
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.exitCode = 1;
      return;
    }
    const exec = await executions(store, found.handler, found.plugin);
    const { kind: _kind, ...rest } = found;
    if (opts.json) {
      writeCliJson('code', { ...rest, executions: exec.count, production: exec });
      return;
    }
    const out = [
      handlerHeading(found.handler, found.plugin),
      `  defined     ${found.file}:${found.line}:${found.column}`,
      ...sequenceLines(found.sequences),
      ...(found.tests.length > 0
        ? found.tests.map((t) => `  tested by   ${t.file}:${t.line}  ${t.name}  ${color.dim(`[${t.evidence}]`)}`)
        : [`  tested by   ${color.yellow('no test found')}`]),
      productionLine(exec),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await store.close();
  }
}
