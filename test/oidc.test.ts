import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import request from 'supertest';
import { createApp } from '../api/app';
import { bearer, officials } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const ISSUER = 'https://sso.example.gov.cn/realms/henan';
const AUDIENCE = 'exitflow';

let stack: Stack;
let jwks: Server;
let app: ReturnType<typeof createApp>;
let signingKey: CryptoKey;
let otherKey: CryptoKey;

/** The government single sign-on's key set, as its JWKS endpoint publishes it. */
async function serveKeySet(publicJwk: object): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/protocol/openid-connect/certs` };
}

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'sso-2026', alg: 'RS256', use: 'sig' };
  const served = await serveKeySet(publicJwk);
  jwks = served.server;
  app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_JWKS_URL: served.url, AUTH_OIDC_AUDIENCE: AUDIENCE } });
});
afterAll(async () => {
  await new Promise((resolve) => jwks?.close(resolve));
  await stack?.close();
});

/** The claims the single sign-on issues for an operator on duty (exitflow_ is the default claim prefix). */
const operatorClaims: JWTPayload = { name: '运维 值班', exitflow_role: 'operator' };
const enterprisesAs = (token: string) => request(app).get('/api/v1/enterprises').set('Authorization', `Bearer ${token}`);

function ssoToken(claims: JWTPayload = operatorClaims, opts: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number; issuedAt?: number } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'sso-2026' })
    .setSubject('sso-ops-01')
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt(opts.issuedAt)
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(opts.key ?? signingKey);
}

describe('government single sign-on tokens (OIDC)', () => {
  it('a token signed by the single sign-on opens a real endpoint', async () => {
    const res = await enterprisesAs(await ssoToken());
    expect(res.status).toBe(200);
  });

  it('the claims become the caller: an official of a department within a jurisdiction', async () => {
    const official = { name: '郑州市工信局 李执法', exitflow_role: 'enforcement_official', exitflow_department: 'industry_it', exitflow_jurisdiction: '410100' };
    const res = await request(app).get('/api/v1/decisions').set('Authorization', `Bearer ${await ssoToken(official)}`);
    expect(res.status).toBe(200);
  });

  it('a token of another issuer or for another audience is refused', async () => {
    expect((await enterprisesAs(await ssoToken(operatorClaims, { issuer: 'https://sso.example.com/other' }))).status).toBe(401);
    expect((await enterprisesAs(await ssoToken(operatorClaims, { audience: 'another-app' }))).status).toBe(401);
  });

  it('an expired token is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await enterprisesAs(await ssoToken(operatorClaims, { issuedAt: now - 7200, expiresIn: now - 3600 }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('a token longer-lived than AUTH_TOKEN_MAX_AGE_HOURS is refused, as shared-secret ones are', async () => {
    const res = await enterprisesAs(await ssoToken(operatorClaims, { expiresIn: '30d' }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/lifetime/);
  });

  it('a token signed by another key is refused', async () => {
    expect((await enterprisesAs(await ssoToken(operatorClaims, { key: otherKey }))).status).toBe(401);
  });

  it('a token without an exitflow role is refused, naming the claim in Chinese and English', async () => {
    for (const claims of [{ name: '张三' }, { name: '张三', exitflow_role: 'administrator' }, { name: '张三', role: 'operator' }]) {
      const res = await enterprisesAs(await ssoToken(claims));
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toMatch(/no valid exitflow_role claim/);
      expect(res.body.detail).toMatch(/缺少有效的 exitflow_role 声明/);
    }
  });

  it('a token with an invalid attribute claim is refused, naming that claim', async () => {
    const res = await enterprisesAs(await ssoToken({ name: '张三', exitflow_role: 'enforcement_official', exitflow_jurisdiction: 'Henan' }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/exitflow_jurisdiction/);
  });

  it('a shared-secret token keeps working beside single sign-on', async () => {
    expect((await request(app).get('/api/v1/enterprises').set('Authorization', await bearer(officials.operator))).status).toBe(200);
  });

  it('without AUTH_OIDC_* a single sign-on token is refused', async () => {
    expect((await request(stack.app).get('/api/v1/enterprises').set('Authorization', `Bearer ${await ssoToken()}`)).status).toBe(401);
  });

  it('a single sign-on whose key set cannot be fetched answers 503, not a refusal of the caller', async () => {
    const closed = await serveKeySet({});
    await new Promise((resolve) => closed.server.close(resolve));
    const unreachable = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_JWKS_URL: closed.url, AUTH_OIDC_AUDIENCE: AUDIENCE } });
    const res = await request(unreachable).get('/api/v1/enterprises').set('Authorization', `Bearer ${await ssoToken()}`);
    expect(res.status).toBe(503);
    expect(res.body.detail).toMatch(/AUTH_OIDC_JWKS_URL/);
  });
});
