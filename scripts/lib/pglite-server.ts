/** The embedded default database (PGlite over the PostgreSQL wire protocol) used when DATABASE_URL is unset. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Pool size (per process) the app must use against PGlite.
 *
 * PGlite is ONE PostgreSQL session. pglite-socket 0.2.17 multiplexes every client connection onto it:
 * protocol messages are queued, and while a transaction is open only the connection that opened it is
 * served (the others wait, without timeout, until COMMIT/ROLLBACK or its disconnect, which rolls back).
 * Verified with pg.Pool(max 5): 1,000 concurrent parameterized queries of mixed shapes all correct;
 * 20 concurrent BEGIN/INSERT/UPDATE/COMMIT transactions all correct; an error in one does not disturb
 * others. What does NOT work: a connection waiting on another one's transaction in lock-step
 * (A BEGIN, then await B's query before A commits: hangs), named prepared statements
 * (`{ name: ... }`: "prepared statement already exists", they are per session), and any session
 * state (SET, advisory locks, LISTEN, temp tables) is shared by all connections and processes.
 * More than a few connections buys nothing (one engine); 4 keeps pool waits (and the pool's
 * connectionTimeoutMillis) out of the way while a transaction holds the engine.
 */
export const PGLITE_POOL_MAX: number = 4;

/** How many client connections the socket server accepts at once (api + worker + migrations + psql). */
const MAX_SOCKET_CONNECTIONS = 20;

export interface PgliteServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startPglite(opts: { dataDir?: string; port?: number; host?: string } = {}): Promise<PgliteServer> {
  const host = opts.host ?? '127.0.0.1';
  if (opts.dataDir) await fs.mkdir(path.resolve(opts.dataDir), { recursive: true });
  const db = await PGlite.create(opts.dataDir ? path.resolve(opts.dataDir) : undefined);
  const server = new PGLiteSocketServer({ db, host, port: opts.port ?? 0, maxConnections: MAX_SOCKET_CONNECTIONS });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const port = Number(server.getServerConn().split(':').pop());
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `postgres://postgres@${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/postgres?sslmode=disable`,
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        await db.close(); // flushes the data dir
      })()),
  };
}
