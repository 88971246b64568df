import nodemailer from 'nodemailer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';

describe('SMTP sink', () => {
  let dir: string;
  let sink: SmtpSink;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'exitflow-sink-'));
    sink = await startSmtpSink({ dir, httpPort: 0 });
  });
  afterEach(async () => {
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (subject: string, extra: { html?: string } = {}) =>
    nodemailer.createTransport(sink.smtpUrl).sendMail({ from: 'noreply@exitflow.local', to: 'a@example.cn', subject, text: '正文', ...extra });

  it('reads a Chinese subject and body back exactly', async () => {
    const subject = '关于落后产能退出的整改通知（2号高炉）';
    await send(subject, { html: '<p>请于<b>6月30日</b>前整改</p>' });
    const mail = await sink.waitFor((m) => m.subject === subject);
    expect(mail.text.trim()).toBe('正文');
    expect(mail.to).toEqual(['a@example.cn']);
    expect(mail.html).toContain('<b>6月30日</b>');
  });

  it('keeps mail across a stop/start on the same port and across a new sink on the same folder', async () => {
    await send('一');
    const port = sink.port;
    await sink.stop();
    await expect(send('down')).rejects.toThrow();
    await sink.start();
    expect(sink.port).toBe(port);
    await send('二');
    await sink.waitFor((m) => m.subject === '二');
    await sink.stop();
    const again = await startSmtpSink({ dir });
    expect(again.messages.map((m) => m.subject).sort()).toEqual(['一', '二']);
    await again.stop();
  });

  it('lists mail over HTTP, newest first, escaped', async () => {
    await send('<script>x</script>');
    await send('第二封');
    await sink.waitFor((m) => m.subject === '第二封');
    const list = (await (await fetch(`${sink.httpUrl}/api/messages`)).json()) as { subject: string }[];
    expect(list[0]?.subject).toBe('第二封');
    const html = await (await fetch(`${sink.httpUrl}/`)).text();
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>x');
  });

  it('waitFor rejects with what it did receive', async () => {
    await expect(sink.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(/no matching mail/);
  });
});
