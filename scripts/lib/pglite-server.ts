/** The embedded default database (PGlite over the PostgreSQL wire protocol) used when DATABASE_URL is unset. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Pool size (per process) the app must use against PGlite.
 *
 * PGlite is ONE PostgreSQL session; the socket server multiplexes every client connection onto it,
 * one unit of work at a time (a simple query, an extended-protocol sequence up to Sync, or a whole
 * transaction: see serialiseProtocolSequences). Consequences: a connection that waits on another
 * one's open transaction in lock-step hangs (the app never does), named prepared statements clash
 * (the app uses none), and session state (SET, advisory locks, LISTEN) is shared by all connections.
 * More than a few connections buys nothing (one engine); 4 keeps pool waits out of the way while a
 * transaction holds the engine.
 */
export const PGLITE_POOL_MAX: number = 4;

/** How many client connections the socket server accepts at once (api + worker + migrations + psql). */
const MAX_SOCKET_CONNECTIONS = 20;

/** The parts of pglite-socket 0.2.17's (internal) query queue that `serialiseProtocolSequences` replaces. */
interface QueueItem {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}
interface QueryQueue {
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Message types that end a unit of work: a simple Query, or the Sync closing an extended-protocol sequence. */
const QUERY = 0x51; // 'Q'
const SYNC = 0x53; // 'S'
const TERMINATE = 0x58; // 'X'

/**
 * pglite-socket 0.2.17 multiplexes many client connections onto PGlite's one session, but it queues
 * single protocol messages: between one client's Parse and Bind another client's Parse can run and
 * replace the unnamed statement ("portal does not exist", or worse, a query run with another's
 * parameters), and after a failed message its queue stops for good. This keeps a client's
 * extended-protocol sequence (Parse … Sync) together, keeps its transaction together (as the library
 * does), and goes on after an error. Covered by test/infra/pglite-server.test.ts.
 */
function serialiseProtocolSequences(q: QueryQueue, db: PGlite): void {
  let pinned: number | null = null;
  q.processQueue = async function processQueue(): Promise<void> {
    if (q.processing) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const owner = pinned ?? (db.isInTransaction() ? q.lastHandlerId : null);
        const index = owner === null ? 0 : q.queue.findIndex((item) => item.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet; enqueue() resumes us
        const item = q.queue.splice(index, 1)[0]!;
        const type = item.message[0];
        let bytes = 0;
        try {
          await db.runExclusive(() => db.execProtocolRawStream(item.message, { onRawData: (d: Uint8Array) => ((bytes += d.length), item.onData(d)) }));
          item.resolve(bytes);
        } catch (err) {
          item.reject(err);
        }
        q.lastHandlerId = item.handlerId;
        // A startup packet (type byte 0), a simple query, a Sync or a Terminate ends the unit of work.
        pinned = type === 0 || type === QUERY || type === SYNC || type === TERMINATE ? null : item.handlerId;
      }
    } finally {
      q.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (pinned === handlerId) pinned = null;
  };
}

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
  serialiseProtocolSequences((server as unknown as { queryQueue: QueryQueue }).queryQueue, db);
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
