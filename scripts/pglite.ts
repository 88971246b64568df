/** Serve the embedded PGlite database over the wire protocol; prints `DATABASE_URL=…`, runs until Ctrl-C. */
import { startPglite } from './lib/pglite-server';
import { onShutdownSignal } from './lib/processes';

async function main() {
  const server = await startPglite({ dataDir: process.env.PGLITE_DATA_DIR || undefined, port: process.env.PGLITE_PORT ? Number(process.env.PGLITE_PORT) : undefined });
  console.log(`DATABASE_URL=${server.url}`);
  onShutdownSignal(async () => {
    await server.stop();
    process.exit(0);
  });
  setInterval(() => undefined, 1 << 30); // stay in the foreground
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
