import { randomUUID } from 'node:crypto';
import { campaignWorkflowId } from '../../domain/campaign';
import { approveReport, campaignStateQuery, receiveReport, submitReport } from '../../workflows/campaign-messages';
import { cst, governmentActor, officeActor, saveCampaignHistory, seedExit, seedTarget, sheetRows, sleepUntil, startCampaign, until } from './campaign-support';
import { rejection, type Lifecycle, useLifecycle } from './harness';

/**
 * A whole campaign year of Liaoning (liaoning-2021.1) under time skipping: Shenyang (210100) runs its
 * year beside the province (210000). Its exit window (6月1日–9月30日) ends with 和平区 (210102) far
 * below its surveyed target and 沈河区 (210103) on target: only 和平区 gets a supervision item of the
 * city office. The city's summary (11月30日前) goes to the province after the city government approved
 * it, with the exits of both districts. Two years ahead, like the Henan year.
 */
let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const LIAONING = { id: 'liaoning', version: 'liaoning-2021.1' };
const SHENYANG_OFFICE = 'ttbgs@shenyang.example.gov.cn';
const SHENYANG_GOVERNMENT = 'zfb@shenyang.example.gov.cn';
const LIAONING_OFFICE = 'ttbgs@liaoning.example.gov.cn';

const CITY = officeActor('210100', '沈阳市淘汰落后产能工作协调小组办公室');
const CITY_GOVERNMENT = governmentActor('210100', '沈阳市人民政府');
const PROVINCE = officeActor('210000', '辽宁省淘汰落后产能工作协调小组办公室');

describe('a Liaoning city’s campaign year (Shenyang 210100)', () => {
  it('opens a supervision item for the district that lags at the end of the exit window, and sends the city’s summary to the province after the city government approved it', async () => {
    const year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 2;
    // Shenyang's own addresses (the seed directory has Liaoning's only).
    await lc.db.query(
      `INSERT INTO authority_contacts (region_code, role, department, email, name) VALUES ('210100','coordination_office',NULL,$1,'沈阳市淘汰落后产能工作协调小组办公室'), ('210100','approving_government',NULL,$2,'沈阳市人民政府') ON CONFLICT DO NOTHING`,
      [SHENYANG_OFFICE, SHENYANG_GOVERNMENT],
    );
    const start = (division: string, startedBy: object) => startCampaign(lc, division, year, LIAONING, startedBy);
    const province = await start('210000', PROVINCE);
    const city = await start('210100', CITY);
    const cityId = campaignWorkflowId('210100', year);
    let s = await city.query(campaignStateQuery);
    expect(Object.keys(s.reports ?? {}).sort()).toEqual(['cities_summary_to_province', 'survey_to_province']);
    expect(s.reports!.cities_summary_to_province).toMatchObject({ recipientDivision: '210000', approval: { seal: false } });
    expect(Object.keys((await province.query(campaignStateQuery)).reports ?? {}).sort()).toEqual(['members_summary_to_province', 'province_to_miit']);

    // The target list: 100 in 和平区, 50 in 沈河区; by the end of the window 和平区 dismantled 30, 沈河区 50.
    await seedTarget(lc.db, cityId, '210102', 100);
    await seedTarget(lc.db, cityId, '210103', 50);
    await seedExit(lc.db, { region: '210102', year, capacity: 30, exitedOn: `${year}-07-15`, policy: LIAONING, name: '沈阳和平水泥' });
    await seedExit(lc.db, { region: '210103', year, capacity: 50, exitedOn: `${year}-08-20`, policy: LIAONING, name: '沈阳沈河水泥' });

    // The city completes its own milestones up to the exit, so only the districts' pace is in question.
    const complete = (milestoneId: string) => city.executeUpdate('completeMilestone', { args: [{ milestoneId, actor: CITY, idempotencyKey: randomUUID() }] });
    for (const id of ['plans_filed', 'survey', 'exit_from']) await complete(id);
    const exitBy = s.milestones.find((m) => m.id === 'exit_by')!;
    await sleepUntil(lc, cst(`${exitBy.due}T12:00`) + 86_400_000);
    s = await until(city, (x) => (x.paceChecked ?? []).includes('exit_by'), 'the pace assessed at the end of the window');
    const itemId = `supervision-210102-${year}-pace-${exitBy.due}`;
    const items = Object.entries(s.supervision ?? {});
    expect(items.filter(([, v]) => v.region !== '210100').map(([id]) => id)).toEqual([itemId]);
    // The city's own lapsed exit date (it did not complete it) is the province office's item.
    expect(Object.fromEntries(items)[`supervision-210100-${year}-milestone-exit_by`]).toMatchObject({ region: '210100', reason: 'milestone_lapsed' });
    const item = lc.env.client.workflow.getHandle(itemId);
    expect((await item.describe()).status.name).toBe('RUNNING');
    expect(await item.query('supervisionState')).toMatchObject({ supervisor: '210100', region: '210102', reason: { kind: 'pace', asOf: exitBy.due } });
    // 沈河区 is on target: no item.
    await expect(lc.env.client.workflow.getHandle(`supervision-210103-${year}-pace-${exitBy.due}`).describe()).rejects.toThrow();

    // The city's summary, drafted a week before November 30, approved by the city government, then sent.
    const summary = s.milestones.find((m) => m.id === 'report:cities_summary_to_province')!;
    await sleepUntil(lc, cst(`${summary.due}T09:00`) - 7 * 86_400_000);
    s = await until(city, (x) => x.reports?.cities_summary_to_province?.status === 'drafted', 'the summary drafted');
    expect(s.reports!.cities_summary_to_province!.draft!.totals).toEqual([{ industry: 'cement', unit: '万吨/年', capacity: 80, enterprises: 2, facilities: 2 }]);
    const act = (update: typeof submitReport, actor: object, extra: object = {}) => city.executeUpdate(update, { args: [{ reportId: 'cities_summary_to_province', actor: actor as never, idempotencyKey: randomUUID(), ...extra }] });
    expect(await act(submitReport, CITY)).toMatchObject({ status: 'awaiting_approval' });
    expect((await lc.sink.waitFor((m) => m.subject.startsWith('【报告待审】') && m.subject.includes('210100'))).to).toEqual([SHENYANG_GOVERNMENT]);
    expect((await rejection(act(approveReport, governmentActor('210000', '辽宁省人民政府'), { decision: 'approve' }))).code).toBe('not_the_government');
    expect(await act(approveReport, CITY_GOVERNMENT, { decision: 'approve', documentNumber: `沈政函〔${year}〕88号` })).toMatchObject({ status: 'sent', approved: { documentNumber: `沈政函〔${year}〕88号` } });
    const mail = await lc.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('210100'));
    expect(mail.to).toEqual([LIAONING_OFFICE]);
    const regions = await sheetRows(mail, /分地区/);
    expect(regions.some((r) => r.some((c) => c.includes('和平区')) && r.includes('30'))).toBe(true);
    expect(regions.some((r) => r.some((c) => c.includes('沈河区')) && r.includes('50'))).toBe(true);
    expect(await act(receiveReport, PROVINCE)).toMatchObject({ status: 'received' });
    s = await city.query(campaignStateQuery);
    expect(s.milestones.find((m) => m.id === summary.id)).toMatchObject({ status: 'completed', completedBy: { id: CITY_GOVERNMENT.id } });

    await saveCampaignHistory(lc, city, 'campaign-shenyang-city-year');
  });
});
