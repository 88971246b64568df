import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express from 'express';
import helmet from 'helmet';
import { rateLimit, type Store } from 'express-rate-limit';
import { PostgresStore } from '@acpr/rate-limit-postgresql';
import pinoHttp from 'pino-http';
import type { Logger } from 'pino';
import { LOG_REDACTION } from '../config/logger';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../config';
import { DEFAULT_TOKEN_MAX_AGE_HOURS, jwtSecret, usesDevelopmentKey } from '../config';
import type { Db } from '../db/pool';
import type { Mailer } from '../activities/mailer';
import type { TokenSettings } from './auth';
import { ApiProblem, problemHandler, problems, sendProblem } from './problem';
import { IdempotencyStore } from './idempotency';
import { ApiMetrics } from './metrics';
import { mount, openApiDocument, type AnyEndpoint } from './routing';
import { actionEndpoints } from './routes/actions';
import { auditEndpoints } from './routes/audit';
import { caseEndpoints } from './routes/cases';
import { campaignEndpoints } from './routes/campaigns';
import { campaignProgressEndpoints } from './routes/campaign-progress';
import { campaignReportEndpoints } from './routes/campaign-reports';
import { campaignSurveyEndpoints } from './routes/campaign-survey';
import { decisionEndpoints } from './routes/decisions';
import { EDITION_PATH, editionCsvDownload, listEditionEndpoints } from './routes/list-editions';
import { PUBLIC_LIST_PATH, publicCsvDownload, publicEndpoints } from './routes/public';
import { ListEditions } from './services/list-editions';
import { PublicLists } from './services/public-lists';
import { evidenceEndpoints } from './routes/evidence';
import { enterpriseEndpoints } from './routes/enterprises';
import { healthEndpoints } from './routes/health';
import { supervisionEndpoints } from './routes/supervision';
import { PUBLIC_REPORTS_PATH, publicReportEndpoints } from './routes/public-reports';
import { reporterKey } from '../db/reporter-identity';
import { devLoginEndpoints } from './routes/dev-login';
import { consolePages } from './console';
import { CODEC_PATH, codecRoutes } from './routes/codec';
import { payloadCodecOf } from '../config/payload-codec';

export interface AppDeps {
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_UI_URL' | 'PUBLIC_BASE_URL' | 'AUTH_JWT_SECRET' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE'> &
    Partial<Pick<Config, 'NODE_ENV' | 'METRICS_TOKEN' | 'PUBLIC_RATE_LIMIT_PER_MINUTE' | 'PUBLIC_REPORT_RATE_LIMIT_PER_HOUR' | 'REPORTER_IDENTITY_KEY' | 'PUBLIC_LIST_CACHE_SECONDS' | 'AUTH_TOKEN_MAX_AGE_HOURS' | 'API_UPDATE_TIMEOUT_MS' | 'SURVEY_ASYNC_ROWS' | 'TRUST_PROXY'>> &
    Partial<Pick<Config, 'AUTH_OIDC_ISSUER' | 'AUTH_OIDC_JWKS_URL' | 'AUTH_OIDC_AUDIENCE' | 'AUTH_OIDC_CLAIM_PREFIX'>> &
    Partial<Pick<Config, 'PAYLOAD_CODEC_KEYS' | 'TEMPORAL_UI_ORIGIN' | 'RATE_LIMIT_STORE' | 'DATABASE_URL'>>;
  db: Db;
  /** The public lists' own small pool (api/main.ts), so anonymous load cannot take the officials' connections; `db` when absent. */
  publicDb?: Db;
  temporal: Client;
  mailer: Mailer;
  log: Logger;
}

export const API_VERSION = '0.1.0';

/** The public lists, read from their own pool when given one, with their short-lived cache. */
export function publicListsOf(deps: AppDeps): PublicLists {
  return new PublicLists(deps.publicDb ?? deps.db, { cacheSeconds: deps.config.PUBLIC_LIST_CACHE_SECONDS ?? 30 });
}

/** The kept editions of the public lists, read through the public lists' own pool (publishing writes through `db`). */
function editionsOf(deps: AppDeps): ListEditions {
  return new ListEditions(deps.publicDb ?? deps.db);
}

/** Every endpoint of the API; the OpenAPI document is generated from this list. */
export function allEndpoints(deps: AppDeps, publicLists = publicListsOf(deps)): AnyEndpoint[] {
  const { config, db, temporal, mailer } = deps;
  return [
    ...healthEndpoints({ db, temporal, mailer, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE }),
    ...enterpriseEndpoints(db),
    ...caseEndpoints({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, temporalUiUrl: config.TEMPORAL_UI_URL }),
    ...actionEndpoints({ db, temporal, updateTimeoutMs: config.API_UPDATE_TIMEOUT_MS }),
    ...campaignEndpoints({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, temporalUiUrl: config.TEMPORAL_UI_URL, updateTimeoutMs: config.API_UPDATE_TIMEOUT_MS }),
    ...campaignProgressEndpoints(db),
    ...campaignReportEndpoints({ db, temporal, updateTimeoutMs: config.API_UPDATE_TIMEOUT_MS }),
    ...campaignSurveyEndpoints({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, asyncRows: config.SURVEY_ASYNC_ROWS }),
    ...evidenceEndpoints(db),
    ...decisionEndpoints(db),
    ...auditEndpoints(db),
    ...listEditionEndpoints({ db, lists: publicLists, editions: editionsOf(deps) }),
    ...publicEndpoints(publicLists, editionsOf(deps)),
    ...supervisionEndpoints({ db, publicDb: deps.publicDb ?? db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, temporalUiUrl: config.TEMPORAL_UI_URL, updateTimeoutMs: config.API_UPDATE_TIMEOUT_MS }),
    ...publicReportEndpoints({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, updateTimeoutMs: config.API_UPDATE_TIMEOUT_MS, reporterKey: reporterKey(config) }),
    ...devLoginEndpoints({ db, tokens: { secret: jwtSecret(config), issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }, environment: config.NODE_ENV, developmentKey: usesDevelopmentKey(config) }),
  ];
}

/**
 * Where a limiter counts: in this process (memory, the default), or with RATE_LIMIT_STORE=postgres in
 * the app database (schema rate_limit, created by the store on first use), so that several API
 * replicas behind a load balancer share one count per client. `name` keeps each limiter's counts
 * apart. The stores' own small pools are listed in `app.locals.rateLimitStores` (closed at shutdown).
 */
function limiterStore(deps: AppDeps, name: string, stores: PostgresStore[]): { store?: Store } {
  if (deps.config.RATE_LIMIT_STORE !== 'postgres') return {};
  if (!deps.config.DATABASE_URL) throw new Error('RATE_LIMIT_STORE=postgres needs DATABASE_URL');
  const store = new PostgresStore({ connectionString: deps.config.DATABASE_URL, max: 2 }, `exitflow-${name}`);
  const init = store.init.bind(store);
  // The store's pool has no error listener: an idle connection dropped by a PostgreSQL restart would end the process.
  store.init = (options) => {
    init(options);
    (store.pool as NodeJS.EventEmitter).on('error', (err: Error) => deps.log.warn({ err, limiter: name }, 'rate-limit store connection lost; reconnects on next use'));
  };
  stores.push(store);
  return { store };
}

/**
 * The store sets up its schema (rate_limit) itself, in the background, from each store's constructor
 * (one connection each, taking turns under an advisory lock): a limiter asked before that is done
 * would fail the request. api/main.ts waits until the schema is there and those connections are gone.
 */
export async function rateLimitSchemaReady(db: Pick<Db, 'query'>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT to_regprocedure('rate_limit.agg_increment(text, text, double precision, timestamptz)') IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%advisory_%lock(-8525285245963000605)%') AS ready`,
    );
    if (rows[0]?.ready) return;
    if (Date.now() > deadline) throw new Error('RATE_LIMIT_STORE=postgres: the rate_limit schema was not set up in time (see the log for the store\'s migration error)');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Close the rate-limit stores' database pools (RATE_LIMIT_STORE=postgres) of an app made by createApp. */
export async function closeRateLimitStores(app: express.Express): Promise<void> {
  const stores = (app.locals.rateLimitStores ?? []) as PostgresStore[];
  await Promise.allSettled(stores.map((s) => (s.pool as { end(): Promise<void> } | undefined)?.end()));
}

/** Per client address, PUBLIC_REPORT_RATE_LIMIT_PER_HOUR filings and uploads an hour (举报 abuse). */
function publicReportLimiter(deps: AppDeps, metrics: ApiMetrics, stores: PostgresStore[]) {
  return rateLimit({
    ...limiterStore(deps, 'public-reports', stores),
    windowMs: 3_600_000,
    limit: deps.config.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR ?? 20,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'public-reports',
    handler: (req, res) => {
      metrics.rateLimited.inc({ limiter: 'public_reports' });
      sendProblem(res, new ApiProblem(429, 'too_many_requests', 'Too many requests', '请求过于频繁', 'too many reports from this address; retry after the time in the RateLimit header'), req.originalUrl, String(req.id));
    },
  });
}

/** Shared-secret tokens, and a government single sign-on's when its issuer and key set are configured. */
function tokenSettings(config: AppDeps['config']): TokenSettings {
  const { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_JWKS_URL: jwksUrl } = config;
  return {
    secret: jwtSecret(config),
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
    maxLifetimeHours: config.AUTH_TOKEN_MAX_AGE_HOURS ?? DEFAULT_TOKEN_MAX_AGE_HOURS,
    oidc: issuer && jwksUrl ? { issuer, jwksUrl, audience: config.AUTH_OIDC_AUDIENCE ?? config.AUTH_JWT_AUDIENCE, claimPrefix: config.AUTH_OIDC_CLAIM_PREFIX ?? 'exitflow_' } : undefined,
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const publicLists = publicListsOf(deps);
  const endpoints = allEndpoints(deps, publicLists);
  const document = openApiDocument(endpoints, { version: API_VERSION, serverUrl: deps.config.PUBLIC_BASE_URL });

  app.disable('x-powered-by');
  const rateLimitStores: PostgresStore[] = [];
  app.locals.rateLimitStores = rateLimitStores;
  const metrics = new ApiMetrics();
  app.use(metrics.middleware());
  // Rate limits and request logs key on req.ip: only a configured proxy may say who the client is.
  app.set('trust proxy', deps.config.TRUST_PROXY ?? false);
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Also when the logger was not made by createLogger (tests, embedders): tokens never reach a log line.
      redact: LOG_REDACTION,
      // Orchestrators poll health every few seconds: a passing poll at info would bury the requests that matter.
      customLogLevel: (req, res) => (/^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') ? (res.statusCode >= 500 ? 'warn' : 'debug') : 'info'),
    }),
  );
  // Swagger UI needs inline scripts and styles on /docs only.
  app.use('/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'exitflow API' }));
  app.use(helmet());

  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // Prometheus scrapes this; not in the OpenAPI document (it is for operators, not API clients). See docs/operations.md.
  app.get('/metrics', metrics.handler(deps.config.METRICS_TOKEN));
  // The public lists need no token: a per-address rate limit keeps scrapers from starving officials.
  app.use(
    '/api/v1/public',
    rateLimit({
      ...limiterStore(deps, 'public', rateLimitStores),
      windowMs: 60_000,
      limit: deps.config.PUBLIC_RATE_LIMIT_PER_MINUTE ?? 120,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, res) => {
        metrics.rateLimited.inc({ limiter: 'public' });
        sendProblem(res, new ApiProblem(429, 'too_many_requests', 'Too many requests', '请求过于频繁', 'retry after the time in the RateLimit header'), req.originalUrl, String(req.id));
      },
    }),
  );
  // Filing a report (and adding its files) writes and starts a workflow: a much tighter limit per address than reading.
  app.post([PUBLIC_REPORTS_PATH, `${PUBLIC_REPORTS_PATH}/:trackingNumber/evidence`], publicReportLimiter(deps, metrics, rateLimitStores));
  // CSV downloads of the public lists stream; JSON requests pass on to the endpoint.
  app.get(PUBLIC_LIST_PATH, publicCsvDownload(publicLists, editionsOf(deps)));
  app.get(EDITION_PATH, editionCsvDownload(editionsOf(deps)));
  // Temporal UI's codec server (operators read encrypted payloads; each decode audited). Not in the OpenAPI document: it is Temporal UI's protocol.
  const uiOrigin = deps.config.TEMPORAL_UI_ORIGIN ?? new URL(deps.config.TEMPORAL_UI_URL).origin;
  app.use(CODEC_PATH, codecRoutes({ codec: payloadCodecOf(deps.config), uiOrigin, tokens: tokenSettings(deps.config), db: deps.db }));
  const router = express.Router();
  mount(router, endpoints, tokenSettings(deps.config), new IdempotencyStore(deps.db));
  app.use(router);
  app.use(consolePages());
  app.use((req, res) => sendProblem(res, problems.notFound('route', `${req.method} ${req.path}`), req.originalUrl, String(req.id)));
  app.use(problemHandler(deps.log));
  return app;
}
