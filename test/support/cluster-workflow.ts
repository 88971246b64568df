// A workflow of the cluster test (test/cluster.test.ts): it waits for a signal naming a stage, sets
// exitflow's stage search attribute to it, and returns. Nothing of exitflow's own workflows.
import { condition, defineSignal, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../../workflows/search-attributes';

export const advance = defineSignal<[string]>('advance');

export async function clusterProbe(): Promise<string> {
  let stage: string | undefined;
  setHandler(advance, (s) => {
    stage = s;
  });
  await condition(() => stage !== undefined);
  upsertSearchAttributes([{ key: SA.stage, value: stage! }]);
  return `reached ${stage}`;
}
