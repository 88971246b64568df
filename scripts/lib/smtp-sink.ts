/** A local SMTP sink: accepts every mail, keeps it in memory (and optionally on disk), shows it over HTTP. */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  id: string;
  messageId?: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  headers: Record<string, string>;
  /** Attached files, decoded. */
  attachments: { filename?: string; contentType: string; content: Buffer }[];
  receivedAt: string;
  raw: string;
}

export interface SmtpSink {
  port: number;
  smtpUrl: string;
  httpUrl?: string;
  messages: ReceivedMail[];
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  clear(): void;
  stop(): Promise<void>;
  /** Restart on the same port(s) after stop(), keeping messages. */
  start(): Promise<void>;
}

export interface SmtpSinkOptions {
  port?: number;
  host?: string;
  /** Serve the mailbox over HTTP on this port (0 = any free port). */
  httpPort?: number;
  /** Write each mail as <dir>/<timestamp>-<id>.eml, and load existing ones at start. */
  dir?: string;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  if (!a) return [];
  return (Array.isArray(a) ? a : [a]).flatMap((o) => o.value.map((v) => v.address ?? '').filter(Boolean));
}

function headerValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(headerValue).join(', ');
  if (v && typeof v === 'object') {
    const o = v as { text?: unknown; value?: unknown };
    if (typeof o.text === 'string') return o.text;
    if (typeof o.value === 'string') return o.value;
    return JSON.stringify(v);
  }
  return String(v);
}

async function toMail(raw: Buffer, id: string, receivedAt: string, envelope?: { from?: string; to?: string[] }): Promise<ReceivedMail> {
  const p: ParsedMail = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const [key, value] of p.headers) {
    const s = headerValue(value);
    headers[key] = headers[key] === undefined ? s : `${headers[key]}\n${s}`;
  }
  const headerTo = [...addresses(p.to), ...addresses(p.cc), ...addresses(p.bcc)];
  return {
    id,
    ...(p.messageId ? { messageId: p.messageId } : {}),
    from: p.from?.text || envelope?.from || '',
    to: envelope?.to?.length ? envelope.to : headerTo,
    subject: p.subject ?? '',
    text: p.text ?? '',
    ...(typeof p.html === 'string' ? { html: p.html } : {}),
    headers,
    attachments: p.attachments.map((a) => ({ ...(a.filename ? { filename: a.filename } : {}), contentType: a.contentType, content: a.content })),
    receivedAt,
    raw: raw.toString('utf8'),
  };
}

const fileStamp = (iso: string) => iso.replace(/[:.]/g, '-');
/** 2026-01-02T03-04-05-678Z → 2026-01-02T03:04:05.678Z */
const stampToIso = (s: string) => s.replace(/^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, '$1:$2:$3.$4Z');

async function loadDir(dir: string): Promise<ReceivedMail[]> {
  const out: ReceivedMail[] = [];
  for (const name of (await fs.readdir(dir)).filter((n) => n.endsWith('.eml')).sort()) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)-(.+)\.eml$/.exec(name);
    const file = path.join(dir, name);
    try {
      const raw = await fs.readFile(file);
      const receivedAt = m ? stampToIso(m[1]!) : (await fs.stat(file)).mtime.toISOString();
      out.push(await toMail(raw, m ? m[2]! : name.replace(/\.eml$/, ''), receivedAt));
    } catch {
      // unreadable file: skip it
    }
  }
  return out;
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = opts.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const messages: ReceivedMail[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  if (opts.dir) {
    await fs.mkdir(opts.dir, { recursive: true });
    messages.push(...(await loadDir(opts.dir)));
  }

  const receive = async (raw: Buffer, envelope: { from?: string; to: string[] }) => {
    const receivedAt = new Date().toISOString();
    const id = randomUUID().slice(0, 8);
    const mail = await toMail(raw, id, receivedAt, envelope);
    if (opts.dir) await fs.writeFile(path.join(opts.dir, `${fileStamp(receivedAt)}-${id}.eml`), raw);
    messages.push(mail);
    events.emit('mail', mail);
  };

  let smtp: SMTPServer | undefined;
  let web: http.Server | undefined;
  let port = opts.port ?? 0;
  let httpPort = opts.httpPort;

  const start = async () => {
    if (smtp) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // Clients configured with credentials (smtp://user:pass@…) are let in too, whatever they send.
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? 'anonymous' });
      },
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 500,
      size: 50 * 1024 * 1024,
      banner: 'exitflow SMTP sink',
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          receive(Buffer.concat(chunks), envelope).then(
            () => callback(),
            (err: Error) => callback(err),
          );
        });
      },
    });
    server.on('error', () => undefined); // per-connection errors must not crash the process
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    port = (server.server.address() as AddressInfo).port;
    smtp = server;
    if (httpPort !== undefined) {
      const w = http.createServer((req, res) => serveMailbox(messages, req, res));
      await new Promise<void>((resolve, reject) => {
        w.once('error', reject);
        w.listen(httpPort, host, () => {
          w.off('error', reject);
          resolve();
        });
      });
      httpPort = (w.address() as AddressInfo).port;
      web = w;
    }
  };

  const stop = async () => {
    const s = smtp;
    const w = web;
    smtp = undefined;
    web = undefined;
    await Promise.all([
      s && new Promise<void>((resolve) => s.close(() => resolve())),
      w &&
        new Promise<void>((resolve) => {
          w.close(() => resolve());
          w.closeAllConnections();
        }),
    ]);
  };

  await start();

  const sink: SmtpSink = {
    get port() {
      return port;
    },
    get smtpUrl() {
      return `smtp://${urlHost}:${port}`;
    },
    get httpUrl() {
      return httpPort !== undefined ? `http://${urlHost === '127.0.0.1' ? 'localhost' : urlHost}:${httpPort}` : undefined;
    },
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const onMail = (m: ReceivedMail) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          events.off('mail', onMail);
          resolve(m);
        };
        const timer = setTimeout(() => {
          events.off('mail', onMail);
          const seen = messages.map((m) => `  ${m.to.join(',')}: ${m.subject}`).join('\n') || '  (none)';
          reject(new Error(`no matching mail within ${timeoutMs} ms; received:\n${seen}`));
        }, timeoutMs);
        events.on('mail', onMail);
      });
    },
    clear() {
      messages.length = 0;
    },
    stop,
    start,
  };
  return sink;
}

// ---- the HTTP mailbox -------------------------------------------------------------------------

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>${esc(title)}</title><style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}pre{white-space:pre-wrap;background:#f8f8f8;padding:1rem}iframe{width:100%;height:30rem;border:1px solid #ccc}
a{color:#0645ad;text-decoration:none}.muted{color:#777}</style></head><body>${body}</body></html>`;

// reverse() first: the sort is stable, so mails of the same millisecond stay newest first.
const byNewest = (msgs: ReceivedMail[]) => [...msgs].reverse().sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
const summary = ({ raw: _raw, ...m }: ReceivedMail) => m;

function serveMailbox(messages: ReceivedMail[], req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
  if (url.pathname === '/api/messages') return send(200, 'application/json', JSON.stringify(byNewest(messages).map(summary)));
  const api = /^\/api\/messages\/([^/]+)$/.exec(url.pathname);
  if (api) {
    const m = messages.find((x) => x.id === decodeURIComponent(api[1]!));
    return m ? send(200, 'application/json', JSON.stringify(m)) : send(404, 'application/json', '{"error":"not found"}');
  }
  const raw = /^\/messages\/([^/]+)\.eml$/.exec(url.pathname);
  if (raw) {
    const m = messages.find((x) => x.id === decodeURIComponent(raw[1]!));
    return m ? send(200, 'message/rfc822', m.raw) : send(404, 'text/plain', 'not found');
  }
  const one = /^\/messages\/([^/]+)$/.exec(url.pathname);
  if (one) {
    const m = messages.find((x) => x.id === decodeURIComponent(one[1]!));
    if (!m) return send(404, 'text/html', page('not found', '<p>No such mail. <a href="/">Back</a></p>'));
    const headerRows = Object.entries(m.headers)
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
      .join('');
    const html = m.html
      ? `<h2>HTML</h2><iframe sandbox="" referrerpolicy="no-referrer" srcdoc="${esc(m.html)}"></iframe>`
      : '';
    return send(
      200,
      'text/html',
      page(
        m.subject,
        `<p><a href="/">← 收件箱 Mailbox</a> · <a href="/messages/${esc(m.id)}.eml">raw .eml</a></p>
<h1>${esc(m.subject || '(no subject)')}</h1>
<p class="muted">${esc(m.receivedAt)} · from ${esc(m.from)} · to ${esc(m.to.join(', '))}</p>
<h2>Text</h2><pre>${esc(m.text)}</pre>${html}
<details><summary>Headers</summary><table>${headerRows}</table></details>`,
      ),
    );
  }
  if (url.pathname === '/') {
    const rows = byNewest(messages)
      .map(
        (m) =>
          `<tr><td>${esc(m.receivedAt.replace('T', ' ').slice(0, 19))}</td><td>${esc(m.to.join(', '))}</td>` +
          `<td><a href="/messages/${encodeURIComponent(m.id)}">${esc(m.subject || '(no subject)')}</a></td></tr>`,
      )
      .join('');
    return send(
      200,
      'text/html',
      page(
        'exitflow mailbox',
        `<h1>exitflow 邮件 Mailbox</h1><p class="muted">${messages.length} mail(s), newest first · <a href="/api/messages">JSON</a></p>
<table><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr>${rows || '<tr><td colspan="3" class="muted">No mail yet.</td></tr>'}</table>`,
      ),
    );
  }
  return send(404, 'text/plain', 'not found');
}
