import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * With RECORD_HISTORIES=1, write a run's history to test/histories/`file` for test/replay.test.ts:
 * protobufjs' own object form (enum names, longs and bytes as strings), read back there with
 * History.fromObject.
 */
export async function writeHistory(client: Pick<Client, 'workflow'>, workflowId: string, runId: string | undefined, file: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const { History } = temporal.api.history.v1;
  const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  writeFileSync(join(__dirname, '../histories', file), `${JSON.stringify(json, null, 1)}\n`);
}
