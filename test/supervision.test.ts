import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { toLegalDate, addDays } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { officials, office, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
const api = caseApi(() => stack);

/**
 * Shangqiu (商丘 411400, Henan) and its county 民权县 (411421), which no other test uses: the county
 * gets its own government and office addresses. The campaign's record is written directly (the
 * campaign workflow is not what this file tests).
 */
const CITY = office('411400');
const COUNTY = '411421';
const COUNTY_OFFICE = office(COUNTY);
const COUNTY_GOVERNMENT_MAIL = 'zfb@minquan.example.gov.cn';
const COUNTY_OFFICE_MAIL = 'ttbgs@minquan.example.gov.cn';
const year = new Date().getUTCFullYear();
const campaignId = `campaign-411400-${year}`;
const today = toLegalDate(new Date().toISOString());

beforeAll(async () => {
  stack = await startStack();
  await stack.db.query(
    `INSERT INTO campaigns (campaign_id, division, year, policy_id, policy_version, stage, milestones, started_at)
     VALUES ($1, '411400', $2, 'henan', 'henan-2021.1', 'exit', '[]', now()) ON CONFLICT DO NOTHING`,
    [campaignId, year],
  );
  await stack.db.query(
    `INSERT INTO authority_contacts (region_code, role, department, email, name) VALUES ($1, 'approving_government', NULL, $2, '民权县人民政府'), ($1, 'coordination_office', NULL, $3, '民权县淘汰落后产能工作协调小组办公室')
     ON CONFLICT DO NOTHING`,
    [COUNTY, COUNTY_GOVERNMENT_MAIL, COUNTY_OFFICE_MAIL],
  );
});
afterAll(async () => {
  await stack?.close();
});

const finding = (overrides: Record<string, unknown> = {}) => ({
  region: COUNTY,
  creditCode: randomCreditCode('411400'),
  enterpriseName: '民权县某铸造有限公司',
  facilities: [{ name: '1号冲天炉', capacity: 5, unit: '万吨/年' }],
  industry: 'foundry',
  source: 'public_report',
  reference: '举报受理编号 SQ-0412',
  foundOn: today,
  ...overrides,
});
const concealedPath = `/api/v1/campaigns/${campaignId}/concealed-capacity`;
const item = (itemId: string, path = '') => `/api/v1/supervision-items/${itemId}${path}`;
const enterprise: Principal = { sub: 'ent-1', name: '企业', role: 'enterprise', creditCode: randomCreditCode('411400') };

describe('concealed capacity (隐瞒产能) through the HTTP API opens a supervision item (Shangqiu 411400, county 411421)', () => {
  let itemId: string;

  it('is reported by the campaign’s office or above (201, audited; the same finding again is its item), not by another city, the county, an official or an enterprise (403)', async () => {
    const body = finding();
    for (const who of [office('410300'), COUNTY_OFFICE, officials.zhengzhouIndustry, enterprise]) {
      const res = await api.post(who, concealedPath, body);
      expect([who.sub, res.status]).toEqual([who.sub, 403]);
    }
    const opened = await api.post(CITY, concealedPath, body);
    expect(opened.status).toBe(201);
    itemId = opened.body.itemId;
    expect(opened.body).toMatchObject({ itemId: `supervision-${COUNTY}-${year}-concealed-${body.creditCode}-${today}`, supervisor: '411400', region: COUNTY, campaignId, created: true });
    expect(opened.headers.location).toBe(item(itemId));

    // The same report again (from the province office, without a key): the same item.
    const again = await api.post(office('410000'), concealedPath, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ itemId, created: false });
    // Another report of the same enterprise and day: a conflict.
    const other = await api.post(CITY, concealedPath, { ...body, enterpriseName: '另一家公司' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'supervision_item_exists', itemId });
    // With an Idempotency-Key, a retry replays the answer.
    const key = randomUUID();
    const second = finding();
    const first = await api.post(CITY, concealedPath, second, { 'Idempotency-Key': key });
    const replay = await api.post(CITY, concealedPath, second, { 'Idempotency-Key': key });
    expect([first.status, replay.status, replay.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(replay.body).toEqual(first.body);

    const { rows } = await stack.db.query(`SELECT actor->>'sub' AS sub, region_code, detail->>'campaignId' AS campaign FROM audit_log WHERE action = 'supervision.reportConcealedCapacity' AND target = $1 ORDER BY id`, [itemId]);
    expect(rows).toEqual([
      { sub: CITY.sub, region_code: COUNTY, campaign: campaignId },
      { sub: 'office-410000', region_code: COUNTY, campaign: campaignId },
    ]);
    expect((await api.post(CITY, '/api/v1/campaigns/campaign-411400-2001/concealed-capacity', body)).status).toBe(404);
  });

  it('refuses bad input with problem+json naming the field and the rule, in English and Chinese', async () => {
    const bad = async (overrides: Record<string, unknown>) => {
      const res = await api.post(CITY, concealedPath, finding(overrides));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.body.errors as { field: string; rule: string; message: string; messageZh?: string }[];
    };
    expect(await bad({ creditCode: '91411400MA4000X7QA' })).toContainEqual(expect.objectContaining({ field: 'creditCode', rule: 'gb32100_check_character', messageZh: expect.any(String) }));
    expect(await bad({ foundOn: addDays(today, 2) })).toEqual([expect.objectContaining({ field: 'foundOn', rule: 'date_not_in_future', messageZh: expect.stringContaining('晚于今日') })]);
    expect(await bad({ foundOn: '2027-02-30' })).toEqual([expect.objectContaining({ field: 'foundOn', rule: 'date_exists', messageZh: '日期不存在' })]);
    expect(await bad({ region: '410122' })).toEqual([expect.objectContaining({ field: 'region', rule: 'region_in_campaign', messageZh: '地区应为本工作所在地区或其下级地区' })]);
    expect(await bad({ facilities: [] })).toEqual([expect.objectContaining({ field: 'facilities', rule: 'too_small' })]);
    expect(await bad({ source: 'rumour' })).toEqual([expect.objectContaining({ field: 'source' })]);
    expect(await bad({ enterpriseName: undefined })).toEqual([{ field: 'enterpriseName', rule: 'required', message: 'is required', messageZh: '必填' }]);
  });

  it('is read by the offices covering the county or its supervisor and by operators; not by another city or an enterprise', async () => {
    const view = await api.get(COUNTY_OFFICE, item(itemId));
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ itemId, supervisor: '411400', region: COUNTY, status: 'open', overdue: false, reason: { kind: 'concealed_capacity' }, notices: [], closure: null });
    for (const who of [CITY, office('410000'), officials.operator]) expect((await api.get(who, item(itemId))).status).toBe(200);
    for (const who of [office('410300'), office('411422'), enterprise]) expect((await api.get(who, item(itemId))).status).toBe(403);
    expect((await api.get(CITY, item(`supervision-${COUNTY}-${year}-pace-2001-01-01`))).status).toBe(404);

    const mine = await api.get(COUNTY_OFFICE, '/api/v1/supervision-items', { campaignId });
    expect(mine.body.items.map((i: { itemId: string }) => i.itemId)).toContain(itemId);
    const filtered = await api.get(CITY, '/api/v1/supervision-items', { region: COUNTY, status: 'closed' });
    expect(filtered.body.items.map((i: { itemId: string }) => i.itemId)).not.toContain(itemId);
    const luoyang = await api.get(office('410300'), '/api/v1/supervision-items', { campaignId });
    expect(luoyang.body).toMatchObject({ items: [], total: 0 });
    expect((await api.get(enterprise, '/api/v1/supervision-items')).status).toBe(403);
  });

  it('the supervisor issues 通报 (mailed to the county government and office; only published ones are public), records a 约谈, hears the follow-up and closes with 问责', async () => {
    const unpublished = '民权县对隐瞒落后产能问题督办不力（内部通报）。';
    const published = '民权县存在隐瞒落后产能问题，现予通报，责令限期整改。';
    expect((await api.post(COUNTY_OFFICE, item(itemId, '/notices'), { text: published, publish: true })).status).toBe(403);
    const badNotice = await api.post(CITY, item(itemId, '/notices'), { text: published });
    expect(badNotice.status).toBe(422);
    expect(badNotice.body.errors).toEqual([{ field: 'publish', rule: 'required', message: 'is required', messageZh: '必填' }]);

    const first = await api.post(CITY, item(itemId, '/notices'), { text: unpublished, publish: false });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ action: 'issueNotice', noticeId: `${itemId}/notice/1`, status: 'open' });
    const mail = await stack.sink.waitFor((m) => m.headers['x-exitflow-supervision'] === itemId && m.subject.startsWith('【通报】'));
    expect(mail.to.sort()).toEqual([COUNTY_GOVERNMENT_MAIL, COUNTY_OFFICE_MAIL].sort());
    const publicPage = () => request(stack.app).get('/api/v1/public/supervision-notices').query({ region: COUNTY });
    expect((await publicPage()).body.items.map((n: { text: string }) => n.text)).not.toContain(unpublished);
    expect((await api.post(CITY, item(itemId, '/notices'), { text: published, publish: true })).status).toBe(200);
    const shown = await eventually(async () => {
      const items = (await publicPage()).body.items as Record<string, unknown>[];
      return items.find((n) => n.text === published);
    }, 10_000, 'published notice');
    expect(shown).toEqual({ region: COUNTY, regionName: expect.stringContaining('民权县'), issuedBy: '411400', issuedByName: expect.stringContaining('商丘市'), year, issuedOn: today, text: published });
    expect(JSON.stringify((await publicPage()).body)).not.toContain(unpublished);

    // 约谈: dates checked by the workflow, named by field and rule.
    const summons = { summoned: [{ name: '张某', title: '民权县人民政府副县长' }], minutesRef: '商淘汰办纪〔2026〕1号' };
    const future = await api.post(CITY, item(itemId, '/summons'), { ...summons, heldOn: addDays(today, 3), followUpBy: addDays(today, 30) });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'summons_in_future', errors: [{ field: 'heldOn', rule: 'summons_in_future', messageZh: expect.stringContaining('晚于今日') }] });
    const past = await api.post(CITY, item(itemId, '/summons'), { ...summons, heldOn: today, followUpBy: today });
    expect(past.body).toMatchObject({ code: 'follow_up_deadline_not_future', errors: [{ field: 'followUpBy' }] });
    const held = await api.post(CITY, item(itemId, '/summons'), { ...summons, heldOn: today, followUpBy: addDays(today, 30) });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'summoned', followUpBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    expect((await api.post(CITY, item(itemId, '/follow-ups'), { text: '已整改' })).status).toBe(403);
    const followUp = await api.post(COUNTY_OFFICE, item(itemId, '/follow-ups'), { text: '隐瞒设备已拆除，相关责任人已处理。' });
    expect(followUp.body).toMatchObject({ status: 'follow_up_reported', late: false, followUpBy: null });

    const noOutcome = await api.post(CITY, item(itemId, '/closure'), { conclusion: '属实，已整改。' });
    expect(noOutcome.status).toBe(422);
    expect(noOutcome.body).toMatchObject({ code: 'accountability_required', titleZh: '隐瞒产能的督办事项须写明问责情况', errors: [{ field: 'accountability' }] });
    const closed = await api.post(CITY, item(itemId, '/closure'), { conclusion: '属实，已整改。', accountability: { category: 'admonishment', text: '对民权县工信局分管副局长诫勉谈话' } });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const after = await eventually(async () => {
      const r = await api.post(CITY, item(itemId, '/notices'), { text: published, publish: false });
      return r.status === 409 ? r : undefined;
    }, 10_000, 'closed item refuses');
    expect(after.body.code).toBe('item_closed');

    const view = await eventually(async () => {
      const v = (await api.get(CITY, item(itemId))).body;
      return v.status === 'closed' ? v : undefined;
    }, 10_000, 'read model closed');
    expect(view.closure).toMatchObject({ accountability: { category: 'admonishment' } });
    expect(view.notices).toHaveLength(2);
    const audit = await stack.db.query(`SELECT action, actor->>'sub' AS sub FROM audit_log WHERE target = $1 AND action <> 'supervision.reportConcealedCapacity' ORDER BY id`, [itemId]);
    expect(audit.rows).toEqual([
      { action: 'supervision.issueNotice', sub: CITY.sub },
      { action: 'supervision.issueNotice', sub: CITY.sub },
      { action: 'supervision.recordSummons', sub: CITY.sub },
      { action: 'supervision.reportFollowUp', sub: COUNTY_OFFICE.sub },
      { action: 'supervision.closeItem', sub: CITY.sub },
    ]);
  });
});
