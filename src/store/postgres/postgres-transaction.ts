/**
 * One transaction on a pooled client: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws. A client whose ROLLBACK
 * failed (its connection is gone) is discarded by the pool instead of being handed out again.
 */
import type { Pool, PoolClient } from 'pg';

export async function inTransaction<T>(pool: Pool, body: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
