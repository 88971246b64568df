import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import type { Mailer } from '../../activities/mailer';
import { endpoint } from '../routing';

/** A worker is counted as polling if the task queue saw its poll this recently (long polls last ~60 s). */
const POLLER_FRESH_MS = 120_000;
const CHECK_TIMEOUT_MS = 3_000;

const Check = z.object({ status: z.enum(['pass', 'fail']), latencyMs: z.number(), detail: z.string().optional() });
const Health = z
  .object({ status: z.enum(['pass', 'fail']), failing: z.array(z.string()), checks: z.record(z.string(), Check) })
  .meta({ id: 'Health', description: 'pass only when Temporal, a worker on the task queue, PostgreSQL and SMTP all answer' });

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

export function healthChecks(deps: HealthDeps): Record<string, () => Promise<string | void>> {
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
    smtp: async () => {
      await deps.mailer.verify();
    },
  };
}

export function healthEndpoints(deps: HealthDeps) {
  const checks = healthChecks(deps);
  return [
    endpoint({
      method: 'get',
      path: '/health',
      summary: 'Health of exitflow and everything it depends on',
      tags: ['operations'],
      auth: false,
      responses: { 200: { description: 'All parts answer', schema: Health }, 503: { description: 'A part is down; `failing` names it', schema: Health } },
      async handler() {
        const names = Object.keys(checks);
        const results = await Promise.all(names.map((n) => timed(checks[n] as () => Promise<string | void>)));
        const byName = Object.fromEntries(names.map((n, i) => [n, results[i]]));
        const failing = names.filter((n) => byName[n]?.status === 'fail');
        return { status: failing.length ? 503 : 200, body: { status: failing.length ? 'fail' : 'pass', failing, checks: byName } };
      },
    }),
  ];
}
