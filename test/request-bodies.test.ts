import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import request from 'supertest';
import { createApp } from '../api/app';
import { createLogger } from '../config/logger';
import { bearer, enterpriseBody, officials } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let auth: string;
let server: http.Server;
let base: string;
const lines: string[] = [];
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  auth = await bearer(officials.zhengzhouIndustry);
  const memory = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = createApp({ ...stack.appDeps, log: createLogger('api', 'info', memory) });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

const json = Buffer.from(JSON.stringify(enterpriseBody()));
const junk = Buffer.from('this is not a compressed body, only bytes that claim to be one');

/** POST bytes as they are (supertest re-encodes a Buffer sent as JSON), with the given Content-Encoding. */
async function postEncoded(encoding: string, body: Buffer, withToken: boolean) {
  const res = await fetch(`${base}/api/v1/enterprises`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding, ...(withToken ? { Authorization: auth } : {}) },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
}

describe('a body that cannot be decoded', () => {
  it.each([
    ['gzip', junk],
    ['deflate', junk],
    ['br', junk],
    ['gzip', zlib.gzipSync(json).subarray(0, 40)], // cut short
  ])('Content-Encoding: %s with bytes that do not decompress is 400, with a token', async (encoding, body) => {
    const res = await postEncoded(encoding, body, true);
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'malformed_body' });
    expect(res.body.titleZh).toBeTruthy();
  });

  it.each(['gzip', 'deflate', 'br'])('Content-Encoding: %s with junk and no token is 401', async (encoding) => {
    const res = await postEncoded(encoding, junk, false);
    expect(res.status).toBe(401);
    expect(res.type).toContain('application/problem+json');
  });

  it('an encoding the API does not speak is 415', async () => {
    const res = await postEncoded('compress', junk, true);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'unsupported_content_encoding' });
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ])('a well-formed %s body is read', async (encoding, compress) => {
    const res = await postEncoded(encoding, compress(Buffer.from(JSON.stringify({ ...enterpriseBody(), name: '' }))), true);
    expect(res.status).toBe(422); // read and validated: the name is empty
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
  });

  it('no decoding failure is logged as an unhandled error', () => {
    expect(lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });
});

/** POST promising `length` bytes, send `sent` of them, and hand back the answer if one comes within `waitMs`. */
function partialPost(path: string, headers: Record<string, string>, length: number, sent: number, waitMs: number) {
  return new Promise<{ status?: number; body: string; req: http.ClientRequest }>((resolve) => {
    const req = http.request(`${base}${path}`, { method: 'POST', headers: { ...headers, 'Content-Length': String(length) } });
    const timer = setTimeout(() => resolve({ body: '', req }), waitMs);
    req.on('error', () => {});
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode, body, req });
      });
    });
    req.write(Buffer.alloc(sent, 0x20));
  });
}

describe('authentication comes before the body is read', () => {
  it('a 200 KB body without a token is 401, answered before the body has arrived', async () => {
    const { status, body, req } = await partialPost('/api/v1/enterprises', { 'Content-Type': 'application/json' }, 200 * 1024, 1024, 5_000);
    req.destroy();
    expect(status).toBe(401);
    expect(JSON.parse(body)).toMatchObject({ code: 'unauthenticated' });
  });

  it('a 200 KB body that is not JSON, without a token, is 401 (not 400)', async () => {
    const res = await request(app).post('/api/v1/enterprises').set('Content-Type', 'application/json').send('x'.repeat(200 * 1024));
    expect(res.status).toBe(401);
  });

  it('with a token, a JSON body over the limit is still 413', async () => {
    const res = await request(app).post('/api/v1/enterprises').set('Authorization', auth).set('Content-Type', 'application/json').send(`{"name":"${'x'.repeat(300 * 1024)}"}`);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large' });
  });
});

describe('an upload the client abandons mid-body', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['a JSON body, with a token', '/api/v1/enterprises', { 'Content-Type': 'application/json' }],
    ['a JSON body, without a token', '/api/v1/enterprises', { 'Content-Type': 'application/json' }],
    ['an evidence file, with a token', '/api/v1/cases/case-410102-914403001922038216-ABORT/evidence?phase=before', { 'Content-Type': 'image/png' }],
    ['an evidence file, without a token', '/api/v1/cases/case-410102-914403001922038216-ABORT/evidence?phase=before', { 'Content-Type': 'image/png' }],
  ];
  it.each(cases)('%s: nothing is logged as an error, and the API keeps answering', async (what, path, headers) => {
    const withToken = what.includes('with a token');
    const before = lines.length;
    const { req } = await partialPost(path, { ...headers, ...(withToken ? { Authorization: auth } : {}) }, 200 * 1024, 50 * 1024, 300);
    req.destroy();
    // Wait until the API has logged the request's end (pino-http), then a little more for the error path.
    const deadline = Date.now() + 5_000;
    while (!lines.slice(before).some((l) => l.includes(path.split('?')[0]!)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    const logged = lines.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string; res?: { statusCode?: number } });
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((l) => l.level >= 50 || l.msg === 'unhandled error' || (l.res?.statusCode ?? 0) >= 500)).toEqual([]);
    expect((await request(base).get('/openapi.json')).status).toBe(200);
  });
});
