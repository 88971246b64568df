import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { campaignStateQuery, draftReport } from '../../workflows/campaign-messages';
import { cst, officeActor, sleepUntil, startCampaign, until } from './campaign-support';
import { type Lifecycle, useLifecycle } from './harness';

/**
 * The campaign's own draft of a report fails for good (the activity refuses it): the campaign's clock
 * goes on — the milestone still lapses and escalates — the office is told, and its own draft works.
 */
let lc: Lifecycle;
let refuse = true;
useLifecycle(
  (l) => (lc = l),
  (real) => ({
    async draftCampaignReport(r: Parameters<typeof real.draftCampaignReport>[0]) {
      if (refuse) throw ApplicationFailure.create({ type: 'draft_refused', message: 'the ledger could not be read for this draft', nonRetryable: true });
      return real.draftCampaignReport(r);
    },
  }),
);

describe('a report the campaign cannot draft', () => {
  it('tells the office, keeps the campaign’s clock going, and takes the office’s own draft', async () => {
    const year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 1;
    const OFFICE = officeActor('411400', '商丘市淘汰落后产能工作领导小组办公室');
    const handle = await startCampaign(lc, '411400', year, { id: 'henan', version: 'henan-2021.1' }, OFFICE);
    const plan = (await handle.query(campaignStateQuery)).milestones.find((m) => m.id === 'report:target_plan_to_province')!;

    await sleepUntil(lc, cst(`${plan.due}T09:00`) - 7 * 86_400_000);
    const told = await lc.sink.waitFor((m) => m.subject.startsWith('【报告草稿未能生成】') && m.subject.includes('411400'));
    expect(told.text).toContain('reports/target_plan_to_province/drafts');
    // The clock went on: the milestone lapses on its date and escalates as any other.
    await sleepUntil(lc, cst(`${plan.due}T12:00`) + 86_400_000);
    let s = await until(handle, (x) => x.milestones.find((m) => m.id === plan.id)!.status === 'overdue', 'the target plan lapsed');
    expect(s.reports!.target_plan_to_province).toMatchObject({ status: 'pending', draft: null });
    // The office drafts it itself once the ledger reads again.
    refuse = false;
    const drafted = await handle.executeUpdate(draftReport, { args: [{ reportId: 'target_plan_to_province', actor: OFFICE as never, idempotencyKey: randomUUID() }] });
    expect(drafted).toMatchObject({ status: 'drafted', draft: { draft: 1 } });
    s = await handle.query(campaignStateQuery);
    expect(s.reports!.target_plan_to_province!.status).toBe('drafted');
  });
});
