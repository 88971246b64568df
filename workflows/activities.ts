import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** The case's side effects, each idempotent (activities/). */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // PostgreSQL, SMTP or a platform being down is waited out: retry without limit, at most every 10 s.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
