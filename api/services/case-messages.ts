import { z } from 'zod';
import type { Db } from '../../db/pool';
import type { Principal } from '../../domain/roles';

/**
 * What a case told the world and what the world answered: the mails of its outbox (notices,
 * reminders, escalations to the authorities), the escalations it recorded (督办), and the
 * acknowledgements of the platforms it was pushed to (联合惩戒, credit platforms).
 */

export const CaseMail = z
  .object({
    kind: z.string().meta({ description: 'What the mail is (rectification_notice, rectification_reminder, authority_notice, …)' }),
    subject: z.string(),
    recipients: z.array(z.string()).meta({ description: 'As the outbox records them; masked (z***@example.cn) for an enterprise reading its own case' }),
    createdAt: z.string().meta({ description: 'When the mail was claimed for sending' }),
    sentAt: z.string().nullable(),
    status: z.enum(['sent', 'waiting']).meta({ description: 'sent: handed to the mail server; waiting: claimed, not yet sent (a retry will send it)' }),
  })
  .meta({ id: 'CaseMail' });

export const PlatformAcknowledgement = z
  .object({
    platform: z.string(),
    kind: z.string().meta({ description: 'What was pushed (joint_punishment, lifting, …)' }),
    status: z.enum(['acknowledged', 'waiting']),
    acknowledgement: z.string().nullable(),
    pushedAt: z.string(),
    acknowledgedAt: z.string().nullable(),
  })
  .meta({ id: 'PlatformAcknowledgement' });

export const Escalation = z
  .object({
    at: z.string(),
    what: z.string().meta({ description: 'What lapsed: rectification, dismantling, revival, decision:<kind>' }),
    lapsedOn: z.string().nullable(),
    up: z.string().nullable().meta({ description: 'The division it was escalated to (督办), if any above the responsible one' }),
  })
  .meta({ id: 'Escalation' });

export const CaseMessages = z
  .object({ mails: z.array(CaseMail), acknowledgements: z.array(PlatformAcknowledgement), escalations: z.array(Escalation) })
  .meta({
    id: 'CaseMessages',
    example: {
      mails: [
        { kind: 'rectification_notice', subject: '【整改通知】郑州市某某钢铁有限公司：能耗不达标，限期整改（ZZGX-2026-003）', recipients: ['compliance@zhongyuan-steel.example.cn'], createdAt: '2026-03-02T01:00:01.000Z', sentAt: '2026-03-02T01:00:02.000Z', status: 'sent' },
      ],
      acknowledgements: [{ platform: 'credit_china', kind: 'joint_punishment', status: 'acknowledged', acknowledgement: 'ACK-2026-118', pushedAt: '2026-10-09T02:00:00.000Z', acknowledgedAt: '2026-10-09T02:00:01.000Z' }],
      escalations: [{ at: '2026-09-03T16:00:00.000Z', what: 'rectification', lapsedOn: '2026-09-02', up: '410100' }],
    },
  });

/** An address as the outbox keeps a reporter's: enough to tell two apart, not enough to write to (z***@example.cn). */
const masked = (address: string) => (address.includes('***') ? address : address.replace(/^(.?)[^@]*@/, '$1***@'));

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The case's mails, escalations and platform acknowledgements, oldest first. */
export async function caseMessages(db: Db, caseId: string, principal: Principal): Promise<z.infer<typeof CaseMessages>> {
  const [mails, pushes, escalations] = await Promise.all([
    db.query(`SELECT kind, subject, recipients, status, created_at, sent_at FROM notifications WHERE case_id = $1 ORDER BY created_at, idempotency_key`, [caseId]),
    db.query(`SELECT platform, kind, status, acknowledgement, created_at, acknowledged_at FROM platform_pushes WHERE case_id = $1 ORDER BY created_at, idempotency_key`, [caseId]),
    db.query(`SELECT occurred_at, detail FROM case_events WHERE case_id = $1 AND kind = 'escalation' ORDER BY occurred_at, id`, [caseId]),
  ]);
  const recipients = (to: string[]) => (principal.role === 'enterprise' ? to.map(masked) : to);
  return {
    mails: mails.rows.map((m) => ({ kind: m.kind, subject: m.subject, recipients: recipients(m.recipients), createdAt: m.created_at.toISOString(), sentAt: iso(m.sent_at), status: m.status === 'sent' ? 'sent' : 'waiting' })),
    acknowledgements: pushes.rows.map((p) => ({ platform: p.platform, kind: p.kind, status: p.status === 'acknowledged' ? 'acknowledged' : 'waiting', acknowledgement: p.acknowledgement, pushedAt: p.created_at.toISOString(), acknowledgedAt: iso(p.acknowledged_at) })),
    escalations: escalations.rows.map((e) => ({ at: e.occurred_at.toISOString(), what: String(e.detail.what ?? ''), lapsedOn: e.detail.lapsedOn ?? null, up: e.detail.up ?? null })),
  };
}
