import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../api/app';
import { REPORT_SECRET_HEADER } from '../api/routes/public-reports';
import { LOG_REDACTION } from '../config/logger';
import type { Principal } from '../domain/roles';
import { PNG, caseApi } from './support/api';
import { bearer, enterpriseBody, office, officials, openCaseBody } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
const api = caseApi(() => stack);

/**
 * 驻马店 (411700) and its county 西平县 (411721), which no other test uses. Reports filed here are
 * routed by the Henan policy: energy → the county's industry & IT bureau.
 */
const COUNTY = '411721';
const CITY = '411700';
const countyIndustry: Principal = { sub: 'xp-gx-01', name: '西平县工信局 孙执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: COUNTY };
const cityIndustry: Principal = { sub: 'zmd-gx-01', name: '驻马店市工信局 钱执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: CITY };
const countyEcology: Principal = { sub: 'xp-st-01', name: '西平县生态环境局 李执法', role: 'enforcement_official', department: 'ecology_environment', jurisdiction: COUNTY };
const otherCity: Principal = { sub: 'ly-gx-01', name: '洛阳市工信局 赵执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410300' };
const enterprise: Principal = { sub: 'ent-1', name: '企业', role: 'enterprise', creditCode: '91410100MA4000X7QR' };
const PUBLIC = '/api/v1/public/reports';

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** Each test files from an address of its own (the API trusts X-Forwarded-For from loopback), so rate limits do not mix. */
let addresses = 0;
const from = () => `198.51.100.${++addresses}`;

const submission = (overrides: Record<string, unknown> = {}) => ({
  region: COUNTY,
  address: '河南省驻马店市西平县某镇工业园',
  enterpriseName: '西平县某钢铁有限公司',
  industry: 'steel',
  dimension: 'energy',
  equipment: '2号高炉',
  capacity: 40,
  unit: '万吨/年',
  description: '该企业高炉能耗超过限额标准，仍在生产。',
  ...overrides,
});

async function file(body: object, address = from()) {
  const res = await request(stack.app).post(PUBLIC).set('X-Forwarded-For', address).send(body);
  expect(res.status).toBe(201);
  return res.body as { trackingNumber: string; secret: string; statusUrl: string; receivedOn: string };
}

const status = (trackingNumber: string, secret?: string) => {
  const r = request(stack.app).get(`${PUBLIC}/${trackingNumber}`).set('X-Forwarded-For', from());
  return secret === undefined ? r : r.set(REPORT_SECRET_HEADER, secret);
};

/** Wait until the report's workflow has put it on the inbox. */
const routed = (reportId: string) =>
  eventually(async () => ((await stack.db.query(`SELECT 1 FROM public_reports WHERE report_id = $1 AND status = 'verifying'`, [reportId])).rowCount ? true : undefined), 20_000, `${reportId} routed`);

/** Reports stored for this file's county (other test files file elsewhere, possibly at the same time). */
const count = async () => (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM public_reports WHERE region = $1`, [COUNTY])).rows[0]!.n;

describe('the public reporting channel (举报, no token)', () => {
  it('answers a tracking number and a secret; the status and reply only with that secret, and the same 404 without it, with a wrong one, or for an unknown number', async () => {
    const filed = await file(submission({ reporter: { name: '王某', phone: '13700000000' } }));
    expect(filed.trackingNumber).toMatch(/^JB-411721-\d{8}-\d{4}$/);
    expect(filed.secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Object.keys(filed).sort()).toEqual(['receivedOn', 'secret', 'statusUrl', 'trackingNumber']);
    // Only the secret's hash is stored.
    const stored = (await stack.db.query(`SELECT secret_hash FROM public_reports WHERE report_id = $1`, [filed.trackingNumber])).rows[0];
    expect(stored.secret_hash).not.toContain(filed.secret);
    await routed(filed.trackingNumber);

    const ok = await status(filed.trackingNumber, filed.secret);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ trackingNumber: filed.trackingNumber, status: 'verifying', receivedOn: filed.receivedOn, verificationDueDate: expect.any(String), outcome: null, reply: null, repliedOn: null });

    const unknown = await status(filed.trackingNumber.replace(/\d{4}$/, '9999'), filed.secret);
    const answers = [await status(filed.trackingNumber), await status(filed.trackingNumber, 'x'.repeat(22)), await status(filed.trackingNumber, `${filed.secret}x`), unknown];
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect({ code: a.body.code, title: a.body.title, titleZh: a.body.titleZh }).toEqual({ code: unknown.body.code, title: unknown.body.title, titleZh: unknown.body.titleZh });
      expect(JSON.stringify(a.body)).not.toMatch(/verifying|王某|1370/);
    }
  });

  it('keeps photos with their SHA-256 (type, signature and size checked, the same file once) only for the holder of the secret', async () => {
    const filed = await file(submission());
    const address = from();
    const upload = (body: Buffer, type = 'image/png', secret = filed.secret) =>
      request(stack.app).post(`${PUBLIC}/${filed.trackingNumber}/evidence`).set('X-Forwarded-For', address).set(REPORT_SECRET_HEADER, secret).set('Content-Type', type).send(body);
    const first = await upload(PNG);
    expect(first.status).toBe(201);
    expect(first.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await upload(PNG)).status).toBe(200);
    expect((await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png')).status).toBe(422);
    expect((await upload(PNG, 'text/html')).status).toBe(415);
    expect((await upload(PNG, 'image/png', 'A'.repeat(22))).status).toBe(404);
    expect((await upload(Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]))).status).toBe(413);
    // The verifying department sees it.
    const view = await api.get(countyIndustry, `/api/v1/reports/${filed.trackingNumber}`);
    expect(view.body.evidence).toHaveLength(1);
    const got = await api.get(countyIndustry, `/api/v1/reports/${filed.trackingNumber}/evidence/${first.body.evidenceId}`);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.body as Buffer, PNG)).toBe(0);
  });

  it('is rate limited per client address (429 with the RateLimit header), another address unaffected', async () => {
    const limited = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, PUBLIC_REPORT_RATE_LIMIT_PER_HOUR: 2 } });
    const address = from();
    const post = (a: string) => request(limited).post(PUBLIC).set('X-Forwarded-For', a).send(submission());
    expect((await post(address)).status).toBe(201);
    expect((await post(address)).status).toBe(201);
    const refused = await post(address);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('too_many_requests');
    expect(refused.headers.ratelimit).toBeDefined();
    expect((await post(from())).status).toBe(201);
  });

  it('refuses script and markup (422 naming the field and the rule) and stores nothing', async () => {
    const before = await count();
    const res = await request(stack.app).post(PUBLIC).set('X-Forwarded-For', from()).send(submission({ description: '<script>alert(document.cookie)</script>' }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'description', rule: 'plain_text' })]);
    const onclick = await request(stack.app).post(PUBLIC).set('X-Forwarded-For', from()).send(submission({ enterpriseName: '<img src=x onerror=alert(1)>' }));
    expect(onclick.status).toBe(422);
    expect(await count()).toBe(before);
  });

  it('fuzzed bad bodies are answered 4xx and store nothing', async () => {
    const before = await count();
    const bad = fc.oneof(
      fc.anything(),
      fc.record({ region: fc.string(), address: fc.string(), enterpriseName: fc.string(), description: fc.string() }, { requiredKeys: [] }),
      fc.record({
        region: fc.constantFrom(COUNTY, '999999', '41172', ''),
        address: fc.oneof(fc.string(), fc.constant('<b>x</b>'), fc.constant('a\u0000b')),
        enterpriseName: fc.oneof(fc.string({ maxLength: 3 }), fc.string({ minLength: 201, maxLength: 300 })),
        description: fc.oneof(fc.constant(''), fc.constant('javascript:alert(1)'), fc.string({ minLength: 5001, maxLength: 5100 })),
        creditCode: fc.string({ minLength: 18, maxLength: 18 }),
        capacity: fc.oneof(fc.integer({ max: 0 }), fc.constant(Number.MAX_VALUE)),
        reporter: fc.oneof(fc.constant({}), fc.record({ name: fc.string({ minLength: 1 }) }), fc.record({ email: fc.string() })),
      }),
    );
    const address = from();
    await fc.assert(
      fc.asyncProperty(bad, async (body) => {
        const res = await request(stack.app).post(PUBLIC).set('X-Forwarded-For', address).set('Content-Type', 'application/json').send(JSON.stringify(body ?? null));
        // The limiter may answer first; otherwise the body is refused with a problem naming the field.
        return res.status >= 400 && res.status < 500 && res.status !== 404;
      }),
      { numRuns: 18 },
    );
    expect(await count()).toBe(before);
  });

  it('never writes the reporter or the secret to the API log', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const logged = createApp({ ...stack.appDeps, log: pino({ level: 'info', redact: LOG_REDACTION }, sink) });
    const res = await request(logged).post(PUBLIC).set('X-Forwarded-For', from()).send(submission({ reporter: { name: '赵某某', phone: '13612345678', email: 'zhao@example.com' } }));
    expect(res.status).toBe(201);
    await request(logged).get(`${PUBLIC}/${res.body.trackingNumber}`).set(REPORT_SECRET_HEADER, res.body.secret);
    const log = lines.join('');
    expect(log).toContain(res.body.trackingNumber);
    for (const secret of ['赵某某', '13612345678', 'zhao@example.com', res.body.secret]) expect(log).not.toContain(secret);
  });
});

describe('officials verify reports through the API (驻马店 411700, 西平县 411721)', () => {
  it('shows the verification on the department’s inbox; the reporter only to that department (audited), the report and its history to the office above', async () => {
    const filed = await file(submission({ reporter: { name: '刘某', email: 'liu@example.com' } }));
    await routed(filed.trackingNumber);
    const inbox = await eventually(async () => {
      const res = await api.get(countyIndustry, '/api/v1/decisions', { kind: 'report_verification' });
      return (res.body.items as Record<string, unknown>[]).find((d) => d.reportId === filed.trackingNumber);
    });
    expect(inbox).toMatchObject({ kind: 'report_verification', caseId: null, assigneeDepartment: 'industry_it', jurisdiction: COUNTY, regionCode: COUNTY, enterpriseName: '西平县某钢铁有限公司' });
    // Not on the ecology bureau's inbox.
    expect(((await api.get(countyEcology, '/api/v1/decisions', { kind: 'report_verification' })).body.items as { reportId: string }[]).some((d) => d.reportId === filed.trackingNumber)).toBe(false);

    const mine = await api.get(countyIndustry, `/api/v1/reports/${filed.trackingNumber}`);
    expect(mine.status).toBe(200);
    expect(mine.body.reporter).toEqual({ name: '刘某', phone: null, email: 'liu@example.com' });
    // Sealed at rest: the row holds neither the name nor the address.
    const sealed = (await stack.db.query(`SELECT sealed FROM public_report_reporters WHERE report_id = $1`, [filed.trackingNumber])).rows[0].sealed as Buffer;
    expect(sealed.includes(Buffer.from('刘某'))).toBe(false);
    expect(sealed.includes(Buffer.from('liu@example.com'))).toBe(false);
    expect(mine.body.realName).toBe(true);
    const audit = await stack.db.query(`SELECT actor FROM audit_log WHERE target = $1 AND action = 'report.readReporter'`, [filed.trackingNumber]);
    expect(audit.rows.map((r) => r.actor.sub)).toContain(countyIndustry.sub);

    for (const reader of [office(CITY), countyEcology, officials.operator]) {
      const res = await api.get(reader, `/api/v1/reports/${filed.trackingNumber}`);
      expect([reader.sub, res.status]).toEqual([reader.sub, 200]);
      expect(res.body.reporter).toBeUndefined();
      expect(res.body.history.map((h: { kind: string }) => h.kind)).toContain('routed');
    }
    for (const outsider of [otherCity, enterprise]) expect((await api.get(outsider, `/api/v1/reports/${filed.trackingNumber}`)).status).toBe(403);
    // Lists never carry the reporter.
    const list = await api.get(office(CITY), '/api/v1/reports', { region: COUNTY });
    expect(JSON.stringify(list.body)).not.toMatch(/刘某|liu@example/);
  });

  it('authorises every action before the body: the verifying department (county or the city above) acts; others are 403', async () => {
    const filed = await file(submission());
    await routed(filed.trackingNumber);
    const path = (p: string) => `/api/v1/reports/${filed.trackingNumber}/${p}`;
    for (const who of [countyEcology, office(COUNTY), office(CITY), otherCity, enterprise, officials.operator]) {
      for (const p of ['verifications', 'conclusions', 'cases', 'transfers']) {
        const res = await api.post(who, path(p), { not: 'even a body' });
        expect([who.sub, p, res.status]).toEqual([who.sub, p, 403]);
      }
    }
    expect((await api.post(countyIndustry, path('verifications'), { verifiedOn: 'soon' })).status).toBe(422);
    const verified = await api.post(cityIndustry, path('verifications'), { verifiedOn: filed.receivedOn, method: 'on_site', findings: '现场核查：高炉在产。' });
    expect(verified.status).toBe(200);
    const audit = await stack.db.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [filed.trackingNumber]);
    expect(audit.rows.map((r) => r.action)).toEqual(['report.file', 'report.recordVerification']);
  });

  it('a transfer (转办) hands the report, its inbox entry and its reporter to the department that enforces the right standard', async () => {
    const filed = await file(submission({ reporter: { name: '孙某', phone: '13600000000' } }));
    await routed(filed.trackingNumber);
    const path = `/api/v1/reports/${filed.trackingNumber}`;
    expect((await api.post(countyIndustry, `${path}/transfers`, { dimension: 'energy', reason: '本部门职责' })).body.code).toBe('same_department');
    const moved = await api.post(countyIndustry, `${path}/transfers`, { dimension: 'environment', reason: '反映的是超标排放问题。' });
    expect(moved.status).toBe(200);
    await eventually(async () => ((await api.get(countyEcology, path)).body.assignee?.department === 'ecology_environment' ? true : undefined));
    expect((await api.get(countyEcology, path)).body.reporter).toEqual({ name: '孙某', phone: '13600000000', email: null });
    expect((await api.get(countyIndustry, path)).body.reporter).toBeUndefined();
    const ecologyInbox = await api.get(countyEcology, '/api/v1/decisions', { kind: 'report_verification' });
    expect((ecologyInbox.body.items as { reportId: string }[]).some((d) => d.reportId === filed.trackingNumber)).toBe(true);
    expect((await api.post(countyIndustry, `${path}/verifications`, { verifiedOn: filed.receivedOn, method: 'documents', findings: '已转办' })).status).toBe(403);
  });

  it('a real-name report cannot be closed as not pursued (422); confirmed through POST …/cases it becomes a case through the same path as POST /cases, and the reporter reads the reply', async () => {
    const filed = await file(submission({ reporter: { name: '陈某', phone: '13500000000' } }));
    await routed(filed.trackingNumber);
    const path = (p: string) => `/api/v1/reports/${filed.trackingNumber}/${p}`;
    const refused = await api.post(countyIndustry, path('conclusions'), { outcome: 'not_pursued', reasons: '线索不清' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('real_name_must_be_verified');
    const unverified = await api.post(countyIndustry, path('conclusions'), { outcome: 'unfounded', reasons: '不属实' });
    expect(unverified.body.code).toBe('verification_required');
    // Confirming before the verification opens no case.
    const early = enterpriseBody({ regionCode: COUNTY });
    expect((await api.post(countyIndustry, '/api/v1/enterprises', early)).status).toBe(201);
    const tooEarly = await api.post(countyIndustry, path('cases'), { case: openCaseBody(early.creditCode) });
    expect([tooEarly.status, tooEarly.body.code]).toEqual([422, 'verification_required']);
    expect((await stack.db.query(`SELECT 1 FROM cases WHERE credit_code = $1`, [early.creditCode])).rowCount).toBe(0);
    expect((await api.post(countyIndustry, path('verifications'), { verifiedOn: filed.receivedOn, method: 'on_site', findings: '现场核查：2号高炉在产，能耗超标。' })).status).toBe(200);

    const e = enterpriseBody({ regionCode: COUNTY, name: '西平县某钢铁有限公司' });
    expect((await api.post(countyIndustry, '/api/v1/enterprises', e)).status).toBe(201);
    const draft = (await api.get(countyIndustry, `/api/v1/reports/${filed.trackingNumber}`)).body.caseDraft;
    expect(draft).toMatchObject({ dimension: 'energy', department: 'industry_it' });
    // The case body is checked as POST /cases checks it.
    const bad = await api.post(countyIndustry, path('cases'), { case: { ...openCaseBody(e.creditCode), facilityIds: ['NOPE'] } });
    expect(bad.status).toBe(422);
    const confirmed = await api.post(countyIndustry, path('cases'), { case: openCaseBody(e.creditCode, { legalBasis: draft.legalBasis, facilityIds: ['BF-2', 'CV-1'] }), replyNote: '感谢您的监督。' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'closed', outcome: 'confirmed', caseId: expect.stringMatching(/^case-411721-/) });
    expect((await api.get(countyIndustry, `/api/v1/cases/${confirmed.body.caseId}`)).status).toBe(200);
    const audit = await stack.db.query(`SELECT action FROM audit_log WHERE target IN ($1, $2) ORDER BY id`, [filed.trackingNumber, confirmed.body.caseId]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['report.file', 'report.recordVerification', 'case.open', 'report.conclude.confirmed']));

    const answered = await eventually(async () => {
      const res = await status(filed.trackingNumber, filed.secret);
      return res.body.reply ? res.body : undefined;
    });
    expect(answered).toMatchObject({ status: 'closed', outcome: 'confirmed' });
    expect(answered.reply).toContain('感谢您的监督');
    // Concluded: no more actions.
    expect((await api.post(countyIndustry, path('conclusions'), { outcome: 'unfounded', reasons: '重复' })).status).toBe(409);
  });

  it('an anonymous report is closed as not pursued or unfounded with reasons; already known links the case handling it', async () => {
    const a = await file(submission());
    const b = await file(submission());
    await routed(a.trackingNumber);
    await routed(b.trackingNumber);
    const notPursued = await api.post(countyIndustry, `/api/v1/reports/${a.trackingNumber}/conclusions`, { outcome: 'not_pursued', reasons: '举报地址不详，无法核查。' });
    expect(notPursued.body).toMatchObject({ status: 'closed', outcome: 'not_pursued' });
    expect((await api.post(countyIndustry, `/api/v1/reports/${b.trackingNumber}/conclusions`, { outcome: 'already_known', caseId: 'case-411721-91410100MA4000X7QR-NONE-1' })).status).toBe(422);
    const e = enterpriseBody({ regionCode: COUNTY });
    expect((await api.post(countyIndustry, '/api/v1/enterprises', e)).status).toBe(201);
    const opened = await api.post(countyIndustry, '/api/v1/cases', openCaseBody(e.creditCode));
    expect(opened.status).toBe(201);
    const known = await api.post(countyIndustry, `/api/v1/reports/${b.trackingNumber}/conclusions`, { outcome: 'already_known', caseId: opened.body.caseId });
    expect(known.body).toMatchObject({ outcome: 'already_known', caseId: opened.body.caseId });
  });

  it('fuzzed bad bodies of the department’s commands are 4xx, and the report and its history stay as they were', async () => {
    const filed = await file(submission({ reporter: { name: '周某', phone: '13300000000' } }));
    await routed(filed.trackingNumber);
    const seen = async () => (await stack.db.query(`SELECT status, snapshot_seq, (SELECT count(*)::int FROM public_report_events e WHERE e.report_id = r.report_id) AS events FROM public_reports r WHERE report_id = $1`, [filed.trackingNumber])).rows[0];
    const before = await seen();
    const bad = fc.oneof(
      fc.anything(),
      fc.record({ outcome: fc.constantFrom('unfounded', 'not_pursued', 'already_known', 'confirmed', 'maybe'), reasons: fc.oneof(fc.constant(''), fc.constant('<b>x</b>'), fc.string({ minLength: 5001, maxLength: 5010 })), caseId: fc.string() }, { requiredKeys: ['outcome'] }),
      fc.record({ verifiedOn: fc.oneof(fc.constant('2999-01-01'), fc.constant('2000-01-01'), fc.string()), method: fc.string(), findings: fc.string({ maxLength: 3 }) }),
      fc.record({ dimension: fc.string(), reason: fc.constant('') }),
      fc.record({ case: fc.anything(), replyNote: fc.string() }),
    );
    await fc.assert(
      fc.asyncProperty(bad, fc.constantFrom('verifications', 'conclusions', 'transfers', 'cases'), async (body, p) => {
        const res = await request(stack.app).post(`/api/v1/reports/${filed.trackingNumber}/${p}`).set('Authorization', await bearer(countyIndustry)).set('Content-Type', 'application/json').send(JSON.stringify(body ?? null));
        return res.status >= 400 && res.status < 500;
      }),
      { numRuns: 30 },
    );
    expect(await seen()).toEqual(before);
  });

  it('a report from another channel (12345) is recorded by an official with the channel named, audited, and answered with its tracking number and secret', async () => {
    const body = { ...submission(), channel: 'hotline_12345', externalRef: `12345-${randomUUID().slice(0, 8)}`, receivedOn: (await file(submission())).receivedOn };
    for (const who of [enterprise, officials.operator, otherCity]) expect((await api.post(who, '/api/v1/reports', body)).status).toBe(403);
    expect((await api.post(office(CITY), '/api/v1/reports', { ...body, channel: 'online' })).status).toBe(422);
    const recorded = await api.post(office(CITY), '/api/v1/reports', body);
    expect(recorded.status).toBe(201);
    const row = (await stack.db.query(`SELECT channel, external_ref, recorded_by FROM public_reports WHERE report_id = $1`, [recorded.body.trackingNumber])).rows[0];
    expect(row).toMatchObject({ channel: 'hotline_12345', external_ref: body.externalRef });
    expect(row.recorded_by.sub).toBe(office(CITY).sub);
    const audit = await stack.db.query(`SELECT action, detail FROM audit_log WHERE target = $1`, [recorded.body.trackingNumber]);
    expect(audit.rows[0]).toMatchObject({ action: 'report.record', detail: expect.objectContaining({ channel: 'hotline_12345' }) });
    expect((await status(recorded.body.trackingNumber, recorded.body.secret)).status).toBe(200);
  });
});
