import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../api/app';
import { createLogger, type LogFormat } from '../config/logger';
import { bearer, officials } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.close();
});

/** The API as `npm start` runs it (the logger of config/logger.ts), its log lines kept in memory. */
function appLoggingTo(level: string, format: LogFormat = 'json') {
  const lines: string[] = [];
  const memory = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = createApp({ ...stack.appDeps, log: createLogger('api', level, memory, format) });
  return { app, lines, parsed: () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { url?: string } }) };
}

describe('the request log', () => {
  it('never holds a bearer token or a cookie, at any level', async () => {
    const { app, lines } = appLoggingTo('trace');
    const token = await bearer(officials.operator);
    const forged = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.forged-signature-value';
    expect((await request(app).get('/api/v1/enterprises').set('Authorization', token).set('Cookie', 'session=cookie-secret-value')).status).toBe(200);
    expect((await request(app).get('/api/v1/enterprises').set('Authorization', forged)).status).toBe(401);
    expect((await request(app).post('/api/v1/enterprises').set('Authorization', token).set('Content-Type', 'application/json').send('{"creditCode": ')).status).toBe(400);

    expect(lines.length).toBeGreaterThanOrEqual(3);
    const log = lines.join('\n');
    expect(log).not.toContain(token.slice('Bearer '.length));
    expect(log).not.toContain('forged-signature-value');
    expect(log).not.toContain('cookie-secret-value');
    // The request is still logged, with the header present but its value withheld.
    expect(log).toContain('"authorization":"[redacted]"');
  });

  it('does not log health polls at info', async () => {
    const { app, parsed } = appLoggingTo('info');
    expect((await request(app).get('/health/live')).status).toBe(200);
    await request(app).get('/health/ready'); // 503 here: no worker polls this stack's task queue
    await request(app).get('/health');
    await request(app).get('/api/v1/enterprises'); // 401: an ordinary request is logged at info
    const entries = parsed();
    const healthAtInfo = entries.filter((e) => e.req?.url?.startsWith('/health') && e.level <= 30);
    expect(healthAtInfo).toEqual([]);
    expect(entries.some((e) => e.req?.url === '/api/v1/enterprises' && e.level === 30)).toBe(true);
  });

  it('withholds the same values in the readable development format (pino-pretty)', async () => {
    const { app, lines } = appLoggingTo('info', 'pretty');
    const token = await bearer(officials.operator);
    expect((await request(app).get('/api/v1/enterprises').set('Authorization', token).set('Cookie', 'session=cookie-secret-value')).status).toBe(200);
    const log = lines.join('\n');
    expect(log).toContain('/api/v1/enterprises');
    expect(log).toContain('"authorization": "[redacted]"');
    expect(log).not.toContain(token.slice('Bearer '.length));
    expect(log).not.toContain('cookie-secret-value');
    expect(() => JSON.parse(lines[0] as string)).toThrow();
  });
});
