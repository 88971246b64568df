import {
  closureRefusal,
  mayReadSupervision,
  mayReportConcealedCapacity,
  mayReportFollowUp,
  maySupervise,
  summonsRefusal,
  SUPERVISION_ID_PATTERN,
  supervisionWorkflowId,
  SupervisionInput,
} from '../../domain/supervision';

const office = (jurisdiction: string) => ({ role: 'coordination_office' as const, jurisdiction });

describe('supervision items (督办): ids, who acts, which dates', () => {
  it('names an item readably and the same for the same lag', () => {
    expect(supervisionWorkflowId('410102', 2027, { kind: 'milestone_lapsed', milestoneId: 'exit_by' })).toBe('supervision-410102-2027-milestone-exit_by');
    expect(supervisionWorkflowId('410102', 2027, { kind: 'milestone_lapsed', milestoneId: 'report:summary_to_province' })).toBe('supervision-410102-2027-milestone-report-summary_to_province');
    expect(supervisionWorkflowId('410102', 2027, { kind: 'pace', asOf: '2027-09-30' })).toBe('supervision-410102-2027-pace-2027-09-30');
    expect(supervisionWorkflowId('410102', 2027, { kind: 'concealed_capacity', creditCode: '91410100MA4000X7QR', foundOn: '2027-03-15' })).toBe('supervision-410102-2027-concealed-91410100MA4000X7QR-2027-03-15');
    for (const id of ['supervision-410102-2027-milestone-exit_by', 'supervision-410102-2027-pace-2027-09-30']) expect(id).toMatch(SUPERVISION_ID_PATTERN);
  });

  it.each([
    ['the supervisor’s office', true, office('410100')],
    ['the province office above it', true, office('410000')],
    ['the lagging county’s own office', false, office('410102')],
    ['another city’s office', false, office('410300')],
    ['the city government', false, { role: 'approving_government' as const, jurisdiction: '410100' }],
  ])('通报, 约谈 and closing by %s: allowed %s', (_who, allowed, p) => {
    expect(maySupervise(p, '410100').allowed).toBe(allowed);
  });

  it('the follow-up comes from the region’s own office; officials covering either division and operators read', () => {
    expect(mayReportFollowUp(office('410102'), '410102').allowed).toBe(true);
    expect(mayReportFollowUp(office('410100'), '410102').allowed).toBe(false);
    const item = { supervisor: '410100', region: '410102' };
    expect(mayReadSupervision({ role: 'enforcement_official', jurisdiction: '410102' }, item).allowed).toBe(true);
    expect(mayReadSupervision({ role: 'operator' }, item).allowed).toBe(true);
    expect(mayReadSupervision(office('410103'), item).allowed).toBe(false);
    expect(mayReadSupervision({ role: 'enterprise' }, item).allowed).toBe(false);
  });

  it('concealed capacity is reported by the campaign’s office or above, for its division or one inside it', () => {
    expect(mayReportConcealedCapacity(office('410100'), '410100', '410102').allowed).toBe(true);
    expect(mayReportConcealedCapacity(office('410000'), '410100', '410100').allowed).toBe(true);
    expect(mayReportConcealedCapacity(office('410102'), '410100', '410102').allowed).toBe(false);
    expect(mayReportConcealedCapacity(office('410100'), '410100', '410302').allowed).toBe(false);
  });

  it('a summons was held by today and sets a follow-up deadline after today; concealed capacity closes with 问责', () => {
    expect(summonsRefusal({ heldOn: '2027-05-10', followUpBy: '2027-06-10' }, '2027-05-10')).toBeUndefined();
    expect(summonsRefusal({ heldOn: '2027-05-11', followUpBy: '2027-06-10' }, '2027-05-10')).toMatchObject({ code: 'summons_in_future', field: 'heldOn' });
    expect(summonsRefusal({ heldOn: '2027-05-01', followUpBy: '2027-05-10' }, '2027-05-10')).toMatchObject({ code: 'follow_up_deadline_not_future', field: 'followUpBy' });
    expect(closureRefusal({ kind: 'concealed_capacity' }, {})).toMatchObject({ code: 'accountability_required' });
    expect(closureRefusal({ kind: 'pace' }, {})).toBeUndefined();
  });

  it('checks what starts an item', () => {
    const input = {
      itemId: 'supervision-410102-2027-milestone-exit_by',
      supervisor: '410100',
      region: '410102',
      campaignId: 'campaign-410100-2027',
      year: 2027,
      policy: { id: 'henan', version: 'henan-2021.1' },
      reason: { kind: 'milestone_lapsed', milestoneId: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: '2027-10-31' },
      openedBy: null,
      openedAt: '2027-11-01T00:00:00.000Z',
    };
    expect(SupervisionInput.safeParse(input).success).toBe(true);
    expect(SupervisionInput.safeParse({ ...input, reason: { kind: 'milestone_lapsed', milestoneId: 'exit_by' } }).success).toBe(false);
  });
});
