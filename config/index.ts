import { isIP } from 'node:net';
import { z } from 'zod';

/** AUTH_TOKEN_MAX_AGE_HOURS when unset, or when a caller builds its configuration by hand (tests, bench). */
export const DEFAULT_TOKEN_MAX_AGE_HOURS = 12;

/** `${VAR:-}` in docker-compose.yml passes an empty string for an optional setting left out: read it as unset. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/**
 * Every setting exitflow reads from the environment, in one schema.
 * The names are the contract shared by `npm start`, the Dockerfile and docker-compose.yml
 * (test/compose.test.ts checks the compose file against this schema).
 */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (pino-pretty, for a person at a terminal) or `json` (one object a line, for collectors); unset: see config/logger.ts logFormat. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** host:port of the Temporal frontend. */
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('exitflow-cases'),
  /** Where operators open Temporal UI; printed at start and linked from the API. */
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
  /** postgres://… of exitflow's own database (not Temporal's). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL cancels a statement of the API's or worker's pool after this long (answered 503); 0: no limit. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /**
   * The public lists (no token) have a pool of their own, this small, with a shorter statement
   * timeout: a burst of anonymous downloads waits for these connections, never for the officials'.
   */
  PUBLIC_DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(50).default(2),
  PUBLIC_DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** How long a page of a public list is served from memory before PostgreSQL is asked again; 0: not cached. */
  PUBLIC_LIST_CACHE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** smtp://user:pass@host:port (smtps:// for implicit TLS). */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default('smtp://localhost:1025'),
  MAIL_FROM: z.string().min(3).default('exitflow 落后产能退出 <noreply@exitflow.local>'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Base URL the API is reached at, for links in e-mails. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  /**
   * Base URL of the external platforms exitflow pushes to (credit platform, licence and permit
   * registries, power supply, banks): POST {base}/{platform}. `npm start` runs a local recording
   * endpoint when it is unset.
   */
  PLATFORM_PUSH_URL: z.url().default('http://localhost:4010'),
  /** Requests per minute one client address may make to the public (no token) endpoints. */
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Reports (举报) one client address may file, and files it may add to them, per hour. */
  PUBLIC_REPORT_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /** 32 bytes, base64: seals who reported (db/reporter-identity.ts); unset, derived from AUTH_JWT_SECRET. */
  REPORTER_IDENTITY_KEY: z
    .string()
    .refine((k) => /^[A-Za-z0-9+/]{43}=$/.test(k) && Buffer.from(k, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  /**
   * How long a case action waits for the case workflow's answer before 503 with Retry-After (the
   * worker may be down); the same Idempotency-Key retried later takes effect once.
   */
  API_UPDATE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  /** How long a completed command's answer is kept for Idempotency-Key replays; older keys are purged hourly. */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  /** HS256 key that signs bearer tokens (scripts/mint-token.ts); required in production. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWT_ISSUER: z.string().min(1).default('exitflow'),
  AUTH_JWT_AUDIENCE: z.string().min(1).default('exitflow-api'),
  /**
   * The longest a bearer token may live (exp − iat), in hours: a token is a password that leaks with
   * logs and shell histories, so it must run out within a working day or so (tokens without exp are refused).
   */
  AUTH_TOKEN_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(DEFAULT_TOKEN_MAX_AGE_HOURS),
  /**
   * Tokens of a government single sign-on (统一身份认证), accepted beside the shared-secret ones when
   * the issuer and its key set's URL are both set: RS256/ES256, the same exp/iat and max-age rules.
   * The audience defaults to AUTH_JWT_AUDIENCE. Claims: see AUTH_OIDC_CLAIM_PREFIX and api/auth.ts.
   */
  AUTH_OIDC_ISSUER: unsetWhenEmpty(z.url().optional()),
  AUTH_OIDC_JWKS_URL: unsetWhenEmpty(z.url().optional()),
  AUTH_OIDC_AUDIENCE: unsetWhenEmpty(z.string().min(1).optional()),
  /** Prefix of the claims that carry exitflow's role, department, jurisdiction and credit code (`exitflow_role`…); `sub` and `name` are the standard ones. */
  AUTH_OIDC_CLAIM_PREFIX: z.string().regex(/^[A-Za-z0-9_:\/.-]*$/, 'letters, digits and _ : / . - only').default('exitflow_'),
  /**
   * Which proxies in front of the API to believe about the client's address (X-Forwarded-For), for
   * rate limits and request logs: unset or `false`, none (the connection's address counts); a hop
   * count (`1`: one proxy); a comma-separated list of addresses, CIDR ranges or `loopback`,
   * `linklocal`, `uniquelocal`; `true`, every hop (only when nothing can reach the API but the proxy).
   */
  TRUST_PROXY: unsetWhenEmpty(
    z
      .string()
      .trim()
      .refine((v) => /^(true|false|\d{1,2})$/.test(v) || v.split(',').every((item) => isTrustedRange(item.trim())), 'must be true, false, a hop count, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal')
      .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v))
      .optional(),
  ),
  /**
   * A survey commit of more rows than this (or any sent with `Prefer: respond-async`) runs as a
   * background job and is answered 202 with the job's address; smaller ones are committed within the request.
   */
  SURVEY_ASYNC_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /**
   * Worker sizing. Cached workflows are kept in memory between tasks (each costs about 1.8 MiB, each
   * miss a replay; unset: 300, see worker/worker.ts); concurrency bounds tasks in flight per worker
   * (unset: the SDK's defaults, 40 workflow tasks and 100 activities).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).optional(),
  /** Threads running workflow code (the SDK's workflowThreadPoolSize; its default with a reused V8 context is 1). */
  WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(16).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(5_000).optional(),
  /**
   * Port of the worker's Prometheus endpoint (`/metrics`: the Temporal SDK's metrics and exitflow's;
   * `/health`); unset, the worker serves no metrics. See docs/operations.md.
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * When set, `/metrics` of the API and the worker answer only a scraper sending it as a bearer
   * token (Prometheus `authorization: { credentials: … }`); unset, they answer anyone who can reach
   * them. The API's port is public, so production sets it (docker-compose.yml requires it).
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Keys that encrypt workflow payloads (AES-256-GCM, config/payload-codec.ts): `keyId:base64key,…`,
   * each key 32 bytes (openssl rand -base64 32). The first encrypts; every one decrypts, so a new key
   * goes first and the old ones stay until no history needs them. Unset: payloads in clear (development
   * only; production refuses to start without it). The API, the worker and every script that starts
   * workflows must share it.
   */
  PAYLOAD_CODEC_KEYS: unsetWhenEmpty(
    z
      .string()
      .superRefine((v, ctx) => {
        const problem = payloadCodecKeysProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  ),
  /** The origin Temporal UI is served from, allowed (CORS) to call the API's codec endpoint (/codec); unset: TEMPORAL_UI_URL's origin. */
  TEMPORAL_UI_ORIGIN: unsetWhenEmpty(z.url().optional()),
  /**
   * Where traces go (OTLP over HTTP; `/v1/traces` is appended), e.g. http://otel-collector:4318.
   * Unset: no tracing at all (no instrumentation, no interceptors). See observability/tracing.ts.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetWhenEmpty(z.url().optional()),
  /** Fraction of new traces kept (parent-based: a request that arrives traced keeps its caller's choice). */
  OTEL_TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /**
   * Where the API's rate limiters count: `memory` (each API process on its own) or `postgres` (the
   * app database, shared by every API replica behind a load balancer).
   */
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).default('memory'),
  /**
   * A workflow bundle built ahead (`npm run build:workflows` writes dist/workflow-bundle.js): the
   * worker starts without bundling. Unset: workflows/ is bundled at start.
   */
  WORKFLOW_BUNDLE_PATH: unsetWhenEmpty(z.string().min(1).optional()),
});

/** Why a PAYLOAD_CODEC_KEYS value is unusable, or undefined when it is fine. */
export function payloadCodecKeysProblem(value: string): string | undefined {
  const ids = new Set<string>();
  for (const item of value.split(',')) {
    const m = /^\s*([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9+/]{43}=)\s*$/.exec(item);
    if (!m) return 'must be keyId:base64key,… with each key 32 bytes in base64 (openssl rand -base64 32) and ids of letters, digits, _ . -';
    if (ids.has(m[1]!)) return `key id ${m[1]} appears twice`;
    ids.add(m[1]!);
  }
  return undefined;
}

/** An address, a CIDR range or one of Express's named ranges (proxy-addr). */
function isTrustedRange(item: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/** Signs local and test tokens only: production must set AUTH_JWT_SECRET (loadConfig enforces it). */
export const DEVELOPMENT_JWT_SECRET = 'exitflow-development-secret-do-not-use-in-production';

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse a configuration from an environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.AUTH_JWT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  AUTH_JWT_SECRET: is required in production');
  }
  // The development key is in this repository: anyone can mint any identity's token with it.
  if (parsed.data.NODE_ENV === 'production' && parsed.data.AUTH_JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  AUTH_JWT_SECRET: is the published development key; set a secret of your own in production');
  }
  // Without it, contacts' names, e-mails and phones sit in Temporal's histories (and its database backups) in clear.
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.PAYLOAD_CODEC_KEYS) {
    throw new ConfigError('Invalid configuration:\n  PAYLOAD_CODEC_KEYS: is required in production (keyId:base64key; openssl rand -base64 32)');
  }
  // One without the other would silently accept no single sign-on token at all.
  if (Boolean(parsed.data.AUTH_OIDC_ISSUER) !== Boolean(parsed.data.AUTH_OIDC_JWKS_URL)) {
    throw new ConfigError('Invalid configuration:\n  AUTH_OIDC_ISSUER, AUTH_OIDC_JWKS_URL: set both (single sign-on) or neither');
  }
  return parsed.data;
}

/** Whether tokens are signed with the published development key (API start warns; production refuses it). */
export function usesDevelopmentKey(config: Pick<Config, 'AUTH_JWT_SECRET'>): boolean {
  return jwtSecret(config) === DEVELOPMENT_JWT_SECRET;
}

/** The key tokens are signed and verified with. */
export function jwtSecret(config: Pick<Config, 'AUTH_JWT_SECRET'>): string {
  return config.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
}

/** The environment variables the schema knows, for tooling that checks deployments. */
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as (keyof Config)[];
