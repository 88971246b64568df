import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
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

/**
 * The case's short, local side effects as local activities (patch 'local-steps'): its own read model
 * (case_events, decisions, retired capacity), the holiday calendar, and the mails it sends through our
 * SMTP relay. They run inside the workflow task that asks for them, each recorded as one marker, so a
 * step of several writes and mails costs one round with the server instead of one per call.
 * Each is idempotent by its key like the remote ones (a worker lost mid-task re-runs the task and
 * finds the row or the mail already done). Retries stay unlimited: after `localRetryThreshold` the
 * worker waits on a server timer instead of holding the task, so an official's action is not held up
 * for long by PostgreSQL or SMTP being down. Pushes to the credit platforms (third parties, slow)
 * stay remote activities.
 */
const LOCAL_STEPS = new Set<string>(['recordCaseOpened', 'holidayCalendar', 'recordStage', 'closeDecision', 'rescheduleDecision', 'recordRetiredCapacity', 'sendCaseMail', 'requestDecision', 'notifyAuthorities']);
const localRetry = { retry, localRetryThreshold: '10 seconds' } as const;
const localWrites = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', ...localRetry });
// A mail waits for PostgreSQL to store that it left (activities/after-send.ts), as `outbound` does.
const localMails = proxyLocalActivities<Activities>({ startToCloseTimeout: '3 minutes', ...localRetry });

const localActs: typeof local = withSummaries(
  new Proxy(local, {
    get: (target, name) => {
      if (typeof name !== 'string') return Reflect.get(target, name);
      if (LOCAL_STEPS.has(name)) return (OUTBOUND.has(name) ? localMails : localWrites)[name as keyof Activities];
      return OUTBOUND.has(name) ? outbound[name as keyof Activities] : target[name as keyof Activities];
    },
  }),
);

/** The case workflow's activities: local steps for cases started under 'local-steps', remote for the ones before. */
export function caseActivities(localSteps: boolean): typeof local {
  return localSteps ? localActs : acts;
}
