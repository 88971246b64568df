import pg from 'pg';

// Return `date` columns as the plain legal date string (YYYY-MM-DD), never shifted by a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// numeric → JS number: capacities are well within double precision.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Db = pg.Pool;

export function createPool(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // A client losing its server (restart, network) must not crash the process: idle ones report to
  // the pool, and one that is checked out but between queries (a transaction waiting on Temporal)
  // reports on itself. Its next query fails, the caller's retry gets a fresh connection.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Run `fn` in one transaction: all of it is stored, or nothing. */
export async function inTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
