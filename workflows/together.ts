import { patched } from '@temporalio/workflow';

/**
 * Independent steps run together: their activities are scheduled in one workflow task and their
 * completions come back together, so a case waits for one round instead of one per step. Runs
 * recorded before a site used this replay with the steps in turn: `patchId` names the site
 * (patched()), and is decided before any step starts.
 */
export async function together<T extends unknown[]>(patchId: string, steps: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (patched(patchId)) return (await Promise.all(steps.map((step) => step()))) as T;
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as T;
}
