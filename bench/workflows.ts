// Bare Temporal for the benchmark's baseline: an empty workflow and a no-op update.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const finishUpdate = defineUpdate<void>('finish');

/** Waits for updates until told to finish: the least a case workflow could do. */
export async function bareWorkflow(): Promise<void> {
  let done = false;
  setHandler(noopUpdate, (n) => n);
  setHandler(finishUpdate, () => {
    done = true;
  });
  await condition(() => done);
}
