/**
 * The CLI's own JSON outputs (`ingest`, `summary`, `index`, `code`, `sql` with `--json`, `replay --format json`, `lines --json`): one object on stdout that
 * names its schema and version first, as every report's JSON does, so scripts can check what they parse
 * (docs/json-outputs.md). A change that renames or removes a field bumps the version here.
 */
export const CLI_JSON_VERSIONS = { ingest: 1, summary: 1, index: 1, code: 1, sql: 1, replay: 1, lines: 1 } as const;

export type CliJsonKind = keyof typeof CLI_JSON_VERSIONS;

export function cliJson(kind: CliJsonKind, body: object): string {
  return `${JSON.stringify({ schema: `beatscope/${kind}`, version: CLI_JSON_VERSIONS[kind], ...body }, null, 2)}\n`;
}

export function writeCliJson(kind: CliJsonKind, body: object): void {
  process.stdout.write(cliJson(kind, body));
}
