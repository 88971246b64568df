import { randomUUID } from 'node:crypto';
import { campaignWorkflowId } from '../../domain/campaign';
import { approveReport, campaignStateQuery, draftReport, receiveReport, submitReport } from '../../workflows/campaign-messages';
import { cst, governmentActor, officeActor, saveCampaignHistory, seedExit, sheetRows, sleepUntil, startCampaign, until } from './campaign-support';
import { actors, rejection, type Lifecycle, useLifecycle } from './harness';

/**
 * A whole campaign year of Henan (henan-2021.1) under time skipping: the province (410000), Zhengzhou
 * (410100) and its district 中原区 (410102) each run their campaign. The district's summary goes to the
 * city, the city's to the province, the province's to the ministries after the provincial government
 * approved it (returned once first) — in that order, each with the figures of the exits recorded in
 * the district. Two years ahead, so no other test's campaign of these divisions is in the way.
 */
let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const HENAN = { id: 'henan', version: 'henan-2021.1' };
const ZHENGZHOU_OFFICE = 'ttbgs@zhengzhou.example.gov.cn';
const HENAN_OFFICE = 'ttbgs@henan.example.gov.cn';
const HENAN_GOVERNMENT = 'zfb@henan.example.gov.cn';
const MINISTRIES = ['cyzcs@miit.example.gov.cn', 'dlsgs@nea.example.gov.cn'];

const DISTRICT = officeActor('410102', '中原区淘汰落后产能办公室');
const CITY = actors.office;
const PROVINCE = officeActor('410000', '河南省淘汰落后产能工作领导小组办公室');
const PROVINCE_GOVERNMENT = governmentActor('410000', '河南省人民政府');
type Handle = Awaited<ReturnType<typeof startCampaign>>;

describe('a Henan campaign year: district → city → province → ministries', () => {
  it('drafts each report before it falls due, sends the district’s and the city’s upward and the province’s after its government approved it, with the figures of the exits', async () => {
    const year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 2;
    const start = (division: string, startedBy: object) => startCampaign(lc, division, year, HENAN, startedBy);
    const province = await start('410000', PROVINCE);
    const city = await start('410100', CITY);
    const district = await start('410102', DISTRICT);
    const reportsOf = async (h: Handle) => Object.keys((await h.query(campaignStateQuery)).reports ?? {}).sort();
    // Each level carries the reports it sends (domain/campaign-reports.ts reportIsSentBy).
    expect(await reportsOf(district)).toEqual(['closures_to_industry_it', 'zhengzhou_summary_to_city', 'zhengzhou_survey_to_city']);
    expect(await reportsOf(city)).toEqual(['closures_to_industry_it', 'summary_to_province', 'target_plan_to_province']);
    expect(await reportsOf(province)).toEqual(['closures_to_industry_it', 'province_to_miit']);

    // The district's exits this year: 60 and 40 万吨/年 of cement clinker lines, dismantled in spring.
    for (const [capacity, exitedOn] of [[60, `${year}-04-20`], [40, `${year}-05-10`]] as const) await seedExit(lc.db, { region: '410102', year, capacity, exitedOn, policy: HENAN, name: `中原水泥${capacity}` });

    const act = (h: Handle, update: typeof submitReport, reportId: string, actor: object, extra: object = {}) =>
      h.executeUpdate(update, { args: [{ reportId, actor: actor as never, idempotencyKey: randomUUID(), ...extra }] });

    // 1. The district's summary (10月27日前, to the city office): drafted on October 20, submitted, sent.
    await sleepUntil(lc, cst(`${year}-10-20T09:00`));
    let s = await until(district, (x) => x.reports?.zhengzhou_summary_to_city?.status === 'drafted', 'the district summary drafted');
    expect(s.reports!.zhengzhou_summary_to_city!.draft).toMatchObject({ draft: 1, cutOff: `${year}-10-19`, totals: [{ industry: 'cement', unit: '万吨/年', capacity: 100, enterprises: 2, facilities: 2 }] });
    const districtSent = await act(district, submitReport, 'zhengzhou_summary_to_city', DISTRICT);
    expect(districtSent).toMatchObject({ status: 'sent', recipientDivision: '410100' });
    const districtMail = await lc.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('410102') && m.subject.includes('关闭退出落后产能工作总结'));
    expect(districtMail.to).toEqual([ZHENGZHOU_OFFICE]);
    expect((await sheetRows(districtMail, /汇总/)).some((r) => r.includes('100'))).toBe(true);
    s = await district.query(campaignStateQuery);
    expect(s.milestones.find((m) => m.id === 'report:zhengzhou_summary_to_city')).toMatchObject({ status: 'completed', completedBy: { id: DISTRICT.id } });
    // The city office signs for it; the province may not.
    expect((await rejection(act(district, receiveReport, 'zhengzhou_summary_to_city', PROVINCE))).code).toBe('not_the_recipient');
    expect(await act(district, receiveReport, 'zhengzhou_summary_to_city', CITY)).toMatchObject({ status: 'received' });

    // 2. The city's summary (10月31日前, to the province office): drafted October 24 with the district's exits in it.
    await sleepUntil(lc, cst(`${year}-10-24T09:00`));
    s = await until(city, (x) => x.reports?.summary_to_province?.status === 'drafted', 'the city summary drafted');
    expect(s.reports!.summary_to_province!.draft!.totals).toEqual([{ industry: 'cement', unit: '万吨/年', capacity: 100, enterprises: 2, facilities: 2 }]);
    expect(await act(city, submitReport, 'summary_to_province', CITY)).toMatchObject({ status: 'sent', recipientDivision: '410000' });
    const cityMail = await lc.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('410100') && m.subject.includes('依法依规推动落后产能退出年度工作总结'));
    expect(cityMail.to).toEqual([HENAN_OFFICE]);
    expect(await act(city, receiveReport, 'summary_to_province', PROVINCE)).toMatchObject({ status: 'received' });

    // The district's exit_by lapsed on October 31 (nobody completed it): its office and the city's hear.
    await sleepUntil(lc, cst(`${year}-11-02T09:00`));
    await lc.sink.waitFor((m) => m.subject.startsWith('【逾期督办】') && m.subject.includes('410102') && m.subject.includes('落后产能退出完成') && m.to.includes(ZHENGZHOU_OFFICE));
    // The lapse is a supervision item of the city office (督办), and at the city's own exit date the
    // district lags on the city's ledger (its campaign let milestones lapse): an item for that too.
    const running = async (id: string) => (await lc.env.client.workflow.getHandle(id).describe()).status.name;
    expect(await running(`supervision-410102-${year}-milestone-exit_by`)).toBe('RUNNING');
    expect(await running(`supervision-410102-${year}-pace-${year}-10-31`)).toBe('RUNNING');
    s = await city.query(campaignStateQuery);
    expect(s.supervision?.[`supervision-410102-${year}-pace-${year}-10-31`]).toMatchObject({ region: '410102', reason: 'pace' });
    expect(s.paceChecked).toEqual(expect.arrayContaining(['exit_by', 'acceptance']));

    // 3. The province's report to the ministries (次年1月31日前), drafted January 24; it needs the provincial government.
    await sleepUntil(lc, cst(`${year + 1}-01-24T09:00`));
    s = await until(province, (x) => x.reports?.province_to_miit?.status === 'drafted', 'the province report drafted');
    expect(s.reports!.province_to_miit!.draft!.totals).toEqual([{ industry: 'cement', unit: '万吨/年', capacity: 100, enterprises: 2, facilities: 2 }]);
    expect((await rejection(act(province, approveReport, 'province_to_miit', PROVINCE_GOVERNMENT, { decision: 'approve' }))).code).toBe('report_not_awaiting_approval');
    expect(await act(province, submitReport, 'province_to_miit', PROVINCE, { note: '请省政府审定' })).toMatchObject({ status: 'awaiting_approval' });
    const ask = await lc.sink.waitFor((m) => m.subject.startsWith('【报告待审】') && m.subject.includes('410000'));
    expect(ask.to).toEqual([HENAN_GOVERNMENT]);
    // Only the provincial government decides; it returns the first draft with a reason.
    expect((await rejection(act(province, approveReport, 'province_to_miit', actors.government, { decision: 'approve' }))).code).toBe('not_the_government');
    expect((await rejection(act(province, approveReport, 'province_to_miit', PROVINCE_GOVERNMENT, { decision: 'return' }))).code).toBe('invalid_input');
    expect(await act(province, approveReport, 'province_to_miit', PROVINCE_GOVERNMENT, { decision: 'return', reason: '请补充未办结案件原因' })).toMatchObject({ status: 'drafted', returned: { reason: '请补充未办结案件原因' } });
    await lc.sink.waitFor((m) => m.subject.startsWith('【报告退回】') && m.to.includes(HENAN_OFFICE));
    // A new draft (a cut-off not yet past is refused), submitted again and approved: sent to the ministries.
    expect((await rejection(act(province, draftReport, 'province_to_miit', PROVINCE, { cutOff: `${year + 1}-01-24` }))).code).toBe('cut_off_not_past');
    expect(await act(province, draftReport, 'province_to_miit', PROVINCE, { cutOff: `${year}-12-31` })).toMatchObject({ status: 'drafted', draft: { draft: 2, cutOff: `${year}-12-31` } });
    await act(province, submitReport, 'province_to_miit', PROVINCE);
    const approved = await act(province, approveReport, 'province_to_miit', PROVINCE_GOVERNMENT, { decision: 'approve', documentNumber: `豫政函〔${year + 1}〕5号` });
    expect(approved).toMatchObject({ status: 'sent', recipientDivision: null, approved: { by: { id: PROVINCE_GOVERNMENT.id }, documentNumber: `豫政函〔${year + 1}〕5号` } });
    const miitMail = await lc.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('410000'));
    expect([...miitMail.to].sort()).toEqual(MINISTRIES);
    expect(miitMail.text).toContain(`豫政函〔${year + 1}〕5号`);
    // Nobody in exitflow signs for the ministries.
    expect((await rejection(act(province, receiveReport, 'province_to_miit', PROVINCE))).code).toBe('not_the_recipient');

    // In order: district, city, province; the first draft of the province's report is kept beside the second.
    const { rows } = await lc.db.query(
      `SELECT campaign_id, report_id, status FROM campaign_reports WHERE campaign_id = ANY($1) AND status IN ('sent', 'received') ORDER BY sent_on`,
      [[campaignWorkflowId('410102', year), campaignWorkflowId('410100', year), campaignWorkflowId('410000', year)]],
    );
    expect(rows.map((r) => `${r.campaign_id}:${r.report_id}`)).toEqual([
      `${campaignWorkflowId('410102', year)}:zhengzhou_summary_to_city`,
      `${campaignWorkflowId('410100', year)}:summary_to_province`,
      `${campaignWorkflowId('410000', year)}:province_to_miit`,
    ]);
    const drafts = await lc.db.query(`SELECT draft, to_char(cut_off, 'YYYY-MM-DD') AS cut_off FROM campaign_report_drafts WHERE campaign_id = $1 AND report_id = 'province_to_miit' ORDER BY draft`, [campaignWorkflowId('410000', year)]);
    expect(drafts.rows).toEqual([{ draft: 1, cut_off: `${year + 1}-01-23` }, { draft: 2, cut_off: `${year}-12-31` }]);

    await saveCampaignHistory(lc, province, 'campaign-henan-province-report-approved');
    await saveCampaignHistory(lc, district, 'campaign-zhongyuan-district-year');
  });
});
