/**
 * `npm run cluster`: a real Temporal server on PostgreSQL (scripts/lib/temporal-cluster.ts), in the
 * foreground, with Temporal UI; Ctrl-C stops it. Temporal's data goes to TEMPORAL_DB_URL when set,
 * else to a throwaway PostgreSQL that is removed on stop.
 *
 *   npm run cluster                       # frontend on 7233 (TEMPORAL_PORT), UI on 8233 (TEMPORAL_UI_PORT)
 *   npm run cluster -- --headless         # no UI
 *   npm run cluster -- --build            # only obtain (build once) the binaries, then exit
 */
import { parseArgs } from 'node:util';
import { isPortInUse } from './lib/ports';
import { onShutdownSignal } from './lib/processes';
import { resolveClusterBinaries, resolveUiServer, startTemporalCluster, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from './lib/temporal-cluster';

const { values } = parseArgs({
  options: {
    build: { type: 'boolean', default: false },
    headless: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.TEMPORAL_PORT ?? '7233' },
    'ui-port': { type: 'string', default: process.env.TEMPORAL_UI_PORT ?? '8233' },
  },
});

async function main(): Promise<void> {
  if (values.build) {
    const bins = await resolveClusterBinaries();
    console.log(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${bins.server}\nSQL tool: ${bins.sql}`);
    if (!values.headless) console.log(`Temporal UI ${TEMPORAL_UI_VERSION}: ${await resolveUiServer()}`);
    return;
  }
  const port = Number(values.port);
  const uiPort = values.headless ? undefined : Number(values['ui-port']);
  for (const [p, what] of [[port, 'Temporal frontend'], [uiPort, 'Temporal UI']] as const) {
    if (p !== undefined && (await isPortInUse(p))) throw new Error(`Port ${p} (${what}) is already in use: stop the other server, or pass --port / --ui-port.`);
  }
  const cluster = await startTemporalCluster({ port, uiPort, logLevel: process.env.TEMPORAL_LOG_LEVEL });
  let stopping = false;
  onShutdownSignal(async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await cluster.stop();
    console.log('stopped');
    process.exit(0);
  });
  console.log(
    [
      `Temporal server ${cluster.version} (PostgreSQL persistence and SQL visibility)`,
      `  frontend     ${cluster.address}  (namespace ${cluster.namespace}; exitflow's search attributes registered)`,
      `  Temporal UI  ${cluster.uiUrl ?? '(none: --headless)'}`,
      `  PostgreSQL   ${cluster.db.host}:${cluster.db.port} databases ${cluster.db.database}, ${cluster.db.visibilityDatabase}${process.env.TEMPORAL_DB_URL ? '' : ' (throwaway: removed on stop; set TEMPORAL_DB_URL to keep it)'}`,
      `  server log   ${cluster.logFile}`,
      '',
      `Use it: TEMPORAL_ADDRESS=${cluster.address} npm start   (or EXITFLOW_TEMPORAL=cluster npm start, which starts its own)`,
      'Ctrl-C stops it.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
