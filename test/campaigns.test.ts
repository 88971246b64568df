import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { officials, randomCreditCode, office } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});
const api = caseApi(() => stack);

const KAIFENG = office('410200');
const year = new Date().getUTCFullYear() + 1;
const campaignId = `campaign-410200-${year}`;

describe('a city’s annual campaign through the HTTP API (Kaifeng 410200, next year)', () => {
  it('is started by its office (201), once (409), not by another city’s office or an enterprise (403)', async () => {
    const enterprise: Principal = { sub: 'ent-1', name: '企业', role: 'enterprise', creditCode: randomCreditCode('410200') };
    expect((await api.post(enterprise, '/api/v1/campaigns', { division: '410200', year })).status).toBe(403);
    const luoyang = await api.post(office('410300'), '/api/v1/campaigns', { division: '410200', year });
    expect(luoyang.status).toBe(403);
    expect(luoyang.body).toMatchObject({ code: 'forbidden', titleZh: '无权执行此操作' });

    const started = await api.post(KAIFENG, '/api/v1/campaigns', { division: '410200', year });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ campaignId, division: '410200', year, policy: { id: 'henan', version: 'henan-2021.1' } });
    expect(started.headers.location).toBe(`/api/v1/campaigns/${campaignId}`);

    const again = await api.post(office('410000'), '/api/v1/campaigns', { division: '410200', year });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'campaign_exists', titleZh: '该地区本年度工作已启动', campaignId });
    expect(again.headers['content-type']).toContain('application/problem+json');

    const { rows } = await stack.db.query(`SELECT actor->>'sub' AS sub FROM audit_log WHERE action = 'campaign.start' AND target = $1`, [campaignId]);
    expect(rows).toEqual([{ sub: KAIFENG.sub }]);
  });

  it('its office completes a milestone (200, audited); GET shows it completed; others may not', async () => {
    const view = await eventually(async () => {
      const r = await api.get(KAIFENG, `/api/v1/campaigns/${campaignId}`);
      return r.status === 200 && r.body.live ? r.body : undefined;
    }, 30_000, 'campaign recorded');
    // Henan's dates and the national reports; Zhengzhou's own reports (withinDivision 4101) are not Kaifeng's.
    // The province's report to the ministries is the province's campaign's, not a city's (policy `levels`).
    expect(view.milestones.map((m: { id: string }) => m.id)).toEqual(['plans_filed', 'survey', 'report:target_plan_to_province', 'exit_by', 'acceptance', 'report:summary_to_province', 'report:closures_to_industry_it']);
    expect(view).toMatchObject({ stage: 'planning', overdue: false, next: { id: 'plans_filed' } });

    const path = `/api/v1/campaigns/${campaignId}/milestone-completions`;
    expect((await api.post(office('410000'), path, { milestoneId: 'plans_filed' })).status).toBe(403);
    expect((await api.post(officials.zhengzhouIndustry, path, { milestoneId: 'plans_filed' })).status).toBe(403);
    const unknown = await api.post(KAIFENG, path, { milestoneId: 'no_such_step' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_milestone', titleZh: '该工作节点不存在' });

    const key = randomUUID();
    const done = await api.post(KAIFENG, path, { milestoneId: 'plans_filed', note: '年度工作方案已印发' }, { 'Idempotency-Key': key });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ milestoneId: 'plans_filed', late: false, idempotencyKey: key, stage: 'survey', next: 'survey' });
    // The same command again replays the answer; a new one is refused as already done.
    const replay = await api.post(KAIFENG, path, { milestoneId: 'plans_filed', note: '年度工作方案已印发' }, { 'Idempotency-Key': key });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(done.body);
    const twice = await api.post(KAIFENG, path, { milestoneId: 'plans_filed' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('milestone_already_completed');

    const audit = await stack.db.query(`SELECT reason, detail FROM audit_log WHERE action = 'campaign.completeMilestone' AND target = $1`, [campaignId]);
    expect(audit.rows).toEqual([{ reason: '年度工作方案已印发', detail: expect.objectContaining({ milestoneId: 'plans_filed', idempotencyKey: key }) }]);

    const after = (await api.get(office('410000'), `/api/v1/campaigns/${campaignId}`)).body;
    expect(after.milestones.find((m: { id: string }) => m.id === 'plans_filed')).toMatchObject({ status: 'completed', completedBy: { id: KAIFENG.sub }, note: '年度工作方案已印发' });
    expect(after).toMatchObject({ stage: 'survey', next: { id: 'survey' } });
    // The read model has it too (what GET shows when no worker answers).
    const recorded = await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT stage, milestones FROM campaigns WHERE campaign_id = $1`, [campaignId]);
      return rows[0]?.stage === 'survey' ? rows[0] : undefined;
    }, 10_000, 'read model');
    expect(recorded.milestones.find((m: { id: string }) => m.id === 'plans_filed').status).toBe('completed');

    // Neither another city's office nor an enterprise reads it.
    expect((await api.get(office('410300'), `/api/v1/campaigns/${campaignId}`)).status).toBe(403);
    expect((await api.get({ sub: 'e', name: 'e', role: 'enterprise', creditCode: randomCreditCode('410200') }, `/api/v1/campaigns/${campaignId}`)).status).toBe(403);
  });
});
