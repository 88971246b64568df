import pg from 'pg';

// Return `date` columns as the plain legal date string (YYYY-MM-DD), never shifted by a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// numeric → JS number: capacities are well within double precision.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Db = pg.Pool;

export interface PoolOptions {
  /**
   * PostgreSQL cancels a statement that runs longer (SQLSTATE 57014, answered 503 with Retry-After),
   * so one runaway query cannot hold a connection for minutes; 0 sets no limit. 15 s is the
   * configured default (DATABASE_STATEMENT_TIMEOUT_MS).
   */
  statementTimeoutMs?: number;
  /** How long a caller waits for a free connection before failing (503): a full pool sheds load. */
  connectionTimeoutMs?: number;
}

export function createPool(databaseUrl: string, max = 10, opts: PoolOptions = {}): Db {
  const { statementTimeoutMs = 15_000, connectionTimeoutMs = 5_000 } = opts;
  // statement_timeout travels in the startup packet, so it holds for every statement on every
  // connection of the pool, including those inside inTransaction.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: connectionTimeoutMs, ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}) });
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
