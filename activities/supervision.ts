import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import type { SupervisionInput } from '../domain/supervision';
import { contactsFor } from './directory';
import type { Mailer } from './mailer';
import { sendThroughOutbox } from './outbox';

export interface SupervisionDeps {
  db: Db;
  mailer: Mailer;
  /** Base URL of the API, for links in e-mails. */
  publicBaseUrl: string;
}

/** Where an item stands, as the read model keeps it. */
export interface SupervisionSnapshot {
  status: string;
  overdue: boolean;
  followUpBy: string | null;
  /** The workflow's state without its internal bookkeeping (notices, summons, follow-ups, closure). */
  state: Record<string, unknown>;
  /** The workflow's event counter: a snapshot never overwrites a newer one. */
  seq: number;
}

/** The item as it was started (domain/supervision.ts SupervisionInput), with its first snapshot. */
export interface SupervisionOpened extends Omit<SupervisionInput, 'reason' | 'openedBy'> {
  reason: { kind: string } & Record<string, unknown>;
  openedBy: Record<string, unknown> | null;
  snapshot: SupervisionSnapshot;
}

/** A 通报 kept with the event that issued it; published ones are read by the public. */
export interface SupervisionNoticeRecord {
  noticeId: string;
  issuedOn: string;
  text: string;
  publish: boolean;
  issuedBy: Record<string, unknown>;
}

export interface SupervisionEvent {
  itemId: string;
  /** `${itemId}/${step}`: the same event recorded twice is stored once. */
  idempotencyKey: string;
  kind: string;
  detail?: Record<string, unknown>;
  actor?: Record<string, unknown> | null;
  occurredAt: string;
  snapshot: SupervisionSnapshot;
  notice?: SupervisionNoticeRecord;
}

export interface SupervisionNotice {
  itemId: string;
  idempotencyKey: string;
  /** Each recipient: a division and the roles there (activities/directory.ts contactsFor). */
  to: { jurisdiction: string; roles: string[] }[];
  subject: string;
  text: string;
}

/**
 * The supervision item's side effects, each idempotent: its record, events and notices in
 * PostgreSQL, and e-mails through the `notifications` outbox (as the campaign's).
 */
export function createSupervisionActivities({ db, mailer, publicBaseUrl }: SupervisionDeps) {
  const writeSnapshot = (tx: Pick<Db, 'query'>, itemId: string, s: SupervisionSnapshot) =>
    tx.query(
      `UPDATE supervision_items SET status = $2, overdue = $3, follow_up_by = $4::date, state = $5, snapshot_seq = $6, updated_at = now(),
              closed_at = CASE WHEN $2 = 'closed' THEN coalesce(closed_at, now()) ELSE closed_at END
        WHERE item_id = $1 AND snapshot_seq < $6`,
      [itemId, s.status, s.overdue, s.followUpBy, JSON.stringify(s.state), s.seq],
    );

  return {
    /** Write the item's record (the API's read model) and its first event. */
    async recordSupervisionOpened(o: SupervisionOpened): Promise<void> {
      await inTransaction(db, async (tx) => {
        await tx.query(
          `INSERT INTO supervision_items (item_id, supervisor, region, campaign_id, year, policy_id, policy_version, reason_kind, reason, status, overdue, follow_up_by, state, snapshot_seq, opened_by, opened_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12::date,$13,$14,$15,$16) ON CONFLICT (item_id) DO NOTHING`,
          [o.itemId, o.supervisor, o.region, o.campaignId, o.year, o.policy.id, o.policy.version, o.reason.kind, JSON.stringify(o.reason), o.snapshot.status, o.snapshot.overdue,
           o.snapshot.followUpBy, JSON.stringify(o.snapshot.state), o.snapshot.seq, o.openedBy ? JSON.stringify(o.openedBy) : null, o.openedAt],
        );
        await tx.query(
          `INSERT INTO supervision_events (item_id, idempotency_key, kind, detail, actor, occurred_at)
           VALUES ($1, $2, 'opened', $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING`,
          [o.itemId, `${o.itemId}/opened`, JSON.stringify({ reason: o.reason }), o.openedBy ? JSON.stringify(o.openedBy) : null, o.openedAt],
        );
      });
    },

    /** Keep one event of the item (with the notice it issued, if any) and the snapshot after it. */
    async recordSupervisionEvent(e: SupervisionEvent): Promise<void> {
      await inTransaction(db, async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO supervision_events (item_id, idempotency_key, kind, detail, actor, occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
          [e.itemId, e.idempotencyKey, e.kind, JSON.stringify(e.detail ?? {}), e.actor ? JSON.stringify(e.actor) : null, e.occurredAt],
        );
        if (!inserted.rowCount) return;
        if (e.notice) {
          await tx.query(
            `INSERT INTO supervision_notices (notice_id, item_id, issued_on, text, publish, issued_by, issued_at)
             VALUES ($1, $2, $3::date, $4, $5, $6, $7) ON CONFLICT (notice_id) DO NOTHING`,
            [e.notice.noticeId, e.itemId, e.notice.issuedOn, e.notice.text, e.notice.publish, JSON.stringify(e.notice.issuedBy), e.occurredAt],
          );
        }
        await writeSnapshot(tx, e.itemId, e.snapshot);
      });
    },

    /** E-mail the offices and governments named, once per key (the outbox row is claimed before sending). */
    async notifySupervisionAuthorities(n: SupervisionNotice): Promise<{ notified: string[] }> {
      const lists = await Promise.all(n.to.flatMap((t) => t.roles.map((role) => contactsFor(db, t.jurisdiction, role))));
      const { recipients } = await sendThroughOutbox(db, mailer, {
        idempotencyKey: n.idempotencyKey,
        about: { column: 'supervision_item_id', id: n.itemId },
        kind: 'supervision_notice',
        to: lists.flat().map((c) => c.email),
        subject: n.subject,
        text: `${n.text}\n\n督办事项：${publicBaseUrl}/api/v1/supervision-items/${encodeURIComponent(n.itemId)}`,
        headers: { 'X-Exitflow-Supervision': n.itemId, 'X-Exitflow-Kind': 'supervision_notice' },
      });
      return { notified: recipients };
    },
  };
}

export type SupervisionActivities = ReturnType<typeof createSupervisionActivities>;
