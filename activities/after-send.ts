import { Context } from '@temporalio/activity';

/**
 * Once an e-mail has left or a platform has acknowledged, the record of it must be stored before the
 * activity ends: if PostgreSQL is down at that moment, failing the activity would make its retry send
 * the mail (or push) a second time. So the write is retried here, heartbeating, until PostgreSQL is
 * back; the activity's options (workflows/activities.ts `outbound`) give it the time for that.
 */
export const AFTER_SEND_BUDGET_MS = 150_000;

function heartbeat(): void {
  try {
    // A local activity has no heartbeat: the worker keeps its workflow task alive instead.
    if (!Context.current().info.isLocal) Context.current().heartbeat();
  } catch {
    // called outside an activity (unit tests): nothing to report to
  }
}

export async function storeAfterSend<T>(write: () => Promise<T>, opts: { budgetMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<T> {
  const until = Date.now() + (opts.budgetMs ?? AFTER_SEND_BUDGET_MS);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + wait > until) throw err;
      heartbeat();
      await sleep(wait);
      heartbeat();
    }
  }
}
