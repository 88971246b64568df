import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { withSummaries } from './ui-metadata';

// PostgreSQL, SMTP or a platform being down is waited out: retry without limit, at most every 10 s.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;

const local = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

/**
 * Activities that send something out (e-mail, platform pushes): once it has left they wait for
 * PostgreSQL to store that it did (activities/after-send.ts) rather than fail and send it again, so
 * they get minutes, and heartbeat while they wait so a lost worker is still noticed in 30 s.
 */
const outbound = proxyActivities<Activities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30 seconds', retry });
const OUTBOUND = new Set<string>(['sendCaseMail', 'pushToPlatform', 'requestDecision', 'notifyAuthorities']);

/** The case's side effects, each idempotent (activities/), each with its summary in Temporal UI (patch 'ui-metadata'). */
export const acts: typeof local = withSummaries(
  new Proxy(local, {
    get: (target, name) => (typeof name === 'string' && OUTBOUND.has(name) ? outbound[name as keyof Activities] : target[name as keyof Activities]),
  }),
);
