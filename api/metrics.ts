import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The Node process's own metrics (CPU, resident memory, heap, event-loop lag, GC), registered once
 * per process: tests build many apps in one process, and each would otherwise start its own
 * event-loop and GC observers.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The endpoint a request reached, as its pattern (`/api/v1/cases/:caseId`), never the raw URL: a
 * label per case id would grow without bound. A request answered by middleware mounted on a path
 * (the public rate limiter, Swagger UI) is labelled `<mount>/*`; one that matched nothing, `unmatched`.
 */
export function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return req.baseUrl + path;
  if (Array.isArray(path)) return path.map((p) => req.baseUrl + String(p)).join('|');
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

/** The API's metrics, in a registry of its own per app; `/metrics` answers them with the process's. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'exitflow_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'exitflow_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    // Case actions wait for the workflow (API_UPDATE_TIMEOUT_MS, 15 s by default): buckets reach past it.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    registers: [this.registry],
  });
  readonly replays = new Counter({
    name: 'exitflow_http_idempotent_replays_total',
    help: 'Commands answered from a stored response because their Idempotency-Key was seen before (a client retry)',
    labelNames: ['method', 'route'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'exitflow_http_rate_limited_total',
    help: 'Requests refused with 429 by a rate limiter of the public (no token) endpoints, by limiter',
    labelNames: ['limiter'] as const,
    registers: [this.registry],
  });

  /** Counts every request when its answer has been sent. Mount first, so nothing escapes it. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.duration.startTimer();
      res.once('finish', () => {
        const labels = { method: req.method, route: routePattern(req), status: String(res.statusCode) };
        stop(labels);
        this.requests.inc(labels);
        // api/idempotency.ts replay() marks every replayed answer with this header.
        if (res.getHeader('Idempotent-Replayed') === 'true') this.replays.inc({ method: labels.method, route: labels.route });
      });
      next();
    };
  }

  /** The Prometheus text of the process's and the API's metrics. */
  async text(): Promise<string> {
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}`;
  }

  /** `GET /metrics`; with a token configured, only a scraper presenting it as a bearer token is answered. */
  handler(token: string | undefined): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (token !== undefined && !bearerMatches(req.get('authorization'), token)) {
          res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('metrics need the bearer token METRICS_TOKEN\n');
          return;
        }
        res.type(this.registry.contentType).send(await this.text());
      } catch (err) {
        next(err);
      }
    };
  }
}

/** Whether an Authorization header carries `token` as a bearer token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
