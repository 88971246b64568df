import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { Db } from '../db/pool';
import type { Mailer } from './mailer';
import { contactsFor } from './directory';
import { sendThroughOutbox } from './outbox';
import { stepNameZh } from '../domain/authority';

export interface DecisionDeps {
  db: Db;
  mailer: Mailer;
  /** Base URL of the API, for links in e-mails. */
  publicBaseUrl: string;
}

/** A decision a case waits for, put on the assignee's to-do list (待办). */
export interface DecisionRequest {
  /** `${workflowId}/${kind}/${n}`: the same request recorded twice is stored and mailed once. */
  decisionId: string;
  caseId: string;
  /** extension | reinspection | closure | acceptance | sealed_reinspection | … */
  kind: string;
  assigneeRole: string;
  assigneeDepartment?: string;
  /** Division code of the deciding authority. */
  jurisdiction: string;
  /** Legal date (YYYY-MM-DD, Asia/Shanghai) and the instant the decision is due. */
  dueDate: string;
  dueAt: string;
  detail?: Record<string, unknown>;
}

export interface DecisionClosure {
  decisionId: string;
  outcome: string;
  decidedBy: Record<string, unknown> | null;
  decidedAt: string;
  /** 'decided' by default; 'withdrawn' when the case moved on without it (e.g. voluntary exit). */
  status?: 'decided' | 'withdrawn';
}

/** A pending decision's clock moved (resumed after a suspension, settled with a newer calendar). */
export interface DecisionReschedule {
  decisionId: string;
  /** The new legal date (YYYY-MM-DD, Asia/Shanghai) and the instant the workflow's timer now fires. */
  dueDate: string;
  dueAt: string;
  /** `${decisionId}/due/${dueDate}`: for logs; the update sets values, so a repeat is harmless. */
  idempotencyKey: string;
}

export interface AuthorityNotice {
  caseId: string;
  idempotencyKey: string;
  jurisdiction: string;
  roles: string[];
  /** Narrows enforcement officials to these departments (e.g. Henan filings: development_reform, industry_it). */
  departments?: string[];
  subject: string;
  text: string;
}



/** Inside an activity, the SDK's logger (with workflow and activity ids); in a plain call, stderr. */
function warn(message: string, meta: Record<string, unknown>): void {
  try {
    Context.current().log.warn(message, meta);
  } catch {
    console.warn(message, meta);
  }
}

interface OutboxMail {
  idempotencyKey: string;
  caseId: string;
  kind: string;
  to: string[];
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * Officials' decisions and notices to authorities, each idempotent: decisions are keyed by their id,
 * e-mails go through the `notifications` outbox (claimed before sending, marked sent after).
 */
export function createDecisionActivities({ db, mailer, publicBaseUrl }: DecisionDeps) {
  /** Send once per key through the outbox (activities/outbox.ts); a mail with nobody on file is recorded and warned of. */
  async function sendOnce(mail: OutboxMail): Promise<string[]> {
    const { recipients } = await sendThroughOutbox(db, mailer, {
      idempotencyKey: mail.idempotencyKey,
      about: { column: 'case_id', id: mail.caseId },
      kind: mail.kind,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      headers: { 'X-Exitflow-Case': mail.caseId, 'X-Exitflow-Kind': mail.kind, ...mail.headers },
    });
    // No address on file: recorded (so the gap is visible in the outbox) rather than failing the case.
    if (recipients.length === 0) warn('no authority contact on file; notification recorded without recipients', { key: mail.idempotencyKey, kind: mail.kind });
    return recipients;
  }

  async function caseTitle(caseId: string): Promise<{ enterpriseName: string; caseNumber: string }> {
    const { rows } = await db.query<{ enterprise_name: string; case_number: string }>(
      `SELECT e.name AS enterprise_name, c.case_number FROM cases c JOIN enterprises e USING (credit_code) WHERE c.case_id = $1`,
      [caseId],
    );
    const row = rows[0];
    // The workflow records the case before asking for decisions; a missing record is a bug, not an outage.
    if (!row) throw ApplicationFailure.nonRetryable(`case ${caseId} has no record`, 'CaseNotRecorded');
    return { enterpriseName: row.enterprise_name, caseNumber: row.case_number };
  }

  const caseUrl = (caseId: string) => `${publicBaseUrl}/api/v1/cases/${encodeURIComponent(caseId)}`;

  return {
    /** Put a decision on the assignee's to-do list and e-mail the assignee's addresses once. */
    async requestDecision(req: DecisionRequest): Promise<{ notified: string[] }> {
      const { enterpriseName, caseNumber } = await caseTitle(req.caseId);
      await db.query(
        `INSERT INTO decisions (decision_id, case_id, kind, assignee_role, assignee_department, jurisdiction,
                                due_date, due_at, status, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9)
         ON CONFLICT (decision_id) DO NOTHING`,
        [req.decisionId, req.caseId, req.kind, req.assigneeRole, req.assigneeDepartment ?? null, req.jurisdiction,
         req.dueDate, req.dueAt, JSON.stringify(req.detail ?? {})],
      );
      const what = stepNameZh(req.kind);
      const to = (await contactsFor(db, req.jurisdiction, req.assigneeRole, req.assigneeDepartment)).map((c) => c.email);
      const subject = `【待决定】${what}：${enterpriseName}（${caseNumber}），请于${req.dueDate}前作出决定`;
      const text = [
        `${enterpriseName}（案件编号 ${caseNumber}）有一项${what}待您决定。`,
        `决定期限：${req.dueDate}（北京时间）。逾期未决定的，将按规定提请上一级督办。`,
        `案件详情：${caseUrl(req.caseId)}`,
        `待决事项编号：${req.decisionId}`,
      ].join('\n');
      const notified = await sendOnce({
        idempotencyKey: `${req.decisionId}/notify`,
        caseId: req.caseId,
        kind: `decision_request:${req.kind}`,
        to,
        subject,
        text,
        headers: { 'X-Exitflow-Decision': req.decisionId },
      });
      return { notified };
    },

    /** Record the outcome of a decision; the first closure stands, a repeat changes nothing. */
    async closeDecision(req: DecisionClosure): Promise<void> {
      const updated = await db.query(
        `UPDATE decisions SET status = $2, outcome = $3, decided_by = $4, decided_at = $5
          WHERE decision_id = $1 AND status = 'open'`,
        [req.decisionId, req.status ?? 'decided', req.outcome, req.decidedBy === null ? null : JSON.stringify(req.decidedBy), req.decidedAt],
      );
      if (updated.rowCount) return;
      const existing = await db.query<{ status: string; outcome: string | null }>(`SELECT status, outcome FROM decisions WHERE decision_id = $1`, [req.decisionId]);
      const row = existing.rows[0];
      if (!row) throw ApplicationFailure.nonRetryable(`decision ${req.decisionId} was never requested`, 'DecisionNotFound');
      if (row.outcome !== req.outcome) {
        warn('decision already closed with another outcome; the first stands', { decisionId: req.decisionId, recorded: row.outcome, ignored: req.outcome });
      }
    },

    /**
     * Move an open decision's due date on the to-do list to where the workflow's clock now is.
     * Setting values makes a retry harmless; a decision already closed keeps the date it had.
     */
    async rescheduleDecision(req: DecisionReschedule): Promise<{ updated: boolean }> {
      const updated = await db.query(
        `UPDATE decisions SET due_date = $2, due_at = $3 WHERE decision_id = $1 AND status = 'open'`,
        [req.decisionId, req.dueDate, req.dueAt],
      );
      if (!updated.rowCount) warn('decision not open; due date left as it was', { decisionId: req.decisionId, key: req.idempotencyKey });
      return { updated: (updated.rowCount ?? 0) > 0 };
    },

    /** E-mail the authorities of a division (escalation one level up, filings, reminders) once per key. */
    async notifyAuthorities(req: AuthorityNotice): Promise<{ notified: string[] }> {
      const lists = await Promise.all(
        req.roles.flatMap((role) =>
          req.departments?.length
            ? req.departments.map((department) => contactsFor(db, req.jurisdiction, role, department))
            : [contactsFor(db, req.jurisdiction, role)],
        ),
      );
      const to = [...new Set(lists.flat().map((c) => c.email))].sort();
      const notified = await sendOnce({
        idempotencyKey: req.idempotencyKey,
        caseId: req.caseId,
        kind: 'authority_notice',
        to,
        subject: req.subject,
        text: `${req.text}\n\n案件详情：${caseUrl(req.caseId)}`,
      });
      return { notified };
    },
  };
}

export type DecisionActivities = ReturnType<typeof createDecisionActivities>;
