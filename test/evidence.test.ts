import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Principal } from '../domain/roles';
import { PNG } from './support/api';
import { bearer, officials, randomCreditCode } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let caseId: string;
let creditCode: string;
let enterprise: Principal;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  creditCode = randomCreditCode('410100');
  caseId = `case-410102-${creditCode}-EV${randomUUID().slice(0, 6)}`;
  enterprise = { sub: 'ent-ev', name: '企业', role: 'enterprise', creditCode };
  await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1, '证据测试企业', '410102', 'steel', '王', 'a@b.cn', '{}')`, [creditCode]);
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1, 'EV', $2, '410102', 'steel', 'technology', 'industry_it', '30号文', '2026-03-02', '[]', 'henan', 'henan-2021.1', 'exit_in_progress', '{}', now())`,
    [caseId, creditCode],
  );
});
afterAll(async () => {
  await stack?.close();
});

const upload = async (who: Principal, body: Buffer, type: string, phase = 'before') =>
  request(stack.app).post(`/api/v1/cases/${caseId}/evidence`).query({ phase, filename: 'photo.png' }).set('Authorization', await bearer(who)).set('Content-Type', type).send(body);

async function stored(): Promise<number> {
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM evidence WHERE case_id = $1`, [caseId]);
  return rows[0].n;
}

it('stores a photo with its SHA-256, once, and gives it back byte for byte', async () => {
  const first = await upload(enterprise, PNG, 'image/png');
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ sha256: createHash('sha256').update(PNG).digest('hex'), contentType: 'image/png', sizeBytes: PNG.length, phase: 'before', filename: 'photo.png' });
  const again = await upload(officials.zhengzhouIndustry, PNG, 'image/png', 'after');
  expect(again.status).toBe(200);
  expect(again.body.evidenceId).toBe(first.body.evidenceId);

  const download = await request(stack.app).get(first.headers.location!).set('Authorization', await bearer(officials.operator)).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(download.status).toBe(200);
  expect(download.headers['content-type']).toBe('image/png');
  expect(Buffer.compare(download.body as Buffer, PNG)).toBe(0);
  expect(download.headers.etag).toBe(`"${first.body.sha256}"`);

  const pdf = await upload(enterprise, PDF, 'application/pdf', 'document');
  expect(pdf.status).toBe(201);
  const list = await request(stack.app).get(`/api/v1/cases/${caseId}/evidence`).set('Authorization', await bearer(enterprise));
  expect(list.body.items.map((e: { contentType: string }) => e.contentType)).toEqual(['image/png', 'application/pdf']);
});

it('refuses files that are not what they claim, of other types, empty or too large, storing nothing', async () => {
  const before = await stored();
  const lying = await upload(enterprise, PNG, 'image/jpeg');
  expect(lying.status).toBe(422);
  expect(lying.body.errors[0]).toMatchObject({ rule: 'file_matches_type' });
  expect((await upload(enterprise, Buffer.from('hello'), 'text/plain')).status).toBe(415);
  expect((await upload(enterprise, Buffer.alloc(0), 'image/png')).status).toBe(422);
  const huge = await upload(enterprise, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'image/png');
  expect(huge.status).toBe(413);
  expect(huge.headers['content-type']).toContain('application/problem+json');
  const noPhase = await request(stack.app).post(`/api/v1/cases/${caseId}/evidence`).set('Authorization', await bearer(enterprise)).set('Content-Type', 'image/png').send(PNG);
  expect(noPhase.status).toBe(422);
  expect(noPhase.body.errors[0]).toMatchObject({ field: 'query.phase', rule: 'required' });
  expect(await stored()).toBe(before);
});

it('lets only the enterprise itself and officials within jurisdiction attach evidence', async () => {
  const other: Principal = { sub: 'ent-x', name: '别的企业', role: 'enterprise', creditCode: randomCreditCode() };
  expect((await upload(other, PDF, 'application/pdf')).status).toBe(403);
  expect((await upload(officials.fuzhouIndustry, PDF, 'application/pdf')).status).toBe(403);
  expect((await upload(officials.operator, PDF, 'application/pdf')).status).toBe(403);
});

/** A case of a fresh enterprise with the given case number, inserted as the other tests here do. */
async function insertCase(caseNumber: string): Promise<{ caseId: string; owner: Principal }> {
  const code = randomCreditCode('410100');
  const id = `case-410102-${code}-${caseNumber}`;
  await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1, '证据测试企业', '410102', 'steel', '王', 'a@b.cn', '{}')`, [code]);
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1, $2, $3, '410102', 'steel', 'technology', 'industry_it', '30号文', '2026-03-02', '[]', 'henan', 'henan-2021.1', 'exit_in_progress', '{}', now())`,
    [id, caseNumber, code],
  );
  return { caseId: id, owner: { sub: `ent-${code}`, name: '企业', role: 'enterprise', creditCode: code } };
}

const downloadBytes = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

it('stores the same photo for two cases whose ids end alike, each under its own id', async () => {
  // Same case number at two enterprises: the ids share their last 12 characters (and more).
  const caseNumber = `ZZGX-${randomUUID().slice(0, 8)}-SHARED`;
  const first = await insertCase(caseNumber);
  const second = await insertCase(caseNumber);
  expect(first.caseId.slice(-12)).toBe(second.caseId.slice(-12));
  const ids: string[] = [];
  for (const c of [first, second]) {
    const res = await request(stack.app).post(`/api/v1/cases/${c.caseId}/evidence`).query({ phase: 'after' }).set('Authorization', await bearer(c.owner)).set('Content-Type', 'image/png').send(PNG);
    expect(res.status).toBe(201);
    ids.push(res.body.evidenceId);
    const download = await request(stack.app).get(res.headers.location!).set('Authorization', await bearer(c.owner)).buffer(true).parse(downloadBytes);
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, PNG)).toBe(0);
  }
  expect(ids[0]).not.toBe(ids[1]);
  expect(ids.every((id) => /^ev-[0-9a-f]{32}$/.test(id))).toBe(true);
});

it('still serves evidence stored under the earlier id form', async () => {
  const c = await insertCase(`OLD-${randomUUID().slice(0, 8)}`);
  const sha256 = createHash('sha256').update(PDF).digest('hex');
  const oldId = `ev-${sha256.slice(0, 24)}-${c.caseId.slice(-12)}`;
  await stack.db.query(
    `INSERT INTO evidence (evidence_id, case_id, sha256, content_type, size_bytes, filename, phase, description, uploaded_by, content) VALUES ($1,$2,$3,'application/pdf',$4,NULL,'document',NULL,'{}',$5)`,
    [oldId, c.caseId, sha256, PDF.length, PDF],
  );
  const res = await request(stack.app).get(`/api/v1/cases/${c.caseId}/evidence/${oldId}`).set('Authorization', await bearer(c.owner)).buffer(true).parse(downloadBytes);
  expect(res.status).toBe(200);
  expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
});

it('hands a download over as an attachment the browser may not run or sniff, and no cache keeps', async () => {
  const c = await insertCase(`DL-${randomUUID().slice(0, 8)}`);
  const stored = await request(stack.app).post(`/api/v1/cases/${c.caseId}/evidence`).query({ phase: 'document', filename: '验收报告 (final).pdf' }).set('Authorization', await bearer(c.owner)).set('Content-Type', 'application/pdf').send(PDF);
  expect(stored.status).toBe(201);
  const res = await request(stack.app).get(stored.headers.location!).set('Authorization', await bearer(c.owner)).buffer(true).parse(downloadBytes);
  expect(res.status).toBe(200);
  expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('验收报告')}%20%28final%29.pdf`);
  expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['cache-control']).toBe('no-store');

  // Without a filename, the evidence id names the file.
  const c2 = await insertCase(`DL-${randomUUID().slice(0, 8)}`);
  const bare = await request(stack.app).post(`/api/v1/cases/${c2.caseId}/evidence`).query({ phase: 'before' }).set('Authorization', await bearer(c2.owner)).set('Content-Type', 'image/png').send(PNG);
  const unnamed = await request(stack.app).get(bare.headers.location!).set('Authorization', await bearer(c2.owner)).buffer(true).parse(downloadBytes);
  expect(unnamed.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${bare.body.evidenceId}.png`);
});
