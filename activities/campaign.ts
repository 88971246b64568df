import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import { contactsFor } from './directory';
import type { Mailer } from './mailer';
import { sendThroughOutbox } from './outbox';

export interface CampaignDeps {
  db: Db;
  mailer: Mailer;
  /** Base URL of the API, for links in e-mails. */
  publicBaseUrl: string;
}

/** Where a campaign stands, as the read model keeps it (the workflow's query, flattened). */
export interface CampaignSnapshot {
  stage: string;
  nextMilestone: string | null;
  nextDue: string | null;
  overdue: boolean;
  milestones: unknown[];
  /** The workflow's event counter: a snapshot never overwrites a newer one. */
  seq: number;
}

export interface CampaignStarted {
  campaignId: string;
  division: string;
  year: number;
  policy: { id: string; version: string };
  startedBy: Record<string, unknown> | null;
  startedAt: string;
  snapshot: CampaignSnapshot;
}

export interface CampaignEvent {
  campaignId: string;
  /** `${campaignId}/${step}`: the same event recorded twice is stored once. */
  idempotencyKey: string;
  kind: string;
  milestoneId?: string;
  detail?: Record<string, unknown>;
  actor?: Record<string, unknown> | null;
  occurredAt: string;
  snapshot: CampaignSnapshot;
}

export interface CampaignNotice {
  campaignId: string;
  idempotencyKey: string;
  jurisdiction: string;
  roles: string[];
  subject: string;
  text: string;
}

/**
 * The campaign's side effects, each idempotent: its record and events in PostgreSQL (keyed like a
 * case's events), and notices to coordination offices through the `notifications` outbox.
 */
export function createCampaignActivities({ db, mailer, publicBaseUrl }: CampaignDeps) {
  const writeSnapshot = (tx: Pick<Db, 'query'>, campaignId: string, s: CampaignSnapshot) =>
    tx.query(
      `UPDATE campaigns SET stage = $2, next_milestone = $3, next_due = $4::date, overdue = $5, milestones = $6, snapshot_seq = $7, updated_at = now()
        WHERE campaign_id = $1 AND snapshot_seq < $7`,
      [campaignId, s.stage, s.nextMilestone, s.nextDue, s.overdue, JSON.stringify(s.milestones), s.seq],
    );

  return {
    /** Write the campaign record (the API's read model) and its first event. */
    async recordCampaignStarted(c: CampaignStarted): Promise<void> {
      await inTransaction(db, async (tx) => {
        await tx.query(
          `INSERT INTO campaigns (campaign_id, division, year, policy_id, policy_version, stage, next_milestone, next_due, overdue, milestones, snapshot_seq, started_by, started_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8::date,$9,$10,$11,$12,$13) ON CONFLICT (campaign_id) DO NOTHING`,
          [c.campaignId, c.division, c.year, c.policy.id, c.policy.version, c.snapshot.stage, c.snapshot.nextMilestone, c.snapshot.nextDue, c.snapshot.overdue,
           JSON.stringify(c.snapshot.milestones), c.snapshot.seq, c.startedBy ? JSON.stringify(c.startedBy) : null, c.startedAt],
        );
        await tx.query(
          `INSERT INTO campaign_events (campaign_id, idempotency_key, kind, detail, actor, occurred_at)
           VALUES ($1, $2, 'started', $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING`,
          [c.campaignId, `${c.campaignId}/started`, JSON.stringify({ policy: c.policy }), c.startedBy ? JSON.stringify(c.startedBy) : null, c.startedAt],
        );
      });
    },

    /** Keep one event of the campaign and the snapshot after it. */
    async recordCampaignEvent(e: CampaignEvent): Promise<void> {
      await inTransaction(db, async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO campaign_events (campaign_id, idempotency_key, kind, milestone_id, detail, actor, occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`,
          [e.campaignId, e.idempotencyKey, e.kind, e.milestoneId ?? null, JSON.stringify(e.detail ?? {}), e.actor ? JSON.stringify(e.actor) : null, e.occurredAt],
        );
        if (inserted.rowCount) await writeSnapshot(tx, e.campaignId, e.snapshot);
      });
    },

    /** E-mail a division's coordination office (reminder, escalation one level up) once per key. */
    async notifyCampaignAuthorities(n: CampaignNotice): Promise<{ notified: string[] }> {
      const lists = await Promise.all(n.roles.map((role) => contactsFor(db, n.jurisdiction, role)));
      const { recipients } = await sendThroughOutbox(db, mailer, {
        idempotencyKey: n.idempotencyKey,
        about: { column: 'campaign_id', id: n.campaignId },
        kind: 'campaign_notice',
        to: lists.flat().map((c) => c.email),
        subject: n.subject,
        text: `${n.text}\n\n工作进度：${publicBaseUrl}/api/v1/campaigns/${encodeURIComponent(n.campaignId)}`,
        headers: { 'X-Exitflow-Campaign': n.campaignId, 'X-Exitflow-Kind': 'campaign_notice' },
      });
      return { notified: recipients };
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
