import type { Db } from '../db/pool';
import { storeAfterSend } from './after-send';
import { messageIdFor, type Mailer, type OutgoingMail } from './mailer';

/** The column of `notifications` that ties a mail to what it is about (db/migrations). */
export type OutboxSubject = { column: 'case_id' | 'campaign_id' | 'supervision_item_id' | 'report_id'; id: string };

export interface OutboxMail {
  idempotencyKey: string;
  about: OutboxSubject;
  /** notifications.kind */
  kind: string;
  /** Addresses as the directory gives them; stored once, without repeats and sorted. */
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
  /**
   * Where the mail really goes when that differs from what the outbox may record (a reporter's own
   * address, stored only in its masked form in `to`).
   */
  deliverTo?: string[];
  /** Drawn only when the mail is actually sent (a report's workbook is costly to make). */
  attachments?: () => Promise<OutgoingMail['attachments']>;
}

/**
 * Send an authority e-mail through the `notifications` outbox, once per idempotency key: the row is
 * claimed before sending and marked sent after, so a retry finds it sent and sends nothing. The
 * recipients and subject claimed first are those every retry sends, and a mail with no address on
 * file anywhere is recorded without recipients (the gap shows in the outbox) rather than failing.
 * Decisions and notices to authorities, the campaign's notices and reports, supervision notices and
 * public reports' notices and replies go this way. A case's own mail
 * (activities/index.ts sendCaseMail) does not: it renders recipients and subject anew on a retry and
 * always sends.
 */
export async function sendThroughOutbox(db: Db, mailer: Mailer, mail: OutboxMail): Promise<{ recipients: string[]; messageId: string }> {
  const to = [...new Set(mail.to)].sort();
  const messageId = messageIdFor(mail.idempotencyKey);
  const claimed = await db.query<{ status: string; recipients: string[]; subject: string }>(
    `INSERT INTO notifications (idempotency_key, ${mail.about.column}, kind, recipients, subject, message_id, status, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1)
     ON CONFLICT (idempotency_key) DO UPDATE SET attempts = notifications.attempts + 1
     RETURNING status, recipients, subject`,
    [mail.idempotencyKey, mail.about.id, mail.kind, to, mail.subject, messageId],
  );
  const row = claimed.rows[0]!;
  if (row.status === 'sent') return { recipients: row.recipients, messageId };
  const deliverTo = mail.deliverTo ?? row.recipients;
  if (deliverTo.length) {
    await mailer.send({
      to: deliverTo,
      subject: row.subject,
      text: mail.text,
      messageId,
      headers: mail.headers,
      ...(mail.attachments ? { attachments: await mail.attachments() } : {}),
    });
  }
  await storeAfterSend(() => db.query(`UPDATE notifications SET status = 'sent', sent_at = now() WHERE idempotency_key = $1`, [mail.idempotencyKey]));
  return { recipients: row.recipients, messageId };
}
