/** Standalone SMTP sink with an HTTP mailbox. Env: SMTP_SINK_PORT (1025), MAILBOX_PORT (1080), MAIL_DIR (data/mail). */
import path from 'node:path';
import { onShutdownSignal } from './lib/processes';
import { startSmtpSink } from './lib/smtp-sink';

async function main() {
  const sink = await startSmtpSink({
    port: Number(process.env.SMTP_SINK_PORT ?? 1025),
    httpPort: Number(process.env.MAILBOX_PORT ?? 1080),
    dir: process.env.MAIL_DIR ?? path.resolve(__dirname, '..', 'data', 'mail'),
  });
  console.log(`SMTP_URL=${sink.smtpUrl}`);
  console.log(`Mailbox: ${sink.httpUrl} (${sink.messages.length} mail(s) so far). Ctrl-C to stop.`);
  const received = sink.messages.length;
  let seen = received;
  setInterval(() => {
    for (const m of sink.messages.slice(seen)) console.log(`${m.receivedAt} ${m.to.join(',')}: ${m.subject}`);
    seen = sink.messages.length;
  }, 500);
  onShutdownSignal(async () => {
    await sink.stop();
    process.exit(0);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
