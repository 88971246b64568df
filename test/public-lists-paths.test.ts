import request from 'supertest';
import { createApp } from '../api/app';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, enterpriseBody, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// The yellow list (黄牌) as cases reach it through the API and the workflows, read by the public
// without a token. Lists are read uncached here, so each read sees the read model as it is.
let stack: Stack;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  stack = await startStack();
  app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, PUBLIC_LIST_CACHE_SECONDS: 0 } });
});
afterAll(async () => {
  await stack?.close();
});

const official = (department: string, jurisdiction: string): Principal => ({
  sub: `lists-${department}-${jurisdiction}`,
  name: `执法 ${department}`,
  role: 'enforcement_official',
  department: department as Principal['department'],
  jurisdiction,
});

const { act, reach } = caseApi(() => stack);

/** Register an enterprise in `region` and open a case on it as `by`. */
async function open(by: Principal, region: string, dimension: string) {
  const e = enterpriseBody({ creditCode: randomCreditCode(`${region.slice(0, 4)}00`), regionCode: region });
  expect((await request(app).post('/api/v1/enterprises').set('Authorization', await bearer(by)).send(e)).status).toBe(201);
  const opened = await request(app).post('/api/v1/cases').set('Authorization', await bearer(by)).send(openCaseBody(e.creditCode, { dimension: dimension as never, department: by.department as never }));
  expect(opened.status).toBe(201);
  const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
  return { caseId: opened.body.caseId as string, creditCode: e.creditCode, enterprise };
}

/**
 * The enterprise's row on a region's yellow list, once the read model has it (undefined: not listed
 * within 15 s). The case's stage the API shows is the workflow's own, live; the list is read from the
 * read model its activity writes a moment later (later still on a real cluster than on the dev server).
 */
async function yellowRow(region: string, creditCode: string) {
  const read = async () => {
    const res = await request(app).get('/api/v1/public/lists/yellow').query({ region, pageSize: '200' });
    expect(res.status).toBe(200);
    return {
      row: (res.body.rows as { creditCode: string; deadline: string }[]).find((r) => r.creditCode === creditCode),
      policies: res.body.policies as { id: string; version: string }[],
    };
  };
  return eventually(async () => {
    const r = await read();
    return r.row ? r : undefined;
  }, 15_000, `${creditCode} on the yellow list of ${region}`).catch(read);
}

it('while an extension is requested, the yellow list shows the rectification deadline (整改期限), not the decision due date', async () => {
  const c = await open(official('industry_it', '410100'), '410102', 'energy');
  const rectifying = await reach(c.caseId, 'rectification');
  const rectificationDeadline = rectifying.deadline!;
  expect((await yellowRow('410100', c.creditCode)).row).toMatchObject({ deadline: rectificationDeadline });

  await act(c.enterprise, c.caseId, 'extension-requests', { months: 2, reason: '改造工期' });
  const asking = await reach(c.caseId, 'extension_requested');
  // The case now runs against the decider's due date ...
  expect(asking.deadline).not.toBe(rectificationDeadline);
  // ... while the public still reads the period the enterprise must rectify in.
  expect((await yellowRow('410100', c.creditCode)).row).toMatchObject({ deadline: rectificationDeadline });
});

it('an enterprise stays on the yellow list while its closure is being decided', async () => {
  const by = official('industry_it', '410100');
  const c = await open(by, '410102', 'energy');
  const rectifying = await reach(c.caseId, 'rectification');
  await act(c.enterprise, c.caseId, 'rectification-reports', {});
  await act(by, c.caseId, 'reinspections', { passed: false, findings: '单位产品能耗仍超限额' });
  await reach(c.caseId, 'closure_proposed');
  expect((await yellowRow('410100', c.creditCode)).row).toMatchObject({ deadline: rectifying.deadline });
});

it('a Fuzhou case found by market regulation is on the yellow list under Fuzhou’s policy, which keeps the national lists (30号文 (二十一))', async () => {
  const c = await open(official('market_regulation', '350100'), '350102', 'quality');
  const stopped = await reach(c.caseId, 'suspended_production');
  for (const region of ['350000', '350100']) {
    const { row, policies } = await yellowRow(region, c.creditCode);
    expect(row).toMatchObject({ creditCode: c.creditCode, deadline: stopped.deadline });
    expect(policies).toContainEqual({ id: 'fuzhou', version: 'fuzhou-2021.1' });
  }
});

it('a Liaoning safety case opened by coal-mine safety (辽宁煤监局) is on Liaoning’s yellow list (LN 二(一)5)', async () => {
  const c = await open(official('coal_mine_safety', '210100'), '210102', 'safety');
  const stopped = await reach(c.caseId, 'suspended_production');
  expect((await yellowRow('210000', c.creditCode)).row).toMatchObject({ creditCode: c.creditCode, deadline: stopped.deadline });
});
