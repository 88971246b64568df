import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Db } from '../db/pool';
import { callerKey } from '../domain/inputs';
import { actorOf, type Principal } from '../domain/roles';
import { ApiProblem } from './problem';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** JSON with sorted keys, so the same body hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return `sha256:${createHash('sha256').update(value).digest('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What makes two requests "the same command": the caller (every claim of their identity, see
 * callerKey), their Idempotency-Key, and the request itself (method, path, query and body). Stored
 * with the effect (a workflow's memo, an update's id), so a retry after a crash recognises its own
 * effect instead of reporting a conflict with it; and the same key with another query (another
 * `?phase=`) or body is another request, refused rather than answered with the first one's result.
 */
export function commandFingerprint(caller: string, key: string, request: { method: string; path: string; query: unknown; body: unknown }): string {
  return createHash('sha256').update(`${caller}\n${key}\n${request.method} ${request.path}\n${canonical(request.query ?? {})}\n${canonical(request.body)}`).digest('hex');
}

/** The caller an Idempotency-Key belongs to. */
export const callerOf = (p: Principal): string => callerKey(actorOf(p));

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * `new`: this request holds the key (`resumed`: it took over a key left in progress by a request
 * that never finished, e.g. its API process died; the command runs again, and every command is safe
 * to run twice under one key: same workflow id, same update id, audit written once).
 */
export type Claim =
  | { kind: 'new'; caller: string; key: string; fingerprint: string; resumed: boolean }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'none' };

/**
 * How long a request may hold its key before another request with the same key may take it over.
 * Longer than any command runs (opening waits at most 5 s; updates answer within their deadline),
 * so a takeover only happens after the first request's process has gone.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 30;

/** How long a completed command's answer is kept for replay (the IETF draft leaves it to the server; a day covers any client's retries). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/**
 * Idempotency-Key on commands (RFC draft "The Idempotency-Key HTTP Header Field"): the first request
 * with a key claims it; a later one with the same key and request replays the stored response; the
 * same key with another request is 422; a duplicate arriving while the first is still running is
 * 409. Keys belong to one caller: another caller's identical key is a key of their own.
 */
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(req: Request, principal: Principal): Promise<Claim> {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return { kind: 'none' };
    if (!KEY_PATTERN.test(key)) {
      throw new ApiProblem(422, 'validation_failed', 'The request breaks one or more rules', '请求不符合规则', 'Idempotency-Key must be 1-200 visible ASCII characters', [
        { field: `header:${IDEMPOTENCY_HEADER}`, rule: 'idempotency_key_format', message: 'must be 1-200 visible ASCII characters', messageZh: '幂等键应为1至200个可见ASCII字符' },
      ]);
    }
    const caller = callerOf(principal);
    const path = req.originalUrl.split('?')[0]!;
    const fingerprint = commandFingerprint(caller, key, { method: req.method, path, query: req.query, body: req.body });
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (principal, key, method, path, request_hash, state) VALUES ($1,$2,$3,$4,$5,'in_progress')
       ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
      [caller, key, req.method, path, fingerprint],
    );
    if (inserted.rowCount) return { kind: 'new', caller, key, fingerprint, resumed: false };
    const { rows } = await this.db.query(`SELECT * FROM idempotency_keys WHERE principal = $1 AND key = $2`, [caller, key]);
    const row = rows[0];
    if (!row) return this.claim(req, principal); // released meanwhile: claim again
    if (row.request_hash !== fingerprint) {
      throw new ApiProblem(422, 'idempotency_key_reused', 'The Idempotency-Key was used with another request', '幂等键已用于其他请求', `key ${key} was first used for a different ${row.method} ${row.path}, query or body`, [
        { field: `header:${IDEMPOTENCY_HEADER}`, rule: 'idempotency_key_reused', message: 'this key was already used with a different request', messageZh: '该幂等键已用于不同的请求' },
      ]);
    }
    if (row.state === 'in_progress') {
      const takenOver = await this.db.query(
        `UPDATE idempotency_keys SET created_at = now()
          WHERE principal = $1 AND key = $2 AND state = 'in_progress' AND created_at < now() - make_interval(secs => $3)
         RETURNING key`,
        [caller, key, IDEMPOTENCY_LEASE_SECONDS],
      );
      if (takenOver.rowCount) return { kind: 'new', caller, key, fingerprint, resumed: true };
      throw new ApiProblem(409, 'idempotency_key_in_progress', 'A request with this Idempotency-Key is still being processed', '相同幂等键的请求正在处理中', 'retry after the first request has finished');
    }
    return { kind: 'replay', response: { status: row.response_status, body: row.response_body, headers: row.response_headers ?? {} } };
  }

  /**
   * Keep the response of a command that succeeded. A failed command had no effect, so its key is
   * released instead (release()): the caller may correct the request and retry with the same key.
   */
  async complete(claim: { caller: string; key: string }, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, response_headers = $5, completed_at = now()
        WHERE principal = $1 AND key = $2`,
      [claim.caller, claim.key, response.status, JSON.stringify(response.body ?? null), JSON.stringify(response.headers)],
    );
  }

  async release(claim: { caller: string; key: string }): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND state = 'in_progress'`, [claim.caller, claim.key]);
  }

  /**
   * Forget answers older than the retention (and keys abandoned in progress for as long): the table
   * would otherwise grow by one row per command for ever. Returns how many rows went.
   */
  async purge(retentionHours = IDEMPOTENCY_RETENTION_HOURS): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [retentionHours]);
    return rowCount ?? 0;
  }
}

export function replay(res: Response, stored: StoredResponse): void {
  for (const [k, v] of Object.entries(stored.headers)) res.setHeader(k, v);
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(stored.status).type('application/json').send(JSON.stringify(stored.body));
}
