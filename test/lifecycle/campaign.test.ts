import { randomUUID } from 'node:crypto';
import { campaignWorkflowId } from '../../domain/campaign';
import { addDays } from '../../domain/deadlines';
import { completeMilestone, campaignStateQuery, receiveReport, submitReport } from '../../workflows/campaign-messages';
import { cst, saveCampaignHistory, sleepUntil, startCampaign, until } from './campaign-support';
import { SA } from '../../workflows/search-attributes';
import { actors, rejection, type Lifecycle, useLifecycle } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const ZHENGZHOU_OFFICE = 'ttbgs@zhengzhou.example.gov.cn';
const HENAN_OFFICE = 'ttbgs@henan.example.gov.cn';

describe('a Henan city’s annual campaign (Zhengzhou 410100, next year)', () => {
  it('carries only the city’s own reports; reminds the city office before a milestone, drafts a report a week before it falls due, escalates uncompleted ones to the province office, and sends a late report with its workbook', async () => {
    const year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 1;
    const campaignId = campaignWorkflowId('410100', year);
    const handle = await startCampaign(lc, '410100', year, { id: 'henan', version: 'henan-2021.1' }, actors.office);
    let s = await handle.query(campaignStateQuery);
    // The city sends its target plan and summary to the province; the districts' reports to the city
    // (郑州 各区县) and the province's to the ministries are not the city's milestones.
    const ids = s.milestones.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['plans_filed', 'survey', 'report:target_plan_to_province', 'report:summary_to_province', 'exit_by', 'acceptance']));
    expect(ids.filter((id) => id.startsWith('report:zhengzhou_') || id === 'report:province_to_miit')).toEqual([]);
    const survey = s.milestones.find((m) => m.id === 'survey')!;
    const plan = s.milestones.find((m) => m.id === 'report:target_plan_to_province')!;
    expect(s).toMatchObject({ stage: 'planning', overdue: false, next: { id: 'plans_filed' } });
    expect(s.reports?.target_plan_to_province).toMatchObject({ status: 'pending', recipientDivision: '410000', approval: null });
    expect((await handle.describe()).typedSearchAttributes.get(SA.region)).toBe('410100');

    // The office files its plans early; a stranger, the province and an unknown milestone are refused.
    const send = (actor: object, milestoneId: string) => handle.executeUpdate(completeMilestone, { args: [{ milestoneId, actor: actor as never, idempotencyKey: randomUUID() }] });
    expect((await rejection(send({ ...actors.office, id: 'ly-tt', jurisdiction: '410300' }, 'plans_filed'))).code).toBe('not_the_division_office');
    expect((await rejection(send({ ...actors.office, id: 'hn-tt', jurisdiction: '410000' }, 'plans_filed'))).code).toBe('not_the_division_office');
    expect((await rejection(send(actors.official, 'plans_filed'))).code).toBe('not_the_division_office');
    expect((await rejection(send(actors.office, 'no_such_step'))).code).toBe('unknown_milestone');
    const key = randomUUID();
    const done = await handle.executeUpdate(completeMilestone, { args: [{ milestoneId: 'plans_filed', note: '工作方案已印发', actor: actors.office, idempotencyKey: key }] });
    expect(done).toMatchObject({ milestoneId: 'plans_filed', late: false });
    // The same command again answers the same; a new one on a completed milestone is refused.
    expect(await handle.executeUpdate(completeMilestone, { args: [{ milestoneId: 'plans_filed', actor: actors.office, idempotencyKey: key }] })).toEqual(done);
    expect((await rejection(send(actors.office, 'plans_filed'))).code).toBe('milestone_already_completed');
    // A report milestone is completed by sending the report, not by hand; nothing to submit before a draft.
    expect((await rejection(send(actors.office, plan.id))).code).toBe('report_milestone_completes_when_sent');
    const report = (update: typeof submitReport, actor: object, extra: object = {}) =>
      handle.executeUpdate(update, { args: [{ reportId: 'target_plan_to_province', actor: actor as never, idempotencyKey: randomUUID(), ...extra }] });
    expect((await rejection(report(submitReport, actors.office))).code).toBe('report_not_drafted');

    // A week before the survey (reminders.campaign [7, 1]): the city office is reminded, and the
    // target plan due the same day is drafted by the campaign, with the figures of the day before.
    await sleepUntil(lc, cst(`${survey.due}T09:00`) - 7 * 86_400_000);
    const reminder = await lc.sink.waitFor((m) => m.subject.startsWith('【工作提醒】') && m.subject.includes(survey.nameZh) && m.subject.includes(`${year}年度`));
    expect(reminder.to).toEqual([ZHENGZHOU_OFFICE]);
    expect(reminder.subject).toContain('剩余7天');
    const drafted = await lc.sink.waitFor((m) => m.subject.startsWith('【报告草稿】') && m.subject.includes(plan.nameZh));
    expect(drafted.to).toEqual([ZHENGZHOU_OFFICE]);
    s = await until(handle, (x) => x.reports?.target_plan_to_province?.status === 'drafted', 'the target plan drafted');
    expect(s.reports!.target_plan_to_province!.draft).toMatchObject({ draft: 1, cutOff: addDays(plan.due, -8) });

    // After June 30 (plans, survey and the target plan due): each open one lapses and goes to the province office.
    await sleepUntil(lc, cst(`${year}-07-01T12:00`));
    s = await until(handle, (x) => x.milestones.filter((m) => m.status === 'overdue').length === 2, 'two overdue milestones');
    expect(s.milestones.filter((m) => m.status === 'overdue').map((m) => m.id)).toEqual(['survey', plan.id]);
    expect(s.milestones.find((m) => m.id === 'plans_filed')).toMatchObject({ status: 'completed', note: '工作方案已印发', lapsedOn: null });
    expect(s.overdue).toBe(true);
    const escalation = await lc.sink.waitFor((m) => m.subject.startsWith('【逾期督办】') && m.subject.includes(survey.nameZh) && m.to.includes(HENAN_OFFICE));
    expect(escalation.subject).toContain(`已于${survey.due}到期未完成`);
    await lc.sink.waitFor((m) => m.subject.startsWith('【逾期督办】') && m.subject.includes(survey.nameZh) && m.to.includes(ZHENGZHOU_OFFICE));
    // The completed plans were neither reminded nor escalated.
    const aboutPlans = lc.sink.messages.filter((m) => m.headers['x-exitflow-campaign'] === campaignId && m.subject.includes('工作方案和联系人报送'));
    expect(aboutPlans).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(true);

    // Late, the office completes the survey: recorded as late, it stays completed.
    const late = await send(actors.office, survey.id);
    expect(late).toMatchObject({ milestoneId: survey.id, late: true });
    // The office submits the target plan (Henan asks no government approval for it): it goes to the
    // province office with its workbook attached, and its milestone is completed, late.
    const sent = await report(submitReport, actors.office, { note: '请省办审阅' });
    expect(sent).toMatchObject({ status: 'sent', recipientDivision: '410000', submitted: { note: '请省办审阅' } });
    const mail = await lc.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes(plan.nameZh));
    expect(mail.to).toEqual([HENAN_OFFICE]);
    expect(mail.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.xlsx$/)]);
    s = await handle.query(campaignStateQuery);
    expect(s.milestones.find((m) => m.id === plan.id)).toMatchObject({ status: 'completed', lapsedOn: plan.due, completedBy: { id: actors.office.id } });
    // Only the province office signs for it; then it is received.
    expect((await rejection(report(receiveReport, actors.office))).code).toBe('not_the_recipient');
    expect((await rejection(report(submitReport, actors.office))).code).toBe('report_already_sent');
    const received = await report(receiveReport, { ...actors.office, id: 'hn-tt', name: '河南省淘汰办', jurisdiction: '410000' });
    expect(received).toMatchObject({ status: 'received', received: { by: { id: 'hn-tt' } } });

    const { rows } = await lc.db.query(`SELECT kind, milestone_id FROM campaign_events WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
    const kinds = rows.map((r) => `${r.kind}:${r.milestone_id ?? ''}`);
    expect(kinds[0]).toBe('started:');
    expect(kinds).toEqual(expect.arrayContaining(['completed:plans_filed', `reminder:${survey.id}`, `overdue:${survey.id}`, `completed:${survey.id}`, `report_drafted:${plan.id}`, `report_sent:${plan.id}`, `report_received:${plan.id}`]));
    expect(kinds).not.toContain('overdue:plans_filed');
    const [row] = (await lc.db.query(`SELECT stage, overdue, policy_version FROM campaigns WHERE campaign_id = $1`, [campaignId])).rows;
    expect(row).toMatchObject({ stage: 'exit', overdue: false, policy_version: 'henan-2021.1' });
    // A running campaign's history joins the replay test (test/replay.test.ts), like the cases'.
    await saveCampaignHistory(lc, handle, 'campaign-zhengzhou-survey-late');
  });
});
