import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import { openIdentity, reporterKey as derivedKey } from '../db/reporter-identity';
import { divisionPath } from '../domain/jurisdiction';
import { contactsFor } from './directory';
import type { Mailer } from './mailer';
import { sendThroughOutbox } from './outbox';

export interface PublicReportDeps {
  db: Db;
  mailer: Mailer;
  /** Base URL of the API, for links in e-mails. */
  publicBaseUrl: string;
  /** Opens the sealed reporter identity; absent (tests), the key derived from the development token key, as the test API derives it. */
  reporterKey?: Buffer;
}

/** Where a report stands, as the read model keeps it. */
export interface ReportSnapshot {
  status: string;
  outcome: string | null;
  assignee: { role: string; department: string; jurisdiction: string } | null;
  dueDate: string | null;
  overdue: boolean;
  caseId: string | null;
  reply: string | null;
  repliedOn: string | null;
  state: Record<string, unknown>;
  /** The workflow's event counter: a snapshot never overwrites a newer one. */
  seq: number;
}

export interface ReportEvent {
  reportId: string;
  /** `${workflowId}/${step}`: the same event recorded twice is stored once. */
  idempotencyKey: string;
  kind: string;
  detail?: Record<string, unknown>;
  actor?: Record<string, unknown> | null;
  occurredAt: string;
  snapshot: ReportSnapshot;
}

/** The verification on the officials' inbox (待办), as a case's decisions are. */
export interface ReportVerificationRequest {
  decisionId: string;
  reportId: string;
  kind: 'report_verification';
  assigneeRole: string;
  assigneeDepartment: string;
  jurisdiction: string;
  dueDate: string;
  dueAt: string;
  detail: Record<string, unknown>;
}

export interface ReportAuthorityNotice {
  reportId: string;
  idempotencyKey: string;
  to: { jurisdiction: string; roles: string[]; departments?: string[] }[];
  subject: string;
  text: string;
}

export interface SurveyedCapacityQuery {
  /** The enterprise's division. */
  region: string;
  year: number;
  creditCode: string;
  facilityIds: string[];
}

export interface SurveyedCapacity {
  /** The nearest campaign of the year whose division covers the region (a county's before its city's), if any. */
  campaign: { campaignId: string; division: string; year: number; policy: { id: string; version: string } } | null;
  /** Facilities no survey of the region's campaigns of the year listed. */
  unsurveyed: string[];
}

/** The outbox's record of a reply: enough to tell two replies apart, not enough to identify who reported (z***@example.com). */
export function maskedAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, Math.min(1, at))}***${email.slice(at)}`;
}

/** A report's record was written by the API in the transaction that started the workflow; until it commits, retry. */
class ReportNotRecordedYet extends Error {
  override name = 'ReportNotRecordedYet';
}

/**
 * A public report's side effects, each idempotent: its events and read model, the verification on
 * the decisions inbox, notices to officials and the reply to the reporter through the `notifications`
 * outbox. Only `mailReportReply` reads the reporter's contact, to send the reply.
 */
export function createPublicReportActivities({ db, mailer, publicBaseUrl, reporterKey = derivedKey({}) }: PublicReportDeps) {
  const reportUrl = (reportId: string) => `${publicBaseUrl}/api/v1/reports/${encodeURIComponent(reportId)}`;

  /** Send once per key through the outbox (activities/outbox.ts). */
  async function sendOnce(m: { idempotencyKey: string; reportId: string; kind: string; to: string[]; subject: string; text: string; headers?: Record<string, string>; deliverTo?: string[] }): Promise<string[]> {
    const { recipients } = await sendThroughOutbox(db, mailer, {
      idempotencyKey: m.idempotencyKey,
      about: { column: 'report_id', id: m.reportId },
      kind: m.kind,
      to: m.to,
      subject: m.subject,
      text: m.text,
      headers: { 'X-Exitflow-Report': m.reportId, 'X-Exitflow-Kind': m.kind, ...m.headers },
      ...(m.deliverTo ? { deliverTo: m.deliverTo } : {}),
    });
    return recipients;
  }

  return {
    /** Keep one event of the report and the snapshot after it (a newer snapshot is never overwritten). */
    async recordReportEvent(e: ReportEvent): Promise<void> {
      await inTransaction(db, async (tx) => {
        const exists = await tx.query(`SELECT 1 FROM public_reports WHERE report_id = $1 FOR UPDATE`, [e.reportId]);
        if (!exists.rowCount) throw new ReportNotRecordedYet(`report ${e.reportId} has no record yet`);
        const inserted = await tx.query(
          `INSERT INTO public_report_events (report_id, idempotency_key, kind, detail, actor, occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
          [e.reportId, e.idempotencyKey, e.kind, JSON.stringify(e.detail ?? {}), e.actor ? JSON.stringify(e.actor) : null, e.occurredAt],
        );
        if (!inserted.rowCount) return;
        const s = e.snapshot;
        await tx.query(
          `UPDATE public_reports SET status = $2, outcome = $3, assignee_role = $4, assignee_department = $5, assignee_jurisdiction = $6,
                  due_date = $7::date, overdue = $8, case_id = $9, reply = $10, replied_on = $11::date, state = $12, snapshot_seq = $13, updated_at = now()
            WHERE report_id = $1 AND snapshot_seq < $13`,
          [e.reportId, s.status, s.outcome, s.assignee?.role ?? null, s.assignee?.department ?? null, s.assignee?.jurisdiction ?? null,
           s.dueDate, s.overdue, s.caseId, s.reply, s.repliedOn, JSON.stringify(s.state), s.seq],
        );
      });
    },

    /** Put the verification on the verifying department's inbox and mail its officials once. */
    async requestReportVerification(r: ReportVerificationRequest): Promise<{ notified: string[] }> {
      // The API's transaction that started the workflow may not have committed yet: wait for it (retryable), never meet the foreign key.
      if (!(await db.query(`SELECT 1 FROM public_reports WHERE report_id = $1`, [r.reportId])).rowCount) throw new ReportNotRecordedYet(`report ${r.reportId} has no record yet`);
      await db.query(
        `INSERT INTO decisions (decision_id, report_id, kind, assignee_role, assignee_department, jurisdiction, due_date, due_at, status, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) ON CONFLICT (decision_id) DO NOTHING`,
        [r.decisionId, r.reportId, r.kind, r.assigneeRole, r.assigneeDepartment, r.jurisdiction, r.dueDate, r.dueAt, JSON.stringify(r.detail)],
      );
      const to = (await contactsFor(db, r.jurisdiction, r.assigneeRole, r.assigneeDepartment)).map((c) => c.email);
      const notified = await sendOnce({
        idempotencyKey: `${r.decisionId}/notify`,
        reportId: r.reportId,
        kind: 'decision_request:report_verification',
        to,
        subject: `【待核查】举报 ${r.reportId}，请于${r.dueDate}前核查办结`,
        text: [
          `收到一件举报（受理编号 ${r.reportId}），按职责由贵部门核查。`,
          `核查期限：${r.dueDate}（北京时间）。逾期未办结的，将按规定提请上一级督办。`,
          r.detail.realName ? '该举报为实名举报：须核查并答复（有报必查）。' : '',
          `举报详情：${reportUrl(r.reportId)}`,
        ].filter(Boolean).join('\n'),
        headers: { 'X-Exitflow-Decision': r.decisionId },
      });
      return { notified };
    },

    /** E-mail the officials named (reminders, escalation) once per key. */
    async notifyReportAuthorities(n: ReportAuthorityNotice): Promise<{ notified: string[] }> {
      const lists = await Promise.all(
        n.to.flatMap((t) => t.roles.flatMap((role) => (t.departments?.length ? t.departments.map((d) => contactsFor(db, t.jurisdiction, role, d)) : [contactsFor(db, t.jurisdiction, role)]))),
      );
      const to = [...new Set(lists.flat().map((c) => c.email))].sort();
      const notified = await sendOnce({ idempotencyKey: n.idempotencyKey, reportId: n.reportId, kind: 'report_notice', to, subject: n.subject, text: `${n.text}\n\n举报详情：${reportUrl(n.reportId)}` });
      return { notified };
    },

    /**
     * Whether confirmed capacity was in the survey (摸底排查) of a campaign of the year covering the
     * enterprise's division, and the nearest such campaign to count a concealment against.
     */
    async surveyedCapacity(q: SurveyedCapacityQuery): Promise<SurveyedCapacity> {
      const { rows: campaigns } = await db.query(
        `SELECT campaign_id, division, year, policy_id, policy_version FROM campaigns WHERE year = $1 AND division = ANY($2) ORDER BY length(rtrim(division, '0')) DESC, division DESC`,
        [q.year, divisionPath(q.region)],
      );
      if (!campaigns.length) return { campaign: null, unsurveyed: q.facilityIds };
      const { rows } = await db.query<{ facility_id: string }>(
        `SELECT DISTINCT facility_id FROM campaign_survey_rows WHERE campaign_id = ANY($1) AND credit_code = $2 AND facility_id = ANY($3)`,
        [campaigns.map((c) => c.campaign_id), q.creditCode, q.facilityIds],
      );
      const surveyed = new Set(rows.map((r) => r.facility_id));
      const c = campaigns[0]!;
      return {
        campaign: { campaignId: c.campaign_id, division: c.division, year: c.year, policy: { id: c.policy_id, version: c.policy_version } },
        unsurveyed: q.facilityIds.filter((id) => !surveyed.has(id)),
      };
    },

    /** Mail the stored reply to the reporter's e-mail address, once; a contact without one reads it by the status lookup. */
    async mailReportReply(r: { reportId: string; idempotencyKey: string }): Promise<{ mailed: boolean }> {
      const { rows } = await db.query<{ reply: string | null; sealed: Buffer | null }>(
        `SELECT p.reply, rp.sealed FROM public_reports p LEFT JOIN public_report_reporters rp USING (report_id) WHERE p.report_id = $1`,
        [r.reportId],
      );
      const row = rows[0];
      if (!row?.reply) throw new ReportNotRecordedYet(`report ${r.reportId} has no reply stored yet`);
      const email = row.sealed ? openIdentity(reporterKey, r.reportId, row.sealed).email : null;
      if (!email) return { mailed: false };
      const sent = await sendOnce({
        idempotencyKey: r.idempotencyKey,
        reportId: r.reportId,
        kind: 'report_reply',
        to: [maskedAddress(email)],
        deliverTo: [email],
        subject: `关于您的举报（受理编号 ${r.reportId}）的答复`,
        text: `${row.reply}\n\n您也可凭受理编号和查询码在举报平台查询办理情况。`,
      });
      return { mailed: sent.length > 0 };
    },
  };
}

export type PublicReportActivities = ReturnType<typeof createPublicReportActivities>;
