/**
 * Standalone stand-in for the external platforms (credit platform, licence registries, power supply, banks).
 * Env: RECORDING_PORT (4010), RECORDING_DIR (keep calls in <dir>/calls.jsonl across restarts).
 */
import { onShutdownSignal } from './lib/processes';
import { startRecordingEndpoint } from './lib/recording-endpoint';

async function main() {
  const endpoint = await startRecordingEndpoint({
    port: Number(process.env.RECORDING_PORT ?? 4010),
    ...(process.env.RECORDING_DIR ? { dir: process.env.RECORDING_DIR } : {}),
  });
  console.log(`PLATFORM_PUSH_URL=${endpoint.url}`);
  console.log(`Calls: ${endpoint.url}/calls (${endpoint.calls.length} so far). Ctrl-C to stop.`);
  let seen = endpoint.calls.length;
  setInterval(() => {
    for (const c of endpoint.calls.slice(seen)) {
      console.log(`${c.receivedAt} ${c.status} ${c.method} ${c.path} ${c.headers['idempotency-key'] ?? ''} ${c.acknowledgement ?? ''}`);
    }
    seen = endpoint.calls.length;
  }, 500);
  onShutdownSignal(async () => {
    await endpoint.stop();
    process.exit(0);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
