import type { HolidayCalendarData } from '../../domain/calendar';
import { campaignWorkflowId } from '../../domain/campaign';
import { campaignStateQuery } from '../../workflows/campaign-messages';
import { cst, saveCampaignHistory, sleepUntil, startCampaign, until } from './campaign-support';
import { type Lifecycle, useLifecycle } from './harness';

/**
 * A campaign milestone in a year whose official calendar is not yet published (Guangzhou's summary to
 * the province, 次年1月10日前) is rolled with weekends only. The State Council then declares January
 * 10–12 holidays: before the campaign drafts the report, it reads the calendar again and the summary
 * falls due on the 13th, drafted a week before that.
 */
let lc: Lifecycle;
let published = false;
let year = 0;

useLifecycle(
  (l) => (lc = l),
  (real) => ({
    async holidayCalendar(years: number[]): Promise<HolidayCalendarData> {
      const cal = await real.holidayCalendar(years);
      const known = { years: cal.years.filter((y) => y <= year), holidays: cal.holidays.filter((d) => Number(d.slice(0, 4)) <= year), workdays: cal.workdays.filter((d) => Number(d.slice(0, 4)) <= year) };
      if (!published) return { ...known, years: [year] };
      return { years: [year, year + 1], holidays: [...known.holidays, `${year + 1}-01-10`, `${year + 1}-01-11`, `${year + 1}-01-12`].sort(), workdays: known.workdays };
    },
  }),
);

describe('a campaign date rolled without its year’s calendar settles once the calendar is published', () => {
  it('moves the milestone, its report’s draft day and its reminders off the newly declared holidays', async () => {
    year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 1;
    const campaignId = campaignWorkflowId('440100', year);
    const handle = await startCampaign(lc, '440100', year, { id: 'guangdong', version: 'guangdong-2023.1' }, null);
    let s = await handle.query(campaignStateQuery);
    const id = 'report:local_summary_to_province';
    const planned = `${year + 1}-01-10`;
    expect(s.milestones.find((m) => m.id === id)).toMatchObject({ due: planned, provisional: true });
    expect(s.milestones.find((m) => m.id === 'survey')).not.toHaveProperty('provisional');
    expect(s.reports!.local_summary_to_province).toMatchObject({ due: planned, draftOn: `${year + 1}-01-03`, status: 'pending' });

    // The calendar is published late in the year; on January 3, the day the draft was due, the date settles first.
    published = true;
    await sleepUntil(lc, cst(`${year + 1}-01-03T12:00`));
    s = await until(handle, (x) => x.milestones.find((m) => m.id === id)!.due !== planned, 'the summary’s date settled');
    expect(s.milestones.find((m) => m.id === id)).toMatchObject({ due: `${year + 1}-01-13`, rolledFrom: planned, provisional: false, status: 'pending' });
    expect(s.reports!.local_summary_to_province).toMatchObject({ due: `${year + 1}-01-13`, draftOn: `${year + 1}-01-06`, status: 'pending' });
    const { rows } = await lc.db.query(`SELECT detail FROM campaign_events WHERE campaign_id = $1 AND kind = 'milestone_settled'`, [campaignId]);
    expect(rows.map((r) => r.detail)).toEqual([expect.objectContaining({ from: planned, to: `${year + 1}-01-13`, provisional: false })]);

    // Drafted on the 6th, a week before the settled date, and reminded of the 13th.
    await sleepUntil(lc, cst(`${year + 1}-01-06T12:00`));
    s = await until(handle, (x) => x.reports!.local_summary_to_province!.status === 'drafted', 'the summary drafted');
    expect(s.reports!.local_summary_to_province!.draft).toMatchObject({ cutOff: `${year + 1}-01-05` });
    const reminder = await lc.sink.waitFor((m) => m.subject.startsWith('【工作提醒】') && m.subject.includes('440100') && m.subject.includes('推动落后产能退出工作总结'));
    expect(reminder.subject).toContain(`将于${year + 1}-01-13到期`);

    await saveCampaignHistory(lc, handle, 'campaign-guangzhou-date-settled');
  });
});
