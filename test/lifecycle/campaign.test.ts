import { randomUUID } from 'node:crypto';
import { campaignWorkflowId } from '../../domain/campaign';
import { completeMilestone, campaignStateQuery, type CampaignState } from '../../workflows/campaign-messages';
import { campaignWorkflow } from '../../workflows/campaign';
import { SA } from '../../workflows/search-attributes';
import { actors, rejection, type Lifecycle, useLifecycle, saveHistory } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

/** The instant `isoLocal` (YYYY-MM-DDTHH:mm) in China Standard Time. */
const cst = (isoLocal: string) => Date.parse(`${isoLocal}:00+08:00`);

async function sleepUntil(ms: number): Promise<void> {
  const now = await lc.env.currentTimeMs();
  if (ms > now) await lc.env.sleep(ms - now);
}

async function until(handle: { query: (q: typeof campaignStateQuery) => Promise<CampaignState> }, pred: (s: CampaignState) => boolean, what: string): Promise<CampaignState> {
  const end = Date.now() + 20_000;
  for (;;) {
    const s = await handle.query(campaignStateQuery);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ stage: s.stage, next: s.next })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ZHENGZHOU_OFFICE = 'ttbgs@zhengzhou.example.gov.cn';
const HENAN_OFFICE = 'ttbgs@henan.example.gov.cn';

describe('a Henan city’s annual campaign (Zhengzhou 410100, next year)', () => {
  it('reminds the city office before a milestone, escalates an uncompleted one to the province office after its due date, and not a completed one', async () => {
    const year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 1;
    const campaignId = campaignWorkflowId('410100', year);
    const handle = await lc.env.client.workflow.start(campaignWorkflow, {
      workflowId: campaignId,
      taskQueue: lc.taskQueue,
      args: [{ campaignId, division: '410100', year, policy: { id: 'henan', version: 'henan-2021.1' }, startedBy: actors.office, startedAt: new Date(await lc.env.currentTimeMs()).toISOString() }],
    });
    let s = await until(handle, (x) => x.ready, 'milestones');
    const survey = s.milestones.find((m) => m.id === 'report:zhengzhou_survey_to_city')!;
    expect(s.milestones[0]!.id).toBe(survey.id); // Zhengzhou's own 6月27日 report comes first
    expect(s).toMatchObject({ stage: 'planning', overdue: false, next: { id: survey.id, due: survey.due } });
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

    // A week before the survey report (reminders.campaign [7, 1]): the city office is reminded.
    await sleepUntil(cst(`${survey.due}T08:00`) - 6 * 86_400_000);
    const reminder = await lc.sink.waitFor((m) => m.subject.startsWith('【工作提醒】') && m.subject.includes(survey.nameZh) && m.subject.includes(`${year}年度`));
    expect(reminder.to).toEqual([ZHENGZHOU_OFFICE]);
    expect(reminder.subject).toContain('剩余7天');

    // After June 30 (plans, survey and the target plan due): each open one lapses and goes to the province office.
    await sleepUntil(cst(`${year}-07-01T12:00`));
    s = await until(handle, (x) => x.milestones.filter((m) => m.status === 'overdue').length === 3, 'three overdue milestones');
    expect(s.milestones.filter((m) => m.status === 'overdue').map((m) => m.id)).toEqual([survey.id, 'survey', 'report:target_plan_to_province']);
    expect(s.milestones.find((m) => m.id === 'plans_filed')).toMatchObject({ status: 'completed', note: '工作方案已印发', lapsedOn: null });
    expect(s.overdue).toBe(true);
    const escalation = await lc.sink.waitFor((m) => m.subject.startsWith('【逾期督办】') && m.subject.includes(survey.nameZh) && m.to.includes(HENAN_OFFICE));
    expect(escalation.subject).toContain(`已于${survey.due}到期未完成`);
    await lc.sink.waitFor((m) => m.subject.startsWith('【逾期督办】') && m.subject.includes(survey.nameZh) && m.to.includes(ZHENGZHOU_OFFICE));
    // The completed plans were neither reminded nor escalated.
    const aboutPlans = lc.sink.messages.filter((m) => m.headers['x-exitflow-campaign'] === campaignId && m.subject.includes('工作方案和联系人报送'));
    expect(aboutPlans).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(true);

    // Late, the office completes the survey report: it is recorded as late and stays completed.
    const late = await send(actors.office, survey.id);
    expect(late).toMatchObject({ milestoneId: survey.id, late: true });
    const { rows } = await lc.db.query(`SELECT kind, milestone_id FROM campaign_events WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
    const kinds = rows.map((r) => `${r.kind}:${r.milestone_id ?? ''}`);
    expect(kinds[0]).toBe('started:');
    expect(kinds).toEqual(expect.arrayContaining(['completed:plans_filed', `reminder:${survey.id}`, `overdue:${survey.id}`, `completed:${survey.id}`]));
    expect(kinds).not.toContain('overdue:plans_filed');
    const [row] = (await lc.db.query(`SELECT stage, overdue, policy_version, next_milestone FROM campaigns WHERE campaign_id = $1`, [campaignId])).rows;
    expect(row).toMatchObject({ stage: 'survey', overdue: true, policy_version: 'henan-2021.1', next_milestone: 'survey' });
    // A running campaign's history joins the replay test (test/replay.test.ts), like the cases'.
    await saveHistory(lc, { handle, caseId: campaignId } as unknown as Parameters<typeof saveHistory>[1], 'campaign-zhengzhou-survey-late');
  });
});
