import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { addDays } from '../../domain/deadlines';
import { supervisionWorkflowId, type SupervisionReason } from '../../domain/supervision';
import { supervisionWorkflow } from '../../workflows/supervision';
import { closeItem, issueNotice, recordSummons, reportFollowUp, supervisionStateQuery, type SupervisionInput, type SupervisionState } from '../../workflows/supervision-messages';
import { SA } from '../../workflows/search-attributes';
import { actors, legalToday, rejection, saveHistory, useLifecycle, type Lifecycle } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

/**
 * 中牟县 (410122), a county of Zhengzhou that no other test uses, gets its own government and office
 * addresses, so a notice to the county is told apart from one to the city above it.
 */
const COUNTY = '410122';
const COUNTY_GOVERNMENT = 'zfb@zhongmu.example.gov.cn';
const COUNTY_OFFICE = 'ttbgs@zhongmu.example.gov.cn';
const ZHENGZHOU_OFFICE = 'ttbgs@zhengzhou.example.gov.cn';
const HENAN_OFFICE = 'ttbgs@henan.example.gov.cn';

const countyOffice = { id: 'zm-tt-01', name: '中牟县淘汰落后产能办公室', role: 'coordination_office', jurisdiction: COUNTY };
const henanOffice = { id: 'hn-tt-01', name: '河南省淘汰落后产能办公室', role: 'coordination_office', jurisdiction: '410000' };
const luoyangOffice = { id: 'ly-tt-01', name: '洛阳市淘汰落后产能办公室', role: 'coordination_office', jurisdiction: '410300' };

beforeAll(async () => {
  await lc.db.query(
    `INSERT INTO authority_contacts (region_code, role, department, email, name) VALUES ($1, 'approving_government', NULL, $2, '中牟县人民政府'), ($1, 'coordination_office', NULL, $3, '中牟县淘汰落后产能工作协调小组办公室')
     ON CONFLICT DO NOTHING`,
    [COUNTY, COUNTY_GOVERNMENT, COUNTY_OFFICE],
  );
});

async function sleepUntil(ms: number): Promise<void> {
  const now = await lc.env.currentTimeMs();
  if (ms > now) await lc.env.sleep(ms - now);
}
/** The instant `date` at `time` in China Standard Time. */
const cst = (date: string, time = '12:00') => Date.parse(`${date}T${time}:00+08:00`);

async function open(reason: SupervisionReason) {
  const year = Number((await legalToday(lc.env)).slice(0, 4));
  const itemId = supervisionWorkflowId(COUNTY, year, reason);
  const input: SupervisionInput = {
    itemId,
    supervisor: '410100',
    region: COUNTY,
    campaignId: `campaign-410100-${year}`,
    year,
    policy: { id: 'henan', version: 'henan-2021.1' },
    reason,
    openedBy: null,
    openedAt: new Date(await lc.env.currentTimeMs()).toISOString(),
  };
  const handle = await lc.env.client.workflow.start(supervisionWorkflow, { workflowId: itemId, taskQueue: lc.taskQueue, args: [input] });
  await until(handle, (s) => s.ready, 'item recorded');
  return { handle, itemId, year };
}

type Handle = Awaited<ReturnType<typeof open>>['handle'];

async function until(handle: Handle, pred: (s: SupervisionState) => boolean, what: string): Promise<SupervisionState> {
  const end = Date.now() + 20_000;
  for (;;) {
    const s = await handle.query(supervisionStateQuery);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ status: s.status, overdue: s.overdue, followUpBy: s.followUpBy })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const key = () => ({ idempotencyKey: randomUUID() });
const mailsOf = (itemId: string) => lc.sink.messages.filter((m) => m.headers['x-exitflow-supervision'] === itemId);

describe('a supervision item for a lagging county (中牟县 410122, supervised by Zhengzhou)', () => {
  it('mails a 通报 to the county government and office, reminds the county of the 约谈 follow-up deadline and, unanswered, escalates to Zhengzhou and Henan', async () => {
    const today = await legalToday(lc.env);
    const { handle, itemId, year } = await open({ kind: 'milestone_lapsed', milestoneId: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: `${Number(today.slice(0, 4))}-10-31` });
    expect(itemId).toBe(`supervision-${COUNTY}-${year}-milestone-exit_by`);
    expect((await handle.describe()).typedSearchAttributes.get(SA.region)).toBe(COUNTY);
    expect((await handle.describe()).typedSearchAttributes.get(SA.stage)).toBe('open');

    // 通报: not by the county itself, another city's office or an enforcement official.
    const text = '中牟县落后产能退出工作进展缓慢，未按期完成退出任务，现予通报。';
    for (const actor of [countyOffice, luoyangOffice, actors.official]) {
      expect((await rejection(handle.executeUpdate(issueNotice, { args: [{ text, publish: true, actor, ...key() }] }))).code).toBe('not_the_supervisor');
    }
    const noticeKey = key();
    const notice = await handle.executeUpdate(issueNotice, { args: [{ text, publish: true, actor: actors.office, ...noticeKey }] });
    expect(notice).toMatchObject({ action: 'issueNotice', itemId, status: 'open', noticeId: `${itemId}/notice/1` });
    expect(await handle.executeUpdate(issueNotice, { args: [{ text, publish: true, actor: actors.office, ...noticeKey }] })).toEqual(notice);
    const mailed = await lc.sink.waitFor((m) => m.headers['x-exitflow-supervision'] === itemId && m.subject.startsWith('【通报】'));
    expect(mailed.to.sort()).toEqual([COUNTY_OFFICE, COUNTY_GOVERNMENT].sort());
    expect(mailed.text).toContain(text);

    // 约谈: held today at the latest, with a follow-up deadline after today; the province office may record it too.
    const summons = { summoned: [{ name: '王某', title: '中牟县人民政府副县长' }], minutesRef: '郑淘汰办纪〔2026〕3号' };
    const bad = async (heldOn: string, followUpBy: string) => rejection(handle.executeUpdate(recordSummons, { args: [{ ...summons, heldOn, followUpBy, actor: actors.office, ...key() }] }));
    expect(await bad(addDays(today, 1), addDays(today, 20))).toMatchObject({ code: 'summons_in_future', field: 'heldOn', messageZh: expect.stringContaining('晚于今日') });
    expect(await bad(today, today)).toMatchObject({ code: 'follow_up_deadline_not_future', field: 'followUpBy' });
    expect(await bad(today, `${year + 1}-02-30`)).toMatchObject({ code: 'invalid_input', field: 'followUpBy', messageZh: '日期不存在' });
    const summoned = await handle.executeUpdate(recordSummons, { args: [{ ...summons, heldOn: today, followUpBy: addDays(today, 20), actor: henanOffice, ...key() }] });
    expect(summoned).toMatchObject({ status: 'summoned', summonsId: `${itemId}/summons/1` });
    const due = summoned.followUpBy!;
    expect(due >= addDays(today, 20)).toBe(true); // rolled forward off a rest day, never earlier
    expect((await handle.describe()).typedSearchAttributes.get(SA.deadline)?.toISOString()).toBe(new Date(Date.parse(`${addDays(due, 1)}T00:00:00+08:00`)).toISOString());
    // The follow-up comes from the county's own office only.
    expect((await rejection(handle.executeUpdate(reportFollowUp, { args: [{ text: '已整改', actor: actors.office, ...key() }] }))).code).toBe('not_the_region_office');

    // A week before (Henan's reminders.campaign [7, 1]): the county office is reminded.
    await sleepUntil(cst(addDays(due, -7), '10:00'));
    const reminder = await lc.sink.waitFor((m) => m.headers['x-exitflow-supervision'] === itemId && m.subject.startsWith('【督办提醒】'));
    expect(reminder.to).toEqual([COUNTY_OFFICE]);
    expect(reminder.subject).toContain(`${due}前报告`);

    // The day after the deadline, unanswered: overdue, and Zhengzhou's office and Henan's above it hear.
    await sleepUntil(cst(addDays(due, 1)));
    const s = await until(handle, (x) => x.overdue, 'overdue');
    expect(s.summons[0]).toMatchObject({ lapsedOn: due, answeredOn: null, remindersSent: [7, 1] });
    const escalation = await lc.sink.waitFor((m) => m.headers['x-exitflow-supervision'] === itemId && m.subject.startsWith('【逾期未报】'));
    expect(escalation.to.sort()).toEqual([HENAN_OFFICE, ZHENGZHOU_OFFICE].sort());
    expect(escalation.to).not.toContain(COUNTY_OFFICE);
    expect((await handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(true);
    expect(mailsOf(itemId).filter((m) => m.subject.startsWith('【通报】'))).toHaveLength(1);

    // Late, the county reports; Zhengzhou closes the item and the workflow ends.
    expect(await handle.executeUpdate(reportFollowUp, { args: [{ text: '已完成2号高炉拆除，整改到位。', actor: countyOffice, ...key() }] })).toMatchObject({ status: 'follow_up_reported', late: true, overdue: false });
    expect((await handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(false);
    expect(await handle.executeUpdate(closeItem, { args: [{ conclusion: '整改到位，予以办结。', actor: actors.office, ...key() }] })).toMatchObject({ status: 'closed' });
    expect((await handle.result()).status).toBe('closed');
    await saveHistory(lc, { handle, caseId: itemId } as never, 'supervision-zhongmu-summons-lapsed');
    // The closed item's workflow has ended: nothing more is taken (the API answers 409 item_closed).
    await expect(handle.executeUpdate(issueNotice, { args: [{ text, publish: false, actor: actors.office, ...key() }] })).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const { rows } = await lc.db.query(`SELECT kind FROM supervision_events WHERE item_id = $1 ORDER BY id`, [itemId]);
    expect(rows.map((r) => r.kind)).toEqual(['opened', 'notice', 'summons', 'reminder', 'reminder', 'overdue', 'follow_up', 'closed']);
    const [row] = (await lc.db.query(`SELECT status, overdue, reason_kind, closed_at IS NOT NULL AS closed FROM supervision_items WHERE item_id = $1`, [itemId])).rows;
    expect(row).toEqual({ status: 'closed', overdue: false, reason_kind: 'milestone_lapsed', closed: true });
    const lapsed = (await lc.db.query(`SELECT detail FROM supervision_events WHERE item_id = $1 AND kind = 'follow_up'`, [itemId])).rows[0];
    expect(lapsed.detail).toMatchObject({ late: true });
    const notices = (await lc.db.query(`SELECT text, publish FROM supervision_notices WHERE item_id = $1`, [itemId])).rows;
    expect(notices).toEqual([{ text, publish: true }]);
  });

  it('a follow-up that arrives in time stops the watch: nothing escalates', async () => {
    const today = await legalToday(lc.env);
    const { handle, itemId } = await open({ kind: 'pace', asOf: today, reasons: [{ kind: 'pace', industry: 'steel', unit: '万吨/年', share: 0.2, laggingBelow: 0.6 }] });
    expect(itemId).toBe(`supervision-${COUNTY}-${today.slice(0, 4)}-pace-${today}`);
    const { followUpBy: due } = await handle.executeUpdate(recordSummons, { args: [{ heldOn: today, summoned: [{ name: '李某', title: '中牟县工信局局长' }], minutesRef: '纪要〔2026〕5号', followUpBy: addDays(today, 10), actor: actors.office, ...key() }] });
    await sleepUntil(cst(addDays(due!, -3)));
    expect(await handle.executeUpdate(reportFollowUp, { args: [{ text: '已制定整改方案，落后产能已全部封存。', actor: countyOffice, ...key() }] })).toMatchObject({ status: 'follow_up_reported', late: false, followUpBy: null });
    await sleepUntil(cst(addDays(due!, 3)));
    const s = await handle.query(supervisionStateQuery);
    expect(s).toMatchObject({ status: 'follow_up_reported', overdue: false });
    expect(s.summons[0]).toMatchObject({ lapsedOn: null, answeredOn: expect.any(String) });
    expect(mailsOf(itemId).map((m) => m.subject).filter((x) => x.startsWith('【逾期未报】'))).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(false);
    await handle.executeUpdate(closeItem, { args: [{ conclusion: '按期整改，办结。', actor: actors.office, ...key() }] });
    expect((await handle.result()).status).toBe('closed');
  });

  it('concealed capacity closes only with its accountability outcome (问责)', async () => {
    const today = await legalToday(lc.env);
    const { handle } = await open({
      kind: 'concealed_capacity',
      creditCode: '91410100MA4000X7QR',
      enterpriseName: '中牟县某铸造有限公司',
      facilities: [{ name: '1号冲天炉', capacity: 5, unit: '万吨/年' }],
      industry: 'foundry',
      source: 'public_report',
      foundOn: today,
    });
    const refused = await rejection(handle.executeUpdate(closeItem, { args: [{ conclusion: '已核实', actor: actors.office, ...key() }] }));
    expect(refused).toMatchObject({ code: 'accountability_required', field: 'accountability', messageZh: '隐瞒产能的督办事项须写明问责情况' });
    const bad = await rejection(handle.executeUpdate(closeItem, { args: [{ conclusion: '已核实', accountability: { category: 'scolded' as never, text: 'x' }, actor: actors.office, ...key() }] }));
    expect(bad).toMatchObject({ code: 'invalid_input', field: 'accountability.category' });
    const closed = await handle.executeUpdate(closeItem, {
      args: [{ conclusion: '隐瞒产能属实，已责令拆除。', accountability: { category: 'admonishment', text: '对中牟县工信局分管副局长诫勉谈话' }, actor: actors.office, ...key() }],
    });
    expect(closed.status).toBe('closed');
    expect((await handle.result()).closure).toMatchObject({ accountability: { category: 'admonishment' } });
  });
});
