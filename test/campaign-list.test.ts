import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { officials, office } from './support/fixtures';
import { seedCampaign } from './support/report-seeds';
import { startStack, type Stack } from './support/stack';

/**
 * GET /api/v1/campaigns: the campaigns a caller may read, for the console's campaign list. Nanyang
 * (南阳市) and two of its counties, and Xinyang (信阳市), in 2004 (a year of this file's own; rows
 * written straight to the read model, no workflow runs).
 */
const YEAR = 2004;
let stack: Stack;
const api = caseApi(() => stack);

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  await seedCampaign(stack.db, '411300', YEAR, [
    { id: 'plans_filed', kind: 'plans_filed', nameZh: '工作方案和联系人报送', due: `${YEAR}-06-30`, status: 'completed', completedOn: `${YEAR}-06-20`, completedBy: null, note: null, lapsedOn: null },
    { id: 'survey', kind: 'survey', nameZh: '摸底排查完成、目标计划公示', due: `${YEAR}-06-30`, status: 'overdue', completedOn: null, completedBy: null, note: null, lapsedOn: `${YEAR}-06-30` },
  ]);
  await stack.db.query(`UPDATE campaigns SET next_milestone = 'survey' WHERE campaign_id = $1`, [`campaign-411300-${YEAR}`]);
  await seedCampaign(stack.db, '411321', YEAR);
  await seedCampaign(stack.db, '411302', YEAR);
  await seedCampaign(stack.db, '411500', YEAR);
});
afterAll(async () => {
  await stack?.close();
});

const ids = (body: { items: { campaignId: string }[] }) => body.items.map((c) => c.campaignId);

it('shows an office its own division’s campaign first, then those inside it, never another city’s', async () => {
  const res = await api.get(office('411300'), '/api/v1/campaigns', { year: String(YEAR) });
  expect(res.status).toBe(200);
  expect(ids(res.body)).toEqual([`campaign-411300-${YEAR}`, `campaign-411302-${YEAR}`, `campaign-411321-${YEAR}`]);
  expect(res.body.total).toBe(3);
  expect(res.body.items[0]).toMatchObject({
    division: '411300',
    divisionName: expect.stringContaining('南阳市'),
    year: YEAR,
    overdue: true,
    next: { id: 'survey', due: `${YEAR}-06-30` },
    milestones: { total: 2, completed: 1, overdue: 1 },
  });
});

it('filters by division (with its sub-divisions) and by lapsed milestones; a county sees only its own', async () => {
  expect(ids((await api.get(officials.operator, '/api/v1/campaigns', { year: String(YEAR), division: '411300', overdue: 'true' })).body)).toEqual([`campaign-411300-${YEAR}`]);
  expect(ids((await api.get(officials.operator, '/api/v1/campaigns', { year: String(YEAR) })).body)).toEqual(expect.arrayContaining([`campaign-411500-${YEAR}`, `campaign-411300-${YEAR}`]));
  expect(ids((await api.get(office('411321'), '/api/v1/campaigns', { year: String(YEAR) })).body)).toEqual([`campaign-411321-${YEAR}`]);
});

it('is refused to an enterprise (403) and answers a bad filter with the field named (422)', async () => {
  const enterprise: Principal = { sub: 'ent-1', name: '企业', role: 'enterprise', creditCode: '914113000000000000' };
  expect((await api.get(enterprise, '/api/v1/campaigns')).status).toBe(403);
  const bad = await api.get(office('411300'), '/api/v1/campaigns', { division: '4113' });
  expect(bad.status).toBe(422);
  expect(bad.body.errors[0]).toMatchObject({ field: 'query.division' });
});
