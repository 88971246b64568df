/**
 * The worker's Prometheus endpoint: the Temporal SDK's own metrics (the core's exporter, bound to a
 * loopback port by installRuntime in worker.ts) and exitflow's, in one `/metrics`, so one scrape
 * job gets both. exitflow's are the activities it ran (by type and outcome) and, read from
 * PostgreSQL at scrape time, the backlog an operator acts on: mail waiting in the outbox, cases by
 * stage and overdue, decisions past their due time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledFailure, CompleteAsyncError } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { bearerMatches, processMetrics } from '../api/metrics';
import type { Db } from '../db/pool';
import { TERMINAL_STAGES } from '../domain/stages';

export type ActivityOutcome = 'completed' | 'failed' | 'cancelled' | 'async';

function outcomeOf(err: unknown): ActivityOutcome {
  if (err instanceof CompleteAsyncError) return 'async';
  if (err instanceof CancelledFailure) return 'cancelled';
  return 'failed';
}

export class WorkerMetrics {
  readonly registry = new Registry();
  /** The gauges read from PostgreSQL: left out of a scrape whose read failed, rather than reported as 0. */
  private readonly backlog = new Registry();
  readonly activities = new Counter({
    name: 'exitflow_activities_total',
    help: 'Activity attempts finished by this worker, by activity type and outcome (completed, failed: the SDK retries it unless non-retryable, cancelled, async)',
    labelNames: ['activity_type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly activityDuration = new Histogram({
    name: 'exitflow_activity_duration_seconds',
    help: 'Time an activity attempt ran in this worker, by activity type and outcome',
    labelNames: ['activity_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly outboxWaiting = new Gauge({
    name: 'exitflow_outbox_waiting',
    help: "Notifications claimed for sending ('sending') and not yet confirmed sent: mail the SMTP relay has not accepted",
    registers: [this.backlog],
  });
  readonly outboxOldest = new Gauge({
    name: 'exitflow_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest notification still waiting to be sent (0 when none waits)',
    registers: [this.backlog],
  });
  readonly cases = new Gauge({ name: 'exitflow_cases', help: 'Cases by stage (the read model in PostgreSQL)', labelNames: ['stage'] as const, registers: [this.backlog] });
  readonly casesOverdue = new Gauge({
    name: 'exitflow_cases_overdue',
    help: 'Cases the workflow has marked overdue (逾期), by stage',
    labelNames: ['stage'] as const,
    registers: [this.backlog],
  });
  readonly casesPastDeadline = new Gauge({
    name: 'exitflow_cases_past_deadline',
    help: 'Open cases whose deadline has passed, by stage; above exitflow_cases_overdue for long means deadline timers are not firing (worker down or behind)',
    labelNames: ['stage'] as const,
    registers: [this.backlog],
  });
  readonly decisionsOpen = new Gauge({ name: 'exitflow_decisions_open', help: 'Decisions awaiting an authority, by kind', labelNames: ['kind'] as const, registers: [this.backlog] });
  readonly decisionsOverdue = new Gauge({
    name: 'exitflow_decisions_overdue',
    help: 'Open decisions past their due time (an authority has not decided in time), by kind',
    labelNames: ['kind'] as const,
    registers: [this.backlog],
  });
  readonly databaseUp = new Gauge({
    name: 'exitflow_metrics_database_up',
    help: '1 when the backlog gauges were read from PostgreSQL at this scrape; 0 when the read failed (the gauges are then left out)',
    registers: [this.registry],
  });

  /** @param db a small pool of its own with a short statement timeout (a scrape must not wait on a slow query). */
  constructor(private readonly db?: Db) {}

  /** The activity inbound interceptor that counts every attempt by type and outcome. */
  activityInterceptor(): ActivityInterceptorsFactory {
    return (ctx) => ({
      inbound: {
        execute: async (input, next) => {
          const activityType = ctx.info.activityType;
          const stop = this.activityDuration.startTimer({ activity_type: activityType });
          const finish = (outcome: ActivityOutcome) => {
            stop({ outcome });
            this.activities.inc({ activity_type: activityType, outcome });
          };
          try {
            const result = await next(input);
            finish('completed');
            return result;
          } catch (err) {
            finish(outcomeOf(err));
            throw err;
          }
        },
      },
    });
  }

  /** Read the backlog gauges from PostgreSQL; whether they could be read. */
  async collect(): Promise<boolean> {
    this.backlog.resetMetrics();
    if (!this.db) return false;
    try {
      const [outbox, cases, decisions] = await Promise.all([
        this.db.query<{ waiting: number; oldest: number }>(
          `SELECT count(*)::int AS waiting, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest FROM notifications WHERE status = 'sending'`,
        ),
        this.db.query<{ stage: string; n: number; overdue: number; past: number }>(
          `SELECT stage, count(*)::int AS n, count(*) FILTER (WHERE overdue)::int AS overdue,
                  count(*) FILTER (WHERE deadline < now() AND NOT stage = ANY($1::text[]))::int AS past
             FROM cases GROUP BY stage`,
          [TERMINAL_STAGES],
        ),
        this.db.query<{ kind: string; open: number; overdue: number }>(
          `SELECT kind, count(*)::int AS open, count(*) FILTER (WHERE due_at < now())::int AS overdue FROM decisions WHERE status = 'open' GROUP BY kind`,
        ),
      ]);
      this.outboxWaiting.set(outbox.rows[0]?.waiting ?? 0);
      this.outboxOldest.set(outbox.rows[0]?.oldest ?? 0);
      for (const r of cases.rows) {
        this.cases.set({ stage: r.stage }, r.n);
        this.casesOverdue.set({ stage: r.stage }, r.overdue);
        this.casesPastDeadline.set({ stage: r.stage }, r.past);
      }
      for (const r of decisions.rows) {
        this.decisionsOpen.set({ kind: r.kind }, r.open);
        this.decisionsOverdue.set({ kind: r.kind }, r.overdue);
      }
      this.databaseUp.set(1);
      return true;
    } catch {
      this.databaseUp.set(0);
      return false;
    }
  }

  /** exitflow's metrics and the process's, in the Prometheus text format. */
  async text(): Promise<string> {
    const backlog = (await this.collect()) ? await this.backlog.metrics() : '';
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}\n${backlog}`;
  }
}

/** The SDK exporter's text, or a comment saying why it is missing (the rest of the scrape still answers). */
async function sdkMetricsText(url: string | undefined): Promise<string> {
  if (!url) return '';
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return `# Temporal SDK metrics unavailable: ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${(err as Error).message}\n`;
  }
}

export interface WorkerMetricsServerOptions {
  port: number;
  host?: string;
  metrics: WorkerMetrics;
  /** The SDK exporter's `/metrics` (http://127.0.0.1:<port>/metrics), when installed. */
  sdkMetricsUrl?: string;
  /** METRICS_TOKEN: required as a bearer token on `/metrics` when set (`/health` stays open for healthchecks). */
  token?: string;
  /** The worker's state (`RUNNING` is healthy). */
  state: () => string;
  log: Logger;
}

/** Serve `/metrics` (SDK and exitflow's metrics) and `/health` (200 while the worker runs). */
export async function serveWorkerMetrics(opts: WorkerMetricsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET' }).end();
    } else if (path === '/health') {
      const state = opts.state();
      res.writeHead(state === 'RUNNING' ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ state }));
    } else if (path === '/metrics') {
      if (opts.token !== undefined && !bearerMatches(req.headers.authorization, opts.token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain' }).end('metrics need the bearer token METRICS_TOKEN\n');
        return;
      }
      Promise.all([sdkMetricsText(opts.sdkMetricsUrl), opts.metrics.text()])
        .then(([sdk, own]) => res.writeHead(200, { 'Content-Type': opts.metrics.registry.contentType }).end(`${sdk.trimEnd()}\n\n${own}`))
        .catch((err) => {
          opts.log.warn({ err }, 'metrics scrape failed');
          res.writeHead(500).end();
        });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  opts.log.info({ port: (server.address() as AddressInfo).port }, 'worker metrics listening');
  return server;
}
