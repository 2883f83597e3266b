import { describe, expect, it } from 'vitest';
import { isPostgresUrl, redact } from './postgres-url.js';

describe('PostgreSQL store URLs', () => {
  it('tells a server URL from a DuckDB path', () => {
    expect(isPostgresUrl('postgres://u@h:5432/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('.beatscope/telemetry.duckdb')).toBe(false);
    expect(isPostgresUrl('postgres.duckdb')).toBe(false);
  });

  it('hides a password in what it prints', () => {
    expect(redact('postgres://team:s3cr%40t@db.internal:5432/beatscope')).toBe(
      'postgres://team:***@db.internal:5432/beatscope',
    );
    expect(redact('postgres://team@db.internal/beatscope')).toBe('postgres://team@db.internal/beatscope');
  });
});
