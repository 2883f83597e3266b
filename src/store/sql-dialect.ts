/**
 * The spellings DuckDB and PostgreSQL differ on in the SQL that both stores run — the graph facts'
 * (analyses/graph/graph-sql-dialect.ts adds its own) and the schema upgrade's (schema-v1-upgrade.ts); the rest of
 * each query is one text both accept.
 */
export interface SqlDialect {
  /** Elements in a list or array. */
  readonly length: (list: string) => string;
  /** An aggregate: `value` of the group's rows in `order`, as a list; rows where `where` holds. */
  readonly listOf: (value: string, order: string, where: string) => string;
}

export const DUCKDB_SQL: SqlDialect = {
  length: (list) => `len(${list})`,
  listOf: (value, order, where) => `list(${value} ORDER BY ${order}) FILTER (WHERE ${where})`,
};

export const POSTGRES_SQL: SqlDialect = {
  length: (list) => `cardinality(${list})`,
  listOf: (value, order, where) => `array_agg(${value} ORDER BY ${order}) FILTER (WHERE ${where})`,
};
