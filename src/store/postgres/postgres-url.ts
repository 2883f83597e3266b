/**
 * Telling a PostgreSQL `--db` from a DuckDB path, and printing it without its password. Apart from the store so
 * that a command opening a DuckDB file does not load the PostgreSQL client (`pg`, ~0.1 s of every start).
 */

/** True for a `--db` value naming a PostgreSQL server rather than a DuckDB file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}
