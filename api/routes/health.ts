import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import type { Mailer } from '../../activities/mailer';
import { endpoint } from '../routing';

/** A worker is counted as polling if the task queue saw its poll this recently (long polls last ~60 s). */
const POLLER_FRESH_MS = 120_000;
const CHECK_TIMEOUT_MS = 3_000;
/**
 * How long a passing SMTP check is believed. Saying EHLO opens an SMTP session, and readiness is polled
 * every few seconds by each orchestrator and load balancer: a relay may count (and throttle) those
 * sessions. A failing check is not remembered, so recovery shows on the next poll.
 */
export const SMTP_CHECK_TTL_MS = 30_000;

const Check = z.object({ status: z.enum(['pass', 'fail']), latencyMs: z.number(), detail: z.string().optional() });
const Health = z
  .object({ status: z.enum(['pass', 'fail']), failing: z.array(z.string()), checks: z.record(z.string(), Check) })
  .meta({
    id: 'Health',
    description: 'pass only when Temporal, a worker on the task queue, PostgreSQL and SMTP all answer',
    example: {
      status: 'pass',
      failing: [],
      checks: {
        temporal: { status: 'pass', latencyMs: 4 },
        worker: { status: 'pass', latencyMs: 6, detail: '2 poller(s) on exitflow-cases' },
        database: { status: 'pass', latencyMs: 2 },
        smtp: { status: 'pass', latencyMs: 31 },
      },
    },
  });
const Liveness = z.object({ status: z.literal('pass') }).meta({ id: 'Liveness', description: 'The process is up and serving HTTP; nothing it depends on is asked', example: { status: 'pass' } });

export interface HealthDeps {
  db: Db;
  temporal: Client;
  mailer: Mailer;
  namespace: string;
  taskQueue: string;
}

async function timed(fn: () => Promise<string | void>): Promise<z.infer<typeof Check>> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    const detail = await Promise.race([fn(), timeout]);
    return { status: 'pass', latencyMs: Date.now() - started, ...(detail ? { detail } : {}) };
  } catch (err) {
    return { status: 'fail', latencyMs: Date.now() - started, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `check`, with a pass remembered for `ttlMs` and one call in flight at a time (concurrent polls share it).
 */
export function rememberingPass(check: () => Promise<string | void>, ttlMs: number, now: () => number = Date.now): () => Promise<string | void> {
  let passedAt = -Infinity;
  let detail: string | void;
  let inFlight: Promise<string | void> | undefined;
  return async () => {
    if (now() - passedAt < ttlMs) return detail;
    inFlight ??= check()
      .then((d) => {
        passedAt = now();
        detail = d;
        return d;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

export function healthChecks(deps: HealthDeps): Record<string, () => Promise<string | void>> {
  const smtp = rememberingPass(() => deps.mailer.verify(), SMTP_CHECK_TTL_MS);
  return {
    // Temporal calls carry the check's deadline themselves, so none outlives the check (and its retries stop).
    temporal: async () => {
      await deps.temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => deps.temporal.workflowService.getSystemInfo({}));
    },
    worker: async () => {
      const res = await deps.temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
        deps.temporal.workflowService.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.taskQueue, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const now = Date.now();
      const fresh = (res.pollers ?? []).filter((p) => {
        const seconds = Number(p.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < POLLER_FRESH_MS;
      });
      if (fresh.length === 0) throw new Error(`no worker is polling task queue ${deps.taskQueue}`);
      return `${fresh.length} poller(s) on ${deps.taskQueue}`;
    },
    database: async () => {
      await deps.db.query('SELECT 1');
    },
    smtp,
  };
}

export function healthEndpoints(deps: HealthDeps) {
  const checks = healthChecks(deps);
  const readiness = (path: string, summary: string) =>
    endpoint({
      method: 'get',
      path,
      summary,
      tags: ['operations'],
      auth: false,
      responses: {
        200: { description: 'All parts answer', schema: Health },
        503: {
          description: 'A part is down; `failing` names it',
          schema: Health,
          example: {
            status: 'fail',
            failing: ['worker'],
            checks: {
              temporal: { status: 'pass', latencyMs: 5 },
              worker: { status: 'fail', latencyMs: 7, detail: 'no worker is polling task queue exitflow-cases' },
              database: { status: 'pass', latencyMs: 2 },
              smtp: { status: 'pass', latencyMs: 0 },
            },
          },
        },
      },
      async handler() {
        const names = Object.keys(checks);
        const results = await Promise.all(names.map((n) => timed(checks[n] as () => Promise<string | void>)));
        const byName = Object.fromEntries(names.map((n, i) => [n, results[i]]));
        const failing = names.filter((n) => byName[n]?.status === 'fail');
        return { status: failing.length ? 503 : 200, body: { status: failing.length ? 'fail' : 'pass', failing, checks: byName } };
      },
    });
  return [
    endpoint({
      method: 'get',
      path: '/health/live',
      summary: 'Liveness: the process is up (restart it when this fails); asks nothing it depends on',
      tags: ['operations'],
      auth: false,
      responses: { 200: { description: 'Up', schema: Liveness } },
      async handler() {
        return { status: 200, body: { status: 'pass' } };
      },
    }),
    readiness('/health/ready', 'Readiness: Temporal, a worker, PostgreSQL and SMTP answer (send traffic only while this passes); a passing SMTP check is reused for 30 s'),
    readiness('/health', 'Readiness under its earlier name (the same as /health/ready)'),
  ];
}
