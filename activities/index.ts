import type { CaseInput } from '../domain/case';
import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import { messageIdFor, type Mailer } from './mailer';
import { storeAfterSend } from './after-send';
import { TEMPLATES, type CaseMailContext, type MailKind } from './mail/templates';
import { createPlatformActivities } from './platforms';
import { createDecisionActivities } from './decisions';
import { createCalendarActivities } from './calendar';
import { createCampaignActivities } from './campaign';
import { createCampaignReportActivities } from './campaign-reports';
import { createSurveyImportActivities, type SurveyImportDeps } from './survey-import';
import { createSupervisionActivities } from './supervision';
import { createPublicReportActivities } from './public-reports';
import { failDataErrorsForGood } from './data-errors';
import { recordDismantledCapacity, recordSealedCapacity } from './capacity-exits';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  /** Base URL of the API, for links in e-mails. */
  publicBaseUrl: string;
  /**
   * Base URL of the external platforms joint punishment is pushed to (PLATFORM_PUSH_URL). Optional
   * only for workers that never reach a closure (some tests); a push without it fails for good.
   */
  platformBaseUrl?: string;
  fetchImpl?: typeof fetch;
  /** Opens who reported a public report, to mail the reply (db/reporter-identity.ts reporterKey); worker/main.ts gives it. */
  reporterKey?: Buffer;
  /** A client for activities that start workflows (the survey import opens cases); worker/worker.ts gives it. */
  temporal?: SurveyImportDeps['temporal'];
}

export interface StageChange {
  caseId: string;
  stage: string;
  /** Legal date (YYYY-MM-DD) and instant of the next deadline, if any. */
  deadline?: string | null;
  overdue?: boolean;
  /**
   * 整改期限: the rectification deadline the yellow list publishes, whatever deadline the case shows
   * meanwhile (an extension or re-inspection decision's due date). Null once no period runs.
   */
  rectificationDeadline?: string | null;
  /** Workflow time of the change. */
  occurredAt: string;
  /** `${workflowId}/${step}`: the same change recorded twice is stored once. */
  idempotencyKey: string;
  detail?: Record<string, unknown>;
  /** 'stage' (default) for a stage change; an action or 'escalation' for an event within a stage. */
  kind?: string;
  actor?: Record<string, unknown> | null;
}

export interface CaseMailRequest {
  caseId: string;
  kind: MailKind;
  idempotencyKey: string;
  /** Values the template shows besides the case record (new deadline, outcome, days left…). */
  detail?: Record<string, string | number | boolean | null>;
}

/** Capacity that passed acceptance (验收): counts as retired for its region, industry and year. */
export interface RetiredCapacity {
  caseId: string;
  regionCode: string;
  industry: string;
  /** The acceptance date; the capacity counts in the year of its dismantling (activities/capacity-exits.ts). */
  exitedOn: string;
  facilities: { id: string; name: string; capacity: number; unit: string }[];
}


/**
 * Every side effect of a case, each idempotent: a retry after a crash or an outage
 * (PostgreSQL or SMTP down) has the same effect as one successful run.
 */
export function createActivities(deps: ActivityDeps) {
  return failDataErrorsForGood(caseActivities(deps));
}

function caseActivities({ db, mailer, publicBaseUrl, platformBaseUrl, fetchImpl, temporal, reporterKey }: ActivityDeps) {
  async function mailContext(caseId: string, detail: CaseMailRequest['detail'] = {}): Promise<{ ctx: CaseMailContext; to: string[] }> {
    const { rows } = await db.query(
      `SELECT c.*, e.name AS enterprise_name, e.contact_email
         FROM cases c JOIN enterprises e USING (credit_code) WHERE c.case_id = $1`,
      [caseId],
    );
    const row = rows[0];
    if (!row) throw new Error(`case ${caseId} has no record`);
    return {
      to: [row.contact_email],
      ctx: {
        caseId,
        caseNumber: row.case_number,
        enterpriseName: row.enterprise_name,
        creditCode: row.credit_code,
        dimension: row.dimension,
        department: row.department,
        legalBasis: row.legal_basis,
        noticeServedOn: row.notice_served_on,
        deadline: row.deadline_date ?? undefined,
        facilities: row.facilities,
        caseUrl: `${publicBaseUrl}/api/v1/cases/${encodeURIComponent(caseId)}`,
        detail,
      },
    };
  }

  return {
    ...createPlatformActivities({ db, baseUrl: platformBaseUrl ?? 'http://platform-push-url.not-configured.invalid', fetchImpl }),
    ...createDecisionActivities({ db, mailer, publicBaseUrl }),
    ...createCalendarActivities(),
    ...createCampaignActivities({ db, mailer, publicBaseUrl }),
    ...createCampaignReportActivities({ db, mailer, publicBaseUrl }),
    ...createSurveyImportActivities({ db, temporal }),
    ...createSupervisionActivities({ db, mailer, publicBaseUrl }),
    ...createPublicReportActivities({ db, mailer, publicBaseUrl, reporterKey }),

    /** Write the case record (the API's read model) and its first event. */
    async recordCaseOpened(input: CaseInput): Promise<void> {
      await inTransaction(db, async (tx) => {
        await tx.query(
          `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department,
                              legal_basis, notice_served_on, serious, facilities, policy_id, policy_version,
                              stage, opened_by, opened_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'opened',$14,$15)
           ON CONFLICT (case_id) DO NOTHING`,
          [
            input.caseId, input.caseNumber, input.creditCode, input.enterprise.regionCode, input.enterprise.industry,
            input.dimension, input.department, input.legalBasis, input.noticeServedOn, input.serious,
            JSON.stringify(input.facilities), input.policy.id, input.policy.version,
            JSON.stringify(input.openedBy), input.openedAt,
          ],
        );
        await tx.query(
          `INSERT INTO case_events (case_id, idempotency_key, kind, stage, detail, actor, occurred_at)
           VALUES ($1, $2, 'opened', 'opened', $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING`,
          [input.caseId, `${input.caseId}/opened`, JSON.stringify({ caseNumber: input.caseNumber }), JSON.stringify(input.openedBy), input.openedAt],
        );
      });
    },

    /** Move the case record to a stage and keep the change in its history. */
    async recordStage(change: StageChange): Promise<void> {
      await inTransaction(db, async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO case_events (case_id, idempotency_key, kind, stage, detail, actor, occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`,
          [change.caseId, change.idempotencyKey, change.kind ?? 'stage', change.stage, JSON.stringify({ deadline: change.deadline ?? null, ...change.detail }),
           change.actor ? JSON.stringify(change.actor) : null, change.occurredAt],
        );
        if (inserted.rowCount === 0) return;
        // The read model keeps the legal date officials read (deadline_date) and the instant it
        // lapses: the end of that day, 24:00 China Standard Time, as the timer and the search attribute.
        // The rectification deadline (整改期限) is written when the change carries it, null included
        // (no period runs); a change recorded without it (earlier workflow code) keeps the stored one.
        await tx.query(
          `UPDATE cases SET stage = $2, deadline_date = $3::date, deadline = ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
                            overdue = $4,
                            rectification_deadline = CASE WHEN $5::boolean THEN $6::date ELSE rectification_deadline END,
                            updated_at = now()
            WHERE case_id = $1`,
          [change.caseId, change.stage, change.deadline ?? null, change.overdue ?? false,
           change.rectificationDeadline !== undefined, change.rectificationDeadline ?? null],
        );
        // 30号文 (九): sealed capacity has exited (retired_capacity, facility status), recorded with the stage.
        if (change.stage === 'sealed' && (change.kind ?? 'stage') === 'stage') await recordSealedCapacity(tx, change.caseId, change.detail ?? {}, change.occurredAt);
      });
    },

    /**
     * Send one of the case's e-mails at most once per idempotency key: the outbox row is claimed
     * before sending and marked sent after; a retry finds it sent and does nothing.
     */
    async sendCaseMail(req: CaseMailRequest): Promise<{ messageId: string; alreadySent: boolean }> {
      const messageId = messageIdFor(req.idempotencyKey);
      const { ctx, to } = await mailContext(req.caseId, req.detail);
      const { subject, text } = TEMPLATES[req.kind](ctx);
      const claimed = await db.query(
        `INSERT INTO notifications (idempotency_key, case_id, kind, recipients, subject, message_id, status, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1)
         ON CONFLICT (idempotency_key) DO UPDATE SET attempts = notifications.attempts + 1
         RETURNING status`,
        [req.idempotencyKey, req.caseId, req.kind, to, subject, messageId],
      );
      if (claimed.rows[0]?.status === 'sent') return { messageId, alreadySent: true };
      await mailer.send({ to, subject, text, messageId, headers: { 'X-Exitflow-Case': req.caseId, 'X-Exitflow-Kind': req.kind } });
      await storeAfterSend(() => db.query(`UPDATE notifications SET status = 'sent', sent_at = now() WHERE idempotency_key = $1`, [req.idempotencyKey]));
      return { messageId, alreadySent: false };
    },

    /**
     * Count the accepted capacity as retired, every facility in its own unit, in the year it was
     * dismantled (or sealed before); its facilities are retired. A retry changes nothing.
     */
    async recordRetiredCapacity(r: RetiredCapacity): Promise<void> {
      await inTransaction(db, (tx) => recordDismantledCapacity(tx, r));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
