/**
 * A stand-in for the external platforms a case pushes to (credit-sharing platform / 信用中国, the
 * production-licence, discharge-permit and safety-licence registries, the power supply company, banks).
 * It records every call and acknowledges it; like a real idempotent API it answers a repeated
 * `Idempotency-Key` with the acknowledgement it gave the first time, while still recording the call
 * so tests can count duplicates.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedCall {
  id: string;
  method: string;
  path: string;
  /** The first path segment: `POST /credit_platform` → `credit_platform`. */
  platform: string;
  headers: Record<string, string>;
  body: unknown;
  receivedAt: string;
  /** What the endpoint answered (absent for calls refused by `failNext`). */
  acknowledgement?: string;
  status: number;
}

export interface RecordingEndpoint {
  url: string;
  port: number;
  calls: RecordedCall[];
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Answer the next `n` platform calls with `status` (503 by default), to exercise retries. */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
  /** Restart on the same port after stop(), keeping the calls. */
  start(): Promise<void>;
}

export interface RecordingEndpointOptions {
  port?: number;
  host?: string;
  /** Append each call to <dir>/calls.jsonl, and reload them (and their acknowledgements) at start. */
  dir?: string;
}

const CALLS_FILE = 'calls.jsonl';
const MAX_BODY = 5 * 1024 * 1024;

async function loadCalls(dir: string): Promise<RecordedCall[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, CALLS_FILE), 'utf8');
  } catch {
    return [];
  }
  const out: RecordedCall[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as RecordedCall);
    } catch {
      // a torn last line after a crash: skip it
    }
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startRecordingEndpoint(opts: RecordingEndpointOptions = {}): Promise<RecordingEndpoint> {
  const host = opts.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const calls: RecordedCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  /** Idempotency-Key → the acknowledgement first given for it. */
  const acknowledged = new Map<string, string>();
  /** Acknowledgements given so far, per platform, for the ACK-<platform>-<n> numbering. */
  const issued = new Map<string, number>();
  let failures: { remaining: number; status: number } = { remaining: 0, status: 503 };

  const remember = (call: RecordedCall) => {
    const key = call.headers['idempotency-key'];
    if (!call.acknowledgement) return;
    if (key && !acknowledged.has(key)) acknowledged.set(key, call.acknowledgement);
    const n = Number(/-(\d+)$/.exec(call.acknowledgement)?.[1] ?? 0);
    issued.set(call.platform, Math.max(issued.get(call.platform) ?? 0, n));
  };

  if (opts.dir) {
    await fs.mkdir(opts.dir, { recursive: true });
    for (const call of await loadCalls(opts.dir)) {
      calls.push(call);
      remember(call);
    }
  }

  const record = async (call: RecordedCall) => {
    calls.push(call);
    if (opts.dir) await fs.appendFile(path.join(opts.dir, CALLS_FILE), `${JSON.stringify(call)}\n`);
    events.emit('call', call);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/calls') return send(res, 200, calls);
    const platform = url.pathname.split('/').filter(Boolean)[0];
    if (method !== 'POST' || !platform) return send(res, 404, { error: 'POST /{platform} or GET /calls' });

    const headers = flatHeaders(req.headers);
    const body = parseBody(await readBody(req), headers['content-type']);
    const receivedAt = new Date().toISOString();
    const base = { id: randomUUID().slice(0, 8), method, path: url.pathname, platform, headers, body, receivedAt };

    if (failures.remaining > 0) {
      failures.remaining -= 1;
      await record({ ...base, status: failures.status });
      return send(res, failures.status, { error: 'platform temporarily unavailable (simulated)' });
    }
    const key = headers['idempotency-key'];
    let acknowledgement = key ? acknowledged.get(key) : undefined;
    if (!acknowledgement) {
      const n = (issued.get(platform) ?? 0) + 1;
      issued.set(platform, n);
      acknowledgement = `ACK-${platform}-${n}`;
      if (key) acknowledged.set(key, acknowledgement);
    }
    await record({ ...base, acknowledgement, status: 200 });
    send(res, 200, { acknowledgement, receivedAt });
  };

  let server: http.Server | undefined;
  let port = opts.port ?? 0;

  const start = async () => {
    if (server) return;
    const s = http.createServer((req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { error: err instanceof Error ? err.message : String(err) });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };

  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };

  await start();

  return {
    get url() {
      return `http://${urlHost}:${port}`;
    },
    get port() {
      return port;
    },
    calls,
    waitFor(pred, timeoutMs = 10_000) {
      const found = calls.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise<RecordedCall>((resolve, reject) => {
        const onCall = (c: RecordedCall) => {
          if (!pred(c)) return;
          clearTimeout(timer);
          events.off('call', onCall);
          resolve(c);
        };
        const timer = setTimeout(() => {
          events.off('call', onCall);
          const seen = calls.map((c) => `  ${c.status} ${c.method} ${c.path} ${c.headers['idempotency-key'] ?? ''}`).join('\n') || '  (none)';
          reject(new Error(`no matching call within ${timeoutMs} ms; received:\n${seen}`));
        }, timeoutMs);
        events.on('call', onCall);
      });
    },
    failNext(n, status = 503) {
      failures = { remaining: n, status };
    },
    stop,
    start,
  };
}
