import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig, usesDevelopmentKey, type Config } from '../config';
import { logFormat } from '../config/logger';
import { createPool } from '../db/pool';
import { createMailer } from '../activities/mailer';
import { createExitflowWorker, DEFAULT_MAX_CACHED_WORKFLOWS } from '../worker/worker';
import { NativeConnection } from '@temporalio/worker';
import { workflowBundle } from './support/stack';

const base = { DATABASE_URL: 'postgres://localhost/exitflow' };

describe('configuration', () => {
  it('reads the worker sizing, and leaves the SDK defaults when unset', () => {
    const c = loadConfig({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '500', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20', WORKER_MAX_CONCURRENT_ACTIVITIES: '50' });
    expect(c).toMatchObject({ WORKER_MAX_CACHED_WORKFLOWS: 500, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 20, WORKER_MAX_CONCURRENT_ACTIVITIES: 50 });
    expect(loadConfig(base).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
  });

  it('names every bad variable and what is wrong with it', () => {
    expect(() => loadConfig({ ...base, WORKER_MAX_CONCURRENT_ACTIVITIES: '0', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, WORKER_MAX_CONCURRENT_ACTIVITIES: '0', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      expect((err as Error).message).toMatch(/WORKER_MAX_CONCURRENT_ACTIVITIES: .*1/);
      expect((err as Error).message).toContain('DATABASE_URL: must be a postgres:// URL');
    }
  });

  it('refuses to run in production without a signing key', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow('AUTH_JWT_SECRET: is required in production');
  });

  it('refuses to run in production with the published development key', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/AUTH_JWT_SECRET: .*development key/);
    expect(loadConfig({ ...base, NODE_ENV: 'production', AUTH_JWT_SECRET: 'k'.repeat(40), PAYLOAD_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` }).AUTH_JWT_SECRET).toBe('k'.repeat(40));
    expect(usesDevelopmentKey(loadConfig(base))).toBe(true);
    expect(usesDevelopmentKey(loadConfig({ ...base, AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET }))).toBe(true);
    expect(usesDevelopmentKey(loadConfig({ ...base, AUTH_JWT_SECRET: 'k'.repeat(40) }))).toBe(false);
  });

  it('trusts no proxy unless TRUST_PROXY says which: a hop count, true, or addresses and CIDR ranges', () => {
    expect(loadConfig(base).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ ...base, TRUST_PROXY: '' }).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 192.0.2.1' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8, fd00::/8, 192.0.2.1');
    for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1', 'proxy.example.com', '10.0.0.0/8,']) {
      expect(() => loadConfig({ ...base, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY: must be true, false, a hop count/);
    }
  });

  it('enables single sign-on only with both its issuer and its key set', () => {
    const sso = { AUTH_OIDC_ISSUER: 'https://sso.example.gov.cn', AUTH_OIDC_JWKS_URL: 'https://sso.example.gov.cn/certs' };
    expect(loadConfig({ ...base, ...sso })).toMatchObject({ ...sso, AUTH_OIDC_CLAIM_PREFIX: 'exitflow_' });
    expect(loadConfig({ ...base, AUTH_OIDC_ISSUER: '', AUTH_OIDC_JWKS_URL: '' }).AUTH_OIDC_ISSUER).toBeUndefined();
    expect(() => loadConfig({ ...base, AUTH_OIDC_ISSUER: sso.AUTH_OIDC_ISSUER })).toThrow('AUTH_OIDC_ISSUER, AUTH_OIDC_JWKS_URL: set both');
    expect(() => loadConfig({ ...base, ...sso, AUTH_OIDC_JWKS_URL: 'certs.json' })).toThrow(/AUTH_OIDC_JWKS_URL/);
  });

  it('writes logs for a person at a terminal in development, JSON elsewhere', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ NODE_ENV: 'production' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, false)).toBe('pretty');
    expect(() => loadConfig({ ...base, LOG_FORMAT: 'text' })).toThrow(/LOG_FORMAT/);
  });

  it('bounds the lifetime of bearer tokens, 12 hours unless configured', () => {
    expect(loadConfig(base).AUTH_TOKEN_MAX_AGE_HOURS).toBe(12);
    expect(loadConfig({ ...base, AUTH_TOKEN_MAX_AGE_HOURS: '4' }).AUTH_TOKEN_MAX_AGE_HOURS).toBe(4);
    expect(() => loadConfig({ ...base, AUTH_TOKEN_MAX_AGE_HOURS: '0' })).toThrow(/AUTH_TOKEN_MAX_AGE_HOURS/);
  });

  it('gives the worker the sizing it is configured with, and a cache of 300 cases when unset', async () => {
    const db = createPool(process.env.TEST_DATABASE_URL!, 1);
    const mailer = createMailer('smtp://127.0.0.1:1', 'x <x@exitflow.local>');
    const connection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    const base = { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'config-test' };
    const make = async (config: Partial<Config>) => createExitflowWorker({ connection, config: { ...base, TEMPORAL_TASK_QUEUE: `config-test-${Object.keys(config).length}`, ...config }, deps: { db, mailer, publicBaseUrl: 'http://localhost:3000' }, workflowBundle: await workflowBundle() });
    const sized = await make({ WORKER_MAX_CACHED_WORKFLOWS: 7, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 3, WORKER_MAX_CONCURRENT_ACTIVITIES: 11 });
    const unset = await make({});
    try {
      expect(sized.options).toMatchObject({
        maxCachedWorkflows: 7,
        tuner: { workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 3 }, activityTaskSlotSupplier: { type: 'fixed-size', numSlots: 11 } },
      });
      expect(unset.options.maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
      expect(DEFAULT_MAX_CACHED_WORKFLOWS).toBe(300);
    } finally {
      for (const w of [sized, unset]) {
        const running = w.run();
        w.shutdown();
        await running;
      }
      await connection.close();
      await db.end();
      mailer.close();
    }
  });
});
