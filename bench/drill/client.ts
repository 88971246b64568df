/**
 * The drill's caller: an official's or an enterprise's client that does what a well-behaved client
 * of the API should. Every command carries an Idempotency-Key and is sent again with the same key
 * until it gets a definite answer: a connection refused or reset (the API was killed), a 503 (a
 * backing service is down), a 409 "still in progress" (the key's first request died with its API)
 * or a timeout are retried after Retry-After or a short back-off; any other answer is final.
 */
import { mintToken } from '../../api/auth';
import type { Principal } from '../../domain/roles';
import { sleep } from '../../scripts/lib/processes';
import { DRILL_TOKENS } from './stack';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class DrillFailure extends Error {}

export interface ClientStats {
  requests: number;
  retries: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const GIVE_UP_MS = 10 * 60_000;

export class DrillClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 };
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly baseUrl: string) {}

  private token(p: Principal): Promise<string> {
    const key = JSON.stringify(p);
    let t = this.tokens.get(key);
    if (!t) {
      t = mintToken(p, DRILL_TOKENS, '12h');
      this.tokens.set(key, t);
    }
    return t;
  }

  /** One request, retried while the answer is "not now"; resolves with the first definite answer. */
  async send(who: Principal, method: 'GET' | 'POST', path: string, opts: { json?: unknown; raw?: { type: string; data: Buffer }; key?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${await this.token(who)}`, ...opts.headers };
    if (opts.key) headers['Idempotency-Key'] = opts.key;
    let body: string | Buffer | undefined;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.raw) {
      headers['Content-Type'] = opts.raw.type;
      body = opts.raw.data;
    }
    const giveUp = Date.now() + GIVE_UP_MS;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.stats.retries++;
      this.stats.requests++;
      let wait = Math.min(250 * 2 ** Math.min(attempt, 4), 4_000);
      try {
        const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const text = await res.text();
        const parsed = text ? JSON.parse(text) : null;
        // A case still `opened` (its notice not served yet) accepts no action: "not yet", not "no". The
        // case's read model can be a workflow task ahead of Temporal's record (the case's writes are
        // local activities, patch local-steps): after the worker is killed mid-task, a case read from
        // the read model already shows its first stage while the workflow replays its opening.
        const notYet = res.status === 409 && parsed?.code === 'stage_does_not_accept' && parsed?.stage === 'opened';
        const retryable = res.status === 503 || res.status === 502 || res.status === 504 || (res.status === 409 && parsed?.code === 'idempotency_key_in_progress') || notYet;
        if (!retryable) return { status: res.status, body: parsed };
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = Math.min(after * 1000, 5_000);
      } catch {
        // refused, reset or timed out: the API is down or restarting
      }
      if (Date.now() > giveUp) throw new DrillFailure(`${method} ${path}: no definite answer within ${GIVE_UP_MS / 60_000} min`);
      await sleep(wait);
    }
  }

  /** A command that must succeed (2xx); anything else fails the drill with the answer. */
  async command(who: Principal, path: string, json: unknown, key: string, headers?: Record<string, string>): Promise<Answer> {
    const a = await this.send(who, 'POST', path, { json, key, headers });
    if (a.status >= 300) throw new DrillFailure(`POST ${path} as ${who.role}: ${a.status} ${JSON.stringify(a.body)}`);
    return a;
  }

  async get(who: Principal, path: string): Promise<Answer> {
    return this.send(who, 'GET', path);
  }
}
