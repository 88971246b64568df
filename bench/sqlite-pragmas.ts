/**
 * How much do SQLite pragmas (journal_mode=wal, synchronous=normal) speed up the file-backed dev server?
 * Starts N workflows (no worker; start only) with bounded concurrency, with and without the pragmas.
 * Usage: npx tsx bench/sqlite-pragmas.ts [count=500] [concurrency=20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../scripts/lib/devserver';

const COUNT = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 20);

async function measure(pragmas: boolean): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'exitflow-bench-'));
  const server = await startDevServer({ headless: true, dbFile: path.join(dir, 'temporal.sqlite'), pragmas });
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COUNT) {
          const i = next++;
          await client.workflow.start('benchWorkflow', { workflowId: `bench-${i}`, taskQueue: 'bench-no-worker', args: [i] });
        }
      }),
    );
    return performance.now() - t0;
  } finally {
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  for (const pragmas of [false, true, false, true]) {
    const ms = await measure(pragmas);
    console.log(
      `pragmas=${pragmas ? 'wal+normal' : 'default  '} ${COUNT} starts, concurrency ${CONCURRENCY}: ` +
        `${(ms / 1000).toFixed(2)} s, ${((COUNT / ms) * 1000).toFixed(0)} starts/s`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
