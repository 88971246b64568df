/**
 * The drill's verdict, from what the outside world received (the SMTP sink, the platform stand-in)
 * and what exitflow stored (PostgreSQL, Temporal), against what the drill's callers were told.
 */
import { Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../db/pool';
import type { RecordingEndpoint } from '../../scripts/lib/recording-endpoint';
import type { SmtpSink } from '../../scripts/lib/smtp-sink';
import type { DrillClient } from './client';
import { temporalClient } from '../../config/temporal-client';
import { operator, type CaseOutcome } from './scenarios';

export interface DrillVerdict {
  casesOpened: number;
  /** Acknowledged (201) but missing from PostgreSQL's read model or from Temporal. */
  casesLost: number;
  /** Not in the stage (or overdue state) their path must end in. */
  casesInWrongState: number;
  mailsSent: number;
  /** Two different e-mails (Message-IDs) for the same event: what a reader would see as a duplicate. */
  duplicateMails: number;
  /** The same Message-ID delivered twice (at-least-once SMTP); mail clients collapse these. */
  mailRedeliveries: number;
  /** Outbox rows marked sent that the SMTP server never received, or rows still not sent. */
  mailsLost: number;
  pushesAcknowledged: number;
  /** Two different pushes (Idempotency-Keys) for the same case, kind and platform. */
  duplicatePushes: number;
  /** The same push sent again under its key (answered from the platform's idempotency memory). */
  pushResends: number;
  /** Pushes acknowledged in PostgreSQL that the platform never received, or still pending. */
  pushesLost: number;
  auditRowsExpected: number;
  auditRowsMissing: number;
  auditRowsDuplicated: number;
  details: string[];
}

const count = <K>(items: K[]) => items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());

export async function verdict(o: { db: Db; temporalAddress: string; sink: SmtpSink; platforms: RecordingEndpoint; client: DrillClient; outcomes: CaseOutcome[] }): Promise<DrillVerdict> {
  const details: string[] = [];
  const note = (s: string) => details.length < 40 && details.push(s);
  const ids = o.outcomes.map((x) => x.caseId);

  // Cases: in the read model, in Temporal, in the right stage.
  const { rows: caseRows } = await o.db.query<{ case_id: string }>(`SELECT case_id FROM cases WHERE case_id = ANY($1)`, [ids]);
  const inDb = new Set(caseRows.map((r) => r.case_id));
  const connection = await Connection.connect({ address: o.temporalAddress });
  // The drill's API and worker inherit this environment: the same codec keys (if any) read their payloads.
  const temporal = temporalClient(connection, { PAYLOAD_CODEC_KEYS: process.env.PAYLOAD_CODEC_KEYS });
  let casesLost = 0;
  let casesInWrongState = 0;
  try {
    for (const x of o.outcomes) {
      let inTemporal = true;
      await temporal.workflow.getHandle(x.caseId).describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) inTemporal = false;
        else throw err;
      });
      if (!inDb.has(x.caseId) || !inTemporal) {
        casesLost++;
        note(`lost: ${x.caseId} (PostgreSQL ${inDb.has(x.caseId)}, Temporal ${inTemporal})`);
        continue;
      }
      const a = await o.client.get(operator, `/api/v1/cases/${encodeURIComponent(x.caseId)}`);
      if (a.body?.stage !== x.expected.stage || Boolean(a.body?.overdue) !== x.expected.overdue) {
        casesInWrongState++;
        note(`wrong state: ${x.caseId} (${x.scenario}) is ${a.status === 200 ? `${a.body.stage}${a.body.overdue ? ' overdue' : ''}` : `${a.status} ${JSON.stringify(a.body)}`}, expected ${x.expected.stage}${x.expected.overdue ? ' overdue' : ''}`);
      }
    }
  } finally {
    await connection.close();
  }

  // E-mail: what the outbox says was sent against what the SMTP server received.
  const { rows: outbox } = await o.db.query<{ message_id: string; status: string; recipients: string[]; case_id: string; kind: string; subject: string }>(
    `SELECT message_id, status, recipients, case_id, kind, subject FROM notifications WHERE case_id = ANY($1)`,
    [ids],
  );
  const mine = new Set(outbox.map((r) => r.message_id));
  const received = o.sink.messages.filter((m) => m.messageId && mine.has(m.messageId));
  const deliveries = count(received.map((m) => m.messageId!));
  const mailRedeliveries = [...deliveries.values()].reduce((s, n) => s + n - 1, 0);
  const events = count(received.filter((m, i, all) => all.findIndex((n) => n.messageId === m.messageId) === i).map((m) => `${m.headers['x-exitflow-case']}|${m.headers['x-exitflow-kind']}|${[...m.to].sort().join(',')}|${m.subject}`));
  const duplicateMails = [...events.values()].reduce((s, n) => s + n - 1, 0);
  let mailsLost = 0;
  for (const r of outbox) {
    const expectDelivery = r.recipients.length > 0;
    if (r.status !== 'sent' || (expectDelivery && !deliveries.has(r.message_id))) {
      mailsLost++;
      note(`mail lost: ${r.kind} for ${r.case_id} (${r.status})`);
    }
  }
  if (mailRedeliveries) note(`${mailRedeliveries} Message-ID(s) delivered more than once`);

  // Platform pushes: what PostgreSQL says was acknowledged against what the platforms received.
  const { rows: pushes } = await o.db.query<{ idempotency_key: string; status: string; case_id: string }>(`SELECT idempotency_key, status, case_id FROM platform_pushes WHERE case_id = ANY($1)`, [ids]);
  const calls = o.platforms.calls.filter((c) => c.status === 200 && ids.includes((c.body as { caseId?: string })?.caseId ?? ''));
  const perKey = count(calls.map((c) => c.headers['idempotency-key']));
  const pushResends = [...perKey.values()].reduce((s, n) => s + n - 1, 0);
  const eventOfKey = new Map(calls.map((c) => {
    const b = c.body as { caseId: string; kind: string; platform: string };
    return [c.headers['idempotency-key'], `${b.caseId}|${b.kind}|${b.platform}`] as const;
  }));
  const perEvent = count([...eventOfKey.values()]);
  const duplicatePushes = [...perEvent.values()].reduce((s, n) => s + n - 1, 0);
  let pushesLost = 0;
  for (const p of pushes) {
    if (p.status !== 'acknowledged' || !perKey.has(p.idempotency_key)) {
      pushesLost++;
      note(`push lost: ${p.idempotency_key} (${p.status})`);
    }
  }

  // Audit: one row per command that was answered 2xx.
  const expected = count(o.outcomes.flatMap((x) => x.commands.map((c) => `${c.target}|${c.action}`)));
  const targets = [...new Set(o.outcomes.flatMap((x) => x.commands.map((c) => c.target)))];
  const { rows: audit } = await o.db.query<{ target: string; action: string; n: number }>(
    `SELECT target, action, count(*)::int AS n FROM audit_log WHERE target = ANY($1) GROUP BY target, action`,
    [targets],
  );
  const actual = new Map(audit.map((r) => [`${r.target}|${r.action}`, r.n]));
  let auditRowsMissing = 0;
  let auditRowsDuplicated = 0;
  for (const [k, n] of expected) {
    const got = actual.get(k) ?? 0;
    if (got < n) {
      auditRowsMissing += n - got;
      note(`audit missing: ${k}`);
    } else if (got > n) {
      auditRowsDuplicated += got - n;
      note(`audit duplicated: ${k} (${got} rows)`);
    }
  }

  return {
    casesOpened: o.outcomes.length,
    casesLost,
    casesInWrongState,
    mailsSent: deliveries.size,
    duplicateMails,
    mailRedeliveries,
    mailsLost,
    pushesAcknowledged: pushes.filter((p) => p.status === 'acknowledged').length,
    duplicatePushes,
    pushResends,
    pushesLost,
    auditRowsExpected: [...expected.values()].reduce((s, n) => s + n, 0),
    auditRowsMissing,
    auditRowsDuplicated,
    details,
  };
}
