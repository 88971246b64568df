import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPlatformActivities, PLATFORMS } from '../../activities/platforms';
import { createPool, type Db } from '../../db/pool';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../scripts/lib/recording-endpoint';
import { randomCreditCode } from '../support/fixtures';

/** An enterprise and a case of our own (the database is shared with other test files). */
async function recordCase(db: Db): Promise<string> {
  const creditCode = randomCreditCode('410100');
  const caseId = `410102/${creditCode}/ZZGX-${randomUUID().slice(0, 8)}`;
  await db.query(
    `INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by)
     VALUES ($1, '郑州市中原钢铁有限公司', '410102', 'steel', '王经理', 'compliance@zhongyuan-steel.example.cn', '{}')`,
    [creditCode],
  );
  await db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis,
                        notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1, $2, $3, '410102', 'steel', 'energy', 'industry_it', '工信部联产业〔2017〕30号', '2026-03-02',
             '[]', 'henan', '1', 'closure_ordered', '{}', now())`,
    [caseId, `ZZGX-2026-${randomUUID().slice(0, 4)}`, creditCode],
  );
  return caseId;
}

const pushesOf = async (db: Db, caseId: string) =>
  (await db.query(`SELECT platform, status, acknowledgement, attempts FROM platform_pushes WHERE case_id = $1 ORDER BY platform`, [caseId])).rows;

describe('pushes to external platforms', () => {
  let db: Db;
  let endpoint: RecordingEndpoint;
  beforeAll(() => {
    db = createPool(process.env.TEST_DATABASE_URL as string, 3);
  });
  afterAll(() => db.end());
  beforeEach(async () => {
    endpoint = await startRecordingEndpoint();
  });
  afterEach(() => endpoint.stop());

  it('a joint-punishment push reaches each platform once even when retried', async () => {
    const caseId = await recordCase(db);
    const { pushToPlatform } = createPlatformActivities({ db, baseUrl: endpoint.url });
    const push = (platform: (typeof PLATFORMS)[number]) =>
      pushToPlatform({ caseId, platform, kind: 'joint_punishment', payload: { enterprise: '郑州市中原钢铁有限公司' }, idempotencyKey: `${caseId}/joint-punishment/${platform}` });

    const first = await Promise.all(PLATFORMS.map(push));
    const again = await Promise.all(PLATFORMS.map(push));

    expect(first.every((r) => !r.alreadyAcknowledged)).toBe(true);
    expect(again).toEqual(first.map((r) => ({ acknowledgement: r.acknowledgement, alreadyAcknowledged: true })));
    const mine = endpoint.calls.filter((c) => (c.body as { caseId?: string }).caseId === caseId);
    expect(mine.map((c) => c.platform).sort()).toEqual([...PLATFORMS].sort());
    expect(mine.every((c) => c.headers['idempotency-key'] === `${caseId}/joint-punishment/${c.platform}`)).toBe(true);
    const rows = await pushesOf(db, caseId);
    expect(rows).toHaveLength(PLATFORMS.length);
    expect(rows.every((r) => r.status === 'acknowledged' && r.acknowledgement === `ACK-${r.platform}-1`)).toBe(true);
  });

  it('a platform that answers 503 is retried until it acknowledges', async () => {
    const caseId = await recordCase(db);
    const { pushToPlatform } = createPlatformActivities({ db, baseUrl: endpoint.url });
    const req = { caseId, platform: 'power_supply' as const, kind: 'joint_punishment', payload: { action: '停止供电' }, idempotencyKey: `${caseId}/joint-punishment/power_supply` };
    endpoint.failNext(2);

    // What Temporal does with a failed attempt: run the same activity again.
    await expect(pushToPlatform(req)).rejects.toThrow(/503/);
    await expect(pushToPlatform(req)).rejects.toThrow(/503/);
    expect((await pushesOf(db, caseId))[0]).toMatchObject({ status: 'pushing', acknowledgement: null });
    const result = await pushToPlatform(req);

    expect(result).toEqual({ acknowledgement: 'ACK-power_supply-1', alreadyAcknowledged: false });
    expect(endpoint.calls.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(await pushesOf(db, caseId)).toEqual([{ platform: 'power_supply', status: 'acknowledged', acknowledgement: 'ACK-power_supply-1', attempts: 3 }]);
  });

  it('a push whose acknowledgement was lost in a crash is resent with the same key and keeps the first acknowledgement', async () => {
    const caseId = await recordCase(db);
    const crashAfterCall: typeof fetch = async (input, init) => {
      await fetch(input, init);
      throw new Error('worker crashed before storing the acknowledgement');
    };
    const req = { caseId, platform: 'credit_platform' as const, kind: 'red_list', payload: { list: 'red' }, idempotencyKey: `${caseId}/red-list/credit_platform` };
    await expect(createPlatformActivities({ db, baseUrl: endpoint.url, fetchImpl: crashAfterCall }).pushToPlatform(req)).rejects.toThrow(/crashed/);

    // The retry carries a different payload object; what was claimed first is what is sent.
    const result = await createPlatformActivities({ db, baseUrl: endpoint.url }).pushToPlatform({ ...req, payload: { list: 'changed' } });

    expect(result).toEqual({ acknowledgement: 'ACK-credit_platform-1', alreadyAcknowledged: false });
    expect(endpoint.calls).toHaveLength(2);
    expect(endpoint.calls.map((c) => c.acknowledgement)).toEqual(['ACK-credit_platform-1', 'ACK-credit_platform-1']);
    expect(endpoint.calls.map((c) => (c.body as { payload: unknown }).payload)).toEqual([{ list: 'red' }, { list: 'red' }]);
  });

  it('a platform that is down leaves the push unacknowledged, to be retried', async () => {
    const caseId = await recordCase(db);
    await endpoint.stop();
    const { pushToPlatform } = createPlatformActivities({ db, baseUrl: endpoint.url });
    const req = { caseId, platform: 'banks' as const, kind: 'joint_punishment', payload: {}, idempotencyKey: `${caseId}/joint-punishment/banks` };
    await expect(pushToPlatform(req)).rejects.toThrow();
    expect((await pushesOf(db, caseId))[0]).toMatchObject({ status: 'pushing', attempts: 1 });
    await endpoint.start();
    await expect(pushToPlatform(req)).resolves.toEqual({ acknowledgement: 'ACK-banks-1', alreadyAcknowledged: false });
  });
});

describe('the recording endpoint (stand-in for the platforms)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'exitflow-recording-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const post = (url: string, key: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });

  it('answers a repeated key with its first acknowledgement, lists the calls, and keeps them across a restart on the same folder', async () => {
    const endpoint = await startRecordingEndpoint({ dir });
    const a = (await (await post(`${endpoint.url}/banks`, 'k1', { n: 1 })).json()) as { acknowledgement: string };
    const b = (await (await post(`${endpoint.url}/banks`, 'k2', { n: 2 })).json()) as { acknowledgement: string };
    const a2 = (await (await post(`${endpoint.url}/banks`, 'k1', { n: 1 })).json()) as { acknowledgement: string };
    expect([a.acknowledgement, b.acknowledgement, a2.acknowledgement]).toEqual(['ACK-banks-1', 'ACK-banks-2', 'ACK-banks-1']);
    const listed = (await (await fetch(`${endpoint.url}/calls`)).json()) as { platform: string; body: unknown }[];
    expect(listed.map((c) => c.body)).toEqual([{ n: 1 }, { n: 2 }, { n: 1 }]);
    await endpoint.stop();

    const again = await startRecordingEndpoint({ dir });
    expect(again.calls).toHaveLength(3);
    const c = (await (await post(`${again.url}/banks`, 'k3', {})).json()) as { acknowledgement: string };
    const a3 = (await (await post(`${again.url}/banks`, 'k1', {})).json()) as { acknowledgement: string };
    expect([c.acknowledgement, a3.acknowledgement]).toEqual(['ACK-banks-3', 'ACK-banks-1']);
    await again.stop();
  });

  it('waitFor rejects with what it did receive', async () => {
    const endpoint = await startRecordingEndpoint();
    await post(`${endpoint.url}/power_supply`, 'k', {});
    await expect(endpoint.waitFor((c) => c.platform === 'banks', 200)).rejects.toThrow(/no matching call.*\n.*power_supply/);
    await endpoint.stop();
  });
});
