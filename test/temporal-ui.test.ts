import { randomInt } from 'node:crypto';
import request from 'supertest';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Principal } from '../domain/roles';
import { SA } from '../workflows/search-attributes';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/**
 * What an operator reads of a case in Temporal UI (patch 'ui-metadata'): the list's summary and the
 * enterprise's name, the case's details, what it waits for now, and the timeline's timers and
 * activities in the case file's words, all from the dev server the test stack runs.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

type Event = temporal.api.history.v1.IHistoryEvent;
const summaryOf = (e: Event): string | undefined => {
  const p = e.userMetadata?.summary;
  return p ? defaultPayloadConverter.fromPayload<string>(p as never) : undefined;
};
const { EventType } = temporal.api.enums.v1;
const EVENT_TIMER_STARTED = EventType.EVENT_TYPE_TIMER_STARTED;
const EVENT_ACTIVITY_SCHEDULED = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;
const typeName = (e: Event): number => e.eventType as number;
/**
 * An activity as the timeline shows it: a scheduled (remote) activity, or a local activity's marker
 * (patch local-steps: the case's writes and mails run inside its workflow task); both carry the summary.
 */
const isActivity = (e: Event): boolean =>
  typeName(e) === EVENT_ACTIVITY_SCHEDULED || (typeName(e) === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity');

/** Poll `read` until `ok` holds (or 20 s pass) and return its last value, so a failure shows what was there. */
async function settled<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const until = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of stack.temporal.workflow.list({ query })) ids.push(w.workflowId);
  return ids;
}

describe('Temporal UI reads a case like its file', () => {
  it('shows the summary, details, current stage, timers and activities in Chinese, and lists the case by enterprise and by who is awaited', async () => {
    const auth = await bearer(officials.zhengzhouIndustry);
    const name = `郑州市中原钢铁有限公司（界面${randomInt(100000, 999999)}）`;
    const e = enterpriseBody({ name });
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
    const body = openCaseBody(e.creditCode);
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(body);
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    const deadline = opened.body.deadline as string;
    expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const handle = stack.temporal.workflow.getHandle(caseId);

    // The list's one line and the case's details (region, policy version, legal basis).
    const d = await handle.describe();
    expect(await d.staticSummary()).toBe(`${name} · 能耗 · ${body.caseNumber}`);
    const details = await d.staticDetails();
    expect(details).toContain('河南省 郑州市 中原区（410102）');
    expect(details).toMatch(/\*\*政策版本\*\*：.+（henan@henan-\d{4}\.\d+）/);
    expect(details).toContain(body.legalBasis);
    expect(details).toContain('工信部联产业〔2017〕30号');
    expect(d.typedSearchAttributes.get(SA.enterprise)).toBe(name);

    // What it waits for now: the UI's "current details" (the SDK's built-in metadata query).
    const current = async () => (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails;
    // A deadline in a year whose official holidays are not yet published is marked provisional (暂定).
    const rectifying = new RegExp(`^限期整改 · 整改期限 ${deadline}(（暂定）)? · 等待企业提交整改报告$`);
    expect(await settled(current, (c) => rectifying.test(c ?? ''))).toMatch(rectifying);

    // The timeline: the timer towards the rectification deadline (or its first reminder) and each activity, in words.
    const history = await handle.fetchHistory();
    const timers = (history.events ?? []).filter((ev) => typeName(ev) === EVENT_TIMER_STARTED).map(summaryOf);
    expect(timers.length).toBeGreaterThan(0);
    for (const t of timers) expect(t).toMatch(new RegExp(`^整改期限 ${deadline} (届满|前\\d+天提醒（\\d{4}-\\d{2}-\\d{2}）)$`));
    const activities = (history.events ?? []).filter(isActivity).map(summaryOf);
    expect(activities).toEqual(expect.arrayContaining(['立案：写入案件台账', `进入阶段：限期整改（期限 ${deadline}）`, '送达整改通知书 → 企业']));
    expect(activities.every((s) => typeof s === 'string' && s.length > 0)).toBe(true);

    // The list filters by the enterprise's name and by who is awaited.
    const byEnterprise = `ExitflowEnterprise = "${name}"`;
    expect(await settled(() => listIds(`${byEnterprise} AND ExitflowAwaiting = "enterprise"`), (ids) => ids.length > 0)).toEqual([caseId]);
    expect(await listIds(`${byEnterprise} AND ExitflowAwaiting = "government"`)).toEqual([]);

    // The enterprise asks for more time: now an official is awaited, with the decision's due date.
    const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
    const asked = await request(stack.app).post(`/api/v1/cases/${caseId}/extension-requests`).set('Authorization', await bearer(enterprise)).send({ months: 3, reason: '改造工期' });
    expect(asked.status).toBe(200);
    const waiting = await settled(current, (c) => !!c?.startsWith('延期申请待批'));
    expect(waiting).toMatch(/^延期申请待批 · 等待.+(人民政府|部门)延期整改申请（到期 \d{4}-\d{2}-\d{2}）$/);
    const awaited = waiting!.includes('人民政府') ? 'government' : 'department';
    expect(await settled(() => listIds(`${byEnterprise} AND ExitflowAwaiting = "${awaited}"`), (ids) => ids.length > 0)).toEqual([caseId]);
    expect(await listIds(`${byEnterprise} AND ExitflowAwaiting = "enterprise"`)).toEqual([]);
    const later = await handle.fetchHistory();
    const decisionTimers = (later.events ?? []).filter((ev) => typeName(ev) === EVENT_TIMER_STARTED).map(summaryOf);
    expect(decisionTimers.some((t) => /^等待.+延期整改申请（到期 \d{4}-\d{2}-\d{2}）( · 前\d+天提醒（\d{4}-\d{2}-\d{2}）)?$/.test(t ?? ''))).toBe(true);
    const laterActivities = (later.events ?? []).filter(isActivity).map(summaryOf);
    expect(laterActivities.some((s) => /^列入待办：.+延期整改申请（到期 \d{4}-\d{2}-\d{2}）$/.test(s ?? ''))).toBe(true);
  });
});
