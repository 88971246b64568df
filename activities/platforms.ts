import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/pool';
import { PLATFORMS, type Platform } from '../domain/platforms';
import { storeAfterSend } from './after-send';

export { PLATFORMS, type Platform };

export interface PlatformDeps {
  db: Db;
  /** The platforms' base URL: each one is `${baseUrl}/${platform}` (PLATFORM_PUSH_URL). */
  baseUrl: string;
  fetchImpl?: typeof fetch;
}

export interface PlatformPush {
  caseId: string;
  platform: Platform;
  /** 'joint_punishment' | 'red_list' | 'lift' … */
  kind: string;
  payload: Record<string, unknown>;
  /** `${workflowId}/${step}/${platform}`: stored with the push and sent as the `Idempotency-Key` header. */
  idempotencyKey: string;
}

export interface PlatformAcknowledgement {
  acknowledgement: string;
  alreadyAcknowledged: boolean;
}

const PUSH_TIMEOUT_MS = 10_000;

/**
 * Pushes to external platforms, each idempotent: the push row is claimed before the HTTP call and
 * marked acknowledged after; a retry of an acknowledged push returns the stored acknowledgement
 * without calling, and a retry after a crash mid-call resends the same key, which the platform
 * answers with its first acknowledgement.
 */
export function createPlatformActivities({ db, baseUrl, fetchImpl = fetch }: PlatformDeps) {
  async function post(req: PlatformPush, payload: unknown): Promise<string> {
    const url = `${baseUrl.replace(/\/+$/, '')}/${req.platform}`;
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': req.idempotencyKey },
      body: JSON.stringify({ caseId: req.caseId, platform: req.platform, kind: req.kind, payload }),
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
    const text = await res.text();
    // Any non-2xx is thrown as a retryable failure: Temporal retries with the activity's policy.
    if (!res.ok) throw new Error(`${req.platform} answered ${res.status} to ${req.kind} for ${req.caseId}: ${text.slice(0, 200)}`);
    let ack: unknown;
    try {
      ack = (JSON.parse(text) as { acknowledgement?: unknown }).acknowledgement;
    } catch {
      ack = undefined;
    }
    if (typeof ack !== 'string' || ack === '') throw new Error(`${req.platform} answered ${res.status} without an acknowledgement`);
    return ack;
  }

  return {
    async pushToPlatform(req: PlatformPush): Promise<PlatformAcknowledgement> {
      if (!(PLATFORMS as readonly string[]).includes(req.platform)) {
        throw ApplicationFailure.nonRetryable(`unknown platform ${req.platform}`, 'UnknownPlatform');
      }
      const claimed = await db.query<{ status: string; acknowledgement: string | null; payload: unknown }>(
        `INSERT INTO platform_pushes (idempotency_key, case_id, platform, kind, payload, status, attempts)
         VALUES ($1, $2, $3, $4, $5, 'pushing', 1)
         ON CONFLICT (idempotency_key) DO UPDATE SET attempts = platform_pushes.attempts + 1
         RETURNING status, acknowledgement, payload`,
        [req.idempotencyKey, req.caseId, req.platform, req.kind, JSON.stringify(req.payload)],
      );
      const row = claimed.rows[0]!;
      if (row.status === 'acknowledged') return { acknowledgement: row.acknowledgement!, alreadyAcknowledged: true };

      // Resend what was claimed first, so every attempt under one key carries the same payload.
      const acknowledgement = await post(req, row.payload);
      const stored = await storeAfterSend(() =>
        db.query<{ acknowledgement: string }>(
          `UPDATE platform_pushes SET status = 'acknowledged', acknowledgement = $2, acknowledged_at = now()
            WHERE idempotency_key = $1 AND status = 'pushing'
           RETURNING acknowledgement`,
          [req.idempotencyKey, acknowledgement],
        ),
      );
      if (stored.rowCount) return { acknowledgement, alreadyAcknowledged: false };
      // A concurrent attempt acknowledged first: its record stands.
      const first = await db.query<{ acknowledgement: string }>(`SELECT acknowledgement FROM platform_pushes WHERE idempotency_key = $1`, [req.idempotencyKey]);
      return { acknowledgement: first.rows[0]!.acknowledgement, alreadyAcknowledged: true };
    },
  };
}

export type PlatformActivities = ReturnType<typeof createPlatformActivities>;
