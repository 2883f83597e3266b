#!/usr/bin/env node
/**
 * The `beatscope` command: a thin shell over the library. Commands import their implementation lazily
 * so `beatscope --help` stays instant; nothing parses argv at import time except `run()` below.
 */
import { realpathSync } from 'node:fs';
import nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { failureFor, UsageError, wantsDebug } from './errors.js';

const DEFAULT_DB = '.beatscope/telemetry.duckdb';

const EXIT_CODES_HELP =
  '\nExit codes: 0 ok, 1 findings (failed files, --fail-on matches), 2 usage or input error, 70 internal error (add --debug for the stack).';

export function buildProgram(): Command {
  const program = new Command('beatscope')
    .description('Turn MusicalConductor console telemetry into answers about your code.')
    .version('0.1.0')
    .option('--debug', 'on an internal error, print its stack')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'beatscope: ')) })
    // Commander's own errors throw instead of exiting 1, so run() can map them to 2 (`--help`: 0).
    // Set before any .command(): subcommands copy it.
    .exitOverride()
    // 'afterAll': under every command's help too.
    .addHelpText('afterAll', EXIT_CODES_HELP);

  program
    .command('ingest')
    .description('Read log files (any console envelope, .gz too) into the telemetry store')
    .argument('<inputs...>', 'files, directories or globs; - (or /dev/stdin) reads standard input')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--source-name <name>', 'name standard input is stored and reported under', 'stdin')
    .option(
      '--workers <n>',
      'parser threads (default: one per core, at most 4, from 32 MiB of files; for a single file, one from 128 MiB on 2+ cores; else none)',
      toInt,
    )
    .option('--gap <ms>', 'silence that counts as a gap, ms', toInt, 1000)
    .option('--format <id>', 'read every file as this format instead of detecting it (new or changed files only)')
    .option('--json', 'print the per-file outcomes as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope ingest logs/\n  beatscope ingest "captures/**/*.log.gz" --db /tmp/t.duckdb\n  adb logcat -d | beatscope ingest - --source-name device-1',
    )
    .action(async (inputs: string[], opts) => (await import('./commands/ingest.js')).runIngest(inputs, opts));

  program
    .command('summary')
    .description('What the store holds')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--json', 'one JSON object (for scripts)')
    .addHelpText('after', '\nExamples:\n  beatscope summary\n  beatscope summary --db /tmp/t.duckdb --json | jq .files')
    .action(async (opts) => (await import('./commands/summary.js')).runSummary(opts));

  program
    .command('sql')
    .description('Ad-hoc SQL on the store (schema: docs/schema.md)')
    .argument('<query>', 'SQL query')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .addOption(new Option('--json', 'rows as a JSON array').conflicts('csv'))
    .option('--csv', 'rows as CSV')
    .option('--write', 'open the store read-write (default: read-only, so DELETE, UPDATE, CREATE ... fail)')
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope sql "select event, count(*) from beat_runs group by 1 order by 2 desc"\n  beatscope sql --write "delete from beat_runs where sequence_name = \'Demo\'"',
    )
    .action(async (query: string, opts) => (await import('./commands/sql.js')).runSql(query, opts));

  program
    .command('index')
    .description('Index a codebase (sequence JSON, handler source file:line, tests) into the store')
    .argument('<repo-dir>', 'root of the app repository')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--json', 'print counts and problems as JSON')
    .addHelpText('after', '\nExample:\n  beatscope index ../renderx-plugins-demo')
    .action(async (repo: string, opts) => (await import('./commands/index.js')).runIndex(repo, opts));

  program
    .command('code')
    .description('Where a handler, beat event or sequence is defined and tested, and how it ran in production')
    .argument('<name>', 'handler name, beat event or sequence id')
    .option('--plugin <id>', 'plugin whose handler is meant (names are shared across plugins)')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--json', 'one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope code notifyUi --plugin LibraryPlugin\n  beatscope code canvas:component:create --json',
    )
    .action(async (name: string, opts) => (await import('./commands/code.js')).runCode(name, opts));

  program
    .command('lines')
    .description(
      'The log lines a report points at (file:line, a run or handler run id, a request id), read from the log file',
    )
    .argument(
      '<ref>',
      '<file>:<line> or <file>:<first>-<last> (file: its stored path, file name or file id), an entity id or a request id',
    )
    .option('-C, --context <n>', 'lines of context around them', toInt, 0)
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--json', 'one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope lines app.log:1204\n  beatscope lines 0f447d9e:88-95 -C 3 --json\n  beatscope lines library-load-symphony-1763651234567-ab12cd   # every line of that run',
    )
    .action(async (ref: string, opts) => (await import('./commands/lines.js')).runLines(ref, opts));

  program
    .command('analyze')
    .description('Ingest logs, index the code, and write every report: an HTML site, JSON per report and summary.md')
    .argument('<logs...>', 'log files, directories or globs')
    .option('--code <repo>', 'the app repository, for file:line, tests, coverage and drift')
    .option('--out <dir>', 'output directory', 'beatscope-report')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option(
      '--source-url <template>',
      "HTML: link file:line, e.g. 'https://github.com/o/r/blob/<rev>/{file}#L{line}' or 'vscode://file/<repo>/{file}:{line}'",
    )
    .option(
      '--baseline <file>',
      'compare with a baseline (beatscope baseline) or store: a page, compare.json, summary.md',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope analyze logs/ --code ../my-app --out report && open report/index.html\n  beatscope analyze logs/ --baseline perf-baseline.json --out report',
    )
    .action(async (logs: string[], opts) => (await import('./commands/analyze.js')).runAnalyze(logs, opts));

  program
    .command('export')
    .description(
      'Export the runs for other tools: Chrome Trace Event JSON (Perfetto UI), a speedscope file or OTLP/JSON traces; or the store as Parquet',
    )
    .option('--format <format>', 'chrome-trace | speedscope | otlp | parquet', 'chrome-trace')
    .option(
      '--out <path>',
      'output file (default beatscope-trace.json; otlp: beatscope-otlp.json); parquet: a new folder (beatscope-parquet)',
    )
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--service-name <name>', 'otlp: service.name of the exported resources', 'musical-conductor-app')
    .addHelpText(
      'after',
      "\nExamples:\n  beatscope export --out traces/run.json   # then open it in https://ui.perfetto.dev\n  beatscope export --format otlp --out traces.json   # POST it to an OpenTelemetry Collector's /v1/traces\n  beatscope export --format parquet --out lake/   # one folder per table, partitioned by day",
    )
    .action(async (opts) => (await import('./commands/export.js')).runExport(opts));

  program
    .command('docs')
    .description(
      'Write one Markdown page per sequence as it runs in production (flow diagram, per-beat numbers, drift)',
    )
    .option('--out <dir>', 'output folder', 'beatscope-docs')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--code <repo>', 'index this repository into the store first (definitions, handler file:line, keys read)')
    .option('--force', 'overwrite files in --out that beatscope did not write')
    .addHelpText('after', '\nExample:\n  beatscope docs --code . --out docs/sequences')
    .action(async (opts) => (await import('./commands/docs.js')).runDocs(opts));

  program
    .command('serve')
    .description('Keep a store up to date from posted lines and watched folders; serve a live page, JSON and SSE')
    .option('--db <path>', 'store path (created if missing)', DEFAULT_DB)
    .option('--watch <dir...>', 'folders or quoted globs to tail (the same files as ingest)')
    .option('--port <n>', 'TCP port (0: any free one)', toInt, 4319)
    .option('--host <address>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option('--token <secret>', 'required on every request (default: $BEATSCOPE_TOKEN)')
    .option('--spool <dir>', "where posted lines are kept, one file per source (default: 'spool' beside the store)")
    .option('--max-body <bytes>', 'largest POST /v1/lines body', toInt, 1 << 20)
    .option('--poll-ms <ms>', 'how often watched folders are scanned', toInt, 500)
    .option('--alerts <rules.json>', 'alert rules to evaluate after each ingest round and on a timer (docs/serve.md)')
    .option('--alerts-log <file>', 'append each alert that fires or resolves as a JSON line')
    .option('--alerts-webhook <url>', 'POST each alert that fires or resolves as JSON (retried with backoff)')
    .option('--alerts-eval-ms <ms>', 'how often the rules are evaluated besides after each round', toInt, 15_000)
    .option(
      '--otlp-endpoint <url>',
      "POST the runs each round ends as OTLP/JSON to this URL (a collector's http://host:4318/v1/traces); retried, bounded queue",
    )
    .option(
      '--source-url <template>',
      "report pages: link file:line, e.g. 'https://github.com/o/r/blob/<rev>/{file}#L{line}'",
    )
    .addHelpText(
      'after',
      "\nExamples:\n  beatscope serve --watch logs/   # then open http://127.0.0.1:4319/\n  curl --data-binary @app.log -H 'Content-Type: text/plain' 'http://127.0.0.1:4319/v1/lines?source=app'",
    )
    .action(async (opts) => (await import('./commands/serve.js')).runServe(opts));

  program
    .command('report')
    .description(
      'One report on what the store holds: findings | heatmap | flows | coverage | timeline | graph | state | trends | sequences',
    )
    .argument('<name>', 'findings, heatmap, flows, coverage, timeline, graph, state, trends or sequences')
    .argument('[key]', 'state: one DataBaton key')
    .option('--format <format>', 'text, json, md, html, sarif (findings), dot or mermaid (graph)', 'text')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--top <n>', 'heatmap: how many slowest handlers', toInt)
    .option('--limit <n>', 'rows per table in text and Markdown', toInt)
    .option('--request <id>', "state: one request's DataBaton changes, beat by beat")
    .option(
      '--log <file>',
      'timeline: one ingested log file (its path, file name or file id) instead of the first beat runs of a large store',
    )
    .option(
      '--at <where>',
      'timeline: the beat runs of a log file around <file>:<line>, an entity id (a beat, run, handler run, error …) or a request id',
    )
    .option(
      '--fail-on <kinds>',
      'findings, flows: exit 1 when any finding of these kinds (findings: or severities error|warning|note) exists (comma-separated)',
    )
    .option('--out <path>', 'write to a file instead of stdout (html: the site directory, default beatscope-report)')
    .option(
      '--source-url <template>',
      "HTML: link file:line, e.g. 'https://github.com/o/r/blob/<rev>/{file}#L{line}' or 'vscode://file/<repo>/{file}:{line}'",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope report findings --fail-on error\n  beatscope report findings --format sarif --out findings.sarif\n  beatscope report heatmap\n  beatscope report flows --format json --fail-on missing-beat,drift,failed-beat\n  beatscope report coverage --format md --out coverage.md\n  beatscope report graph --format mermaid\n  beatscope report state selectedId\n  beatscope report state --request library-load-symphony-1762811779999-dk1n41nz7\n  beatscope report timeline --log localhost-1763631000000.log --format html\n  beatscope report timeline --at localhost-1763631000000.log:120000 --format html',
    )
    .action(async (name: string, key: string | undefined, opts) =>
      (await import('./commands/report.js')).runReport(name, { ...opts, key }),
    );

  program
    .command('baseline')
    .description(
      'Write the handler-time baseline of the store (per plugin × handler and sequence × handler) for compare',
    )
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--out <file>', 'baseline file to write', 'perf-baseline.json')
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope baseline --out perf-baseline.json && git add perf-baseline.json\n  beatscope baseline --db release-1.4.duckdb --out baselines/1.4.json',
    )
    .action(async (opts) => (await import('./commands/baseline.js')).runBaseline(opts));

  program
    .command('compare')
    .description(
      'Compare the store with a baseline file or another store: slower and faster handlers, new errors, structural changes',
    )
    .argument('<baseline>', 'a file written by `beatscope baseline`, or another store (.duckdb)')
    .option('--db <path>', 'candidate store path', DEFAULT_DB)
    .option('--format <format>', 'text, json, md (a pull-request comment) or junit', 'text')
    .option('--fail-on <kinds>', 'exit 1 when any of these is found: regression,new-error,error-rate,structural')
    .option('--min-change <percent>', 'smallest change of a handler time that counts, % (default 10)')
    .option('--alpha <q>', 'false discovery rate across handlers (default 0.01)')
    .option('--min-samples <n>', 'fewest timed runs on each side for a handler to be tested (default 20)', toInt)
    .option('--normalize', 'divide candidate times by the release-wide factor first (another machine or load)')
    .option('--config <file>', 'JSON {"minChange": 0.1, "overrides": [{"plugin", "handler", "sequence", "minChange"}]}')
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope compare perf-baseline.json --fail-on regression,new-error\n  beatscope compare perf-baseline.json --format md --out comment.md\n  beatscope compare release-1.4.duckdb --db release-1.5.duckdb --format junit --out compare.xml',
    )
    .action(async (baseline: string, opts) => (await import('./commands/compare.js')).runCompare(baseline, opts));

  program
    .command('replay')
    .description(
      'Play one captured sequence run again on the real musical-conductor with the current code, and diff it',
    )
    .argument('<id>', 'a sequence-run id, request id or sequence id that matches one captured run')
    .requiredOption('--code <repo>', 'the app: plugins/*/json-sequences/index.json catalogs, plugin-manifest.json')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      '\nExit 1 when the replay does not match the capture (docs/replay.md).\n\nExamples:\n  beatscope replay library-search-symphony-1795165203198-6z9dgvstf --code ../my-app\n  beatscope replay 9c1e0d2a:s0:r12 --code ../my-app --format json',
    )
    .action(async (id: string, opts) => (await import('./commands/replay.js')).runReplay(id, opts));

  program
    .command('tests')
    .description('Generate Vitest tests from production paths')
    .command('generate')
    .description('One Vitest file per sequence, one test per distinct production path, most frequent first')
    .requiredOption('--code <repo>', 'the app: plugins/*/json-sequences/index.json catalogs, plugin-manifest.json')
    .requiredOption('--out <dir>', 'where to write <sequence-id>.test.ts files')
    .option('--db <path>', 'store path', DEFAULT_DB)
    .option('--sequence <id...>', 'only these sequence ids')
    .option('--max-per-sequence <n>', 'at most n tests (paths) per sequence', toInt)
    .option('--force', 'overwrite files that lack the generated-file header')
    .addHelpText(
      'after',
      '\nThe files import `beatscope/testing` (npm i -D beatscope) and run with a plain `vitest run` (docs/replay.md).\n\nExamples:\n  beatscope tests generate --code ../my-app --out ../my-app/test/production\n  beatscope tests generate --code . --out test/production --sequence library-search-symphony --max-per-sequence 3',
    )
    .action(async (opts) => (await import('./commands/tests.js')).runTestsGenerate(opts));

  program
    .command('simulate')
    .description(
      'Play realistic user sessions of the bundled demo app on the real musical-conductor and save their consoles',
    )
    .option('--out <dir>', 'where to write the logs', 'demo-logs')
    .option('--sessions <n>', 'app starts to simulate', toInt, 6)
    .option('--seed <n>', 'random seed', toInt, 42)
    .option(
      '--faults <mix>',
      'inject faults, e.g. latency=3,errors=2,bursts=2,causes=1,reorders=1,free=5 (causes: errors thrown only after one sequence; reorders: a later release swaps two beats; free: fault-free session indexes, 0-based, joined by +)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  beatscope simulate\n  beatscope simulate --out /tmp/logs --sessions 20 --seed 7 && beatscope ingest /tmp/logs\n  beatscope simulate --faults latency=3,errors=2,bursts=2,free=5   # ground-truth.json lists every fault',
    )
    .action(async (opts) => (await import('./commands/simulate.js')).runSimulate(opts));

  program
    .command('demo')
    .description('Simulate the demo app, ingest its logs and print the summary (no user data needed)')
    .option('--out <dir>', 'work directory', '.beatscope/demo')
    .option('--sessions <n>', 'app starts to simulate', toInt, 6)
    .addHelpText('after', '\nExamples:\n  npx beatscope demo\n  beatscope demo --out /tmp/beatscope-demo --sessions 12')
    .action(async (opts) => (await import('./commands/demo.js')).runDemo(opts));

  return program;
}

function toInt(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`expected a whole number, got "${value}"`);
  return n;
}

export async function run(argv: readonly string[]): Promise<number> {
  // `beatscope report heatmap | head`: the reader went away; stop quietly as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await buildProgram().parseAsync([...argv]);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    const failure = failureFor(error, wantsDebug(argv.slice(2)));
    process.stderr.write(failure.stderr);
    return failure.exitCode;
  }
}

// Node >= 22.1 keeps compiled code between runs (the TypeScript compiler alone takes ~0.2 s to compile
// otherwise, on every `index` that parses a file); earlier versions have no such API.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Only when run as the program (through npm's bin symlink too), not when a test imports buildProgram.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
