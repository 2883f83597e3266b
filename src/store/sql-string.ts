/** A SQL string literal: single quotes doubled (standard SQL; DuckDB and PostgreSQL read backslashes literally). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
