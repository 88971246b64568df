import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

/** A Message-ID that is a pure function of the outbox's idempotency key, so a duplicate would be recognisable. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@exitflow.local>`;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  /** Stable Message-ID derived from the idempotency key, so a duplicate would be recognisable. */
  messageId: string;
  headers?: Record<string, string>;
  /** Files sent with it (a report's XLSX). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  /** Connects and says EHLO; throws when the SMTP server cannot be reached. */
  verify(): Promise<void>;
  close(): void;
}

/** nodemailer over `smtpUrl` (smtp://host:port, smtps:// for implicit TLS). */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // The local sink speaks plain SMTP; a real relay upgrades with STARTTLS when it offers it.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    // A few connections kept open and reused: a lapsed case sends several mails at once, and a new
    // connection (and TLS handshake) per mail was most of the mail activity's time.
    pool: true,
    maxConnections: 4,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
      });
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
