import { SignJWT } from 'jose';
import request from 'supertest';
import { createApp } from '../api/app';
import { mintToken } from '../api/auth';
import { principalFromArgs } from '../scripts/mint-token';
import { bearer, officials, TOKENS } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.close();
});

const key = new TextEncoder().encode(TOKENS.secret);
const { sub, ...claims } = officials.operator;
/** A correctly signed token for the operator, with the time claims left to the caller. */
const signed = () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer(TOKENS.issuer).setAudience(TOKENS.audience);
const get = (app: ReturnType<typeof createApp>, token: string) => request(app).get('/api/v1/enterprises').set('Authorization', `Bearer ${token}`);

describe('bearer tokens', () => {
  it('a token of an ordinary 8-hour lifetime is accepted', async () => {
    expect((await get(stack.app, await mintToken(officials.operator, TOKENS, '8h'))).status).toBe(200);
  });

  it('a token that never expires is refused', async () => {
    const res = await get(stack.app, await signed().setIssuedAt().sign(key));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/exp/);
  });

  it('a token without its issue time is refused', async () => {
    const res = await get(stack.app, await signed().setExpirationTime('1h').sign(key));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/iat/);
  });

  it('a token issued for 30 days is refused, saying why', async () => {
    const res = await get(stack.app, await mintToken(officials.operator, TOKENS, '30d'));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/lifetime .*30 days|720 h.*12 h/);
  });

  it('a token issued in the future is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await get(stack.app, await signed().setIssuedAt(now + 3600).setExpirationTime(now + 7200).sign(key));
    expect(res.status).toBe(401);
  });

  it('the longest lifetime is configurable (AUTH_TOKEN_MAX_AGE_HOURS)', async () => {
    const day = await mintToken(officials.operator, TOKENS, '24h');
    expect((await get(stack.app, day)).status).toBe(401);
    const lenient = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, AUTH_TOKEN_MAX_AGE_HOURS: 48 } });
    expect((await get(lenient, day)).status).toBe(200);
  });
});

describe('authenticated answers are never cached', () => {
  it('a success, a problem and a refusal of an authenticated route all carry Cache-Control: no-store', async () => {
    const ok = await request(stack.app).get('/api/v1/enterprises').set('Authorization', await bearer(officials.operator));
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const missing = await request(stack.app).get('/api/v1/enterprises/914403001922038216').set('Authorization', await bearer(officials.operator));
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const refused = await request(stack.app).get('/api/v1/enterprises');
    expect(refused.status).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});

describe('npm run token', () => {
  it('gives each identity a subject of its own unless --sub names one', () => {
    const official = { role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100', name: '郑州市工信局 李执法' };
    const a = principalFromArgs(official);
    const b = principalFromArgs({ ...official, department: 'ecology_environment', name: '郑州市生态环境局 张执法' });
    const e1 = principalFromArgs({ role: 'enterprise', 'credit-code': '91410100MA4000X7QR', name: '中原钢铁' });
    const e2 = principalFromArgs({ role: 'enterprise', 'credit-code': '914403001922038216', name: '中原钢铁' });
    expect(a.success && b.success && e1.success && e2.success).toBe(true);
    const subs = [a, b, e1, e2].map((p) => p.data!.sub);
    expect(new Set(subs).size).toBe(4);
    // Stable: minting again for the same identity gives the same subject (idempotency keys and audit follow it).
    expect(principalFromArgs(official).data!.sub).toBe(subs[0]);
    expect(principalFromArgs({ ...official, sub: 'li-zhifa' }).data!.sub).toBe('li-zhifa');
  });
});
