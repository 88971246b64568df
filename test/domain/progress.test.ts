import { campaignProgress, exitMethodAsOf, pace, type ProgressInput, reasonZh, type RetiredRow, subdivisionOf } from '../../domain/progress';
import { policyFor } from '../../domain/policy';
import { HENAN } from '../../domain/policy/regions/henan';
import { deriveRegionalPolicy } from '../../domain/policy/regions/derive';

const T = '万吨/年';

describe('the pace: the elapsed share of the exit window, from the policy’s campaign dates', () => {
  test.each([
    // [division, year, asOf, window from, window by, expected share]
    ['410100', 2026, '2025-12-31', '2026-01-01', '2026-10-31', 0], // Henan: no exitFrom, so from Jan 1
    ['410100', 2026, '2026-01-01', '2026-01-01', '2026-10-31', 1 / 304],
    ['410100', 2026, '2026-06-30', '2026-01-01', '2026-10-31', 181 / 304],
    ['410100', 2026, '2026-10-31', '2026-01-01', '2026-10-31', 1],
    ['410100', 2026, '2026-11-30', '2026-01-01', '2026-10-31', 1], // past the window: all of it expected
    ['210100', 2021, '2021-05-31', '2021-06-01', '2021-09-30', 0], // Liaoning 二(二): 6月1日–9月30日
    ['210100', 2021, '2021-07-31', '2021-06-01', '2021-09-30', 61 / 122],
    ['440300', 2023, '2023-07-02', '2023-01-01', '2023-12-31', 183 / 365], // Guangdong: all-year enforcement
    ['110105', 2026, '2026-07-02', '2026-01-01', '2026-12-31', 183 / 365], // national: all year
  ])('%s in %i as of %s: window %s–%s, expected share %d', (division, year, asOf, from, by, expected) => {
    const p = pace(policyFor(division), year, asOf);
    expect(p).toMatchObject({ from, by, factor: 0.8 });
    expect(p.expectedShare).toBeCloseTo(expected, 10);
    expect(p.laggingBelow).toBeCloseTo(0.8 * expected, 10);
  });

  test('the pace factor is a marked default in every shipped policy (no seed sets one)', () => {
    for (const division of ['110105', '210100', '410100', '440300', '350100', '652300']) {
      expect(pace(policyFor(division), 2026, '2026-06-30').isDefault).toBe(true);
    }
  });
});

describe('which sub-division a region lies in', () => {
  test.each([
    ['410000', ['410100', '410200', '419000'], '410102', '410100'],
    ['410000', ['410100', '410200', '419000'], '419001', '419000'], // 济源: the province's directly governed group
    ['410000', ['410100', '410200', '419000'], '410000', '410000'], // held at the province itself
    ['411000', ['411002', '411081'], '411081', '411081'],
    ['411000', ['411002', '411081'], '411000', '411000'],
  ])('in %s (children %j) %s → %s', (division, children, region, expected) => {
    expect(subdivisionOf(division, children, region)).toBe(expected);
  });
});

describe('how exited capacity stood on the ledger’s date', () => {
  test.each([
    [{ how: 'dismantled', sealedOn: null, dismantledOn: '2026-05-01' }, '2026-06-30', 'dismantled'],
    [{ how: 'dismantled', sealedOn: '2026-03-01', dismantledOn: '2026-08-01' }, '2026-06-30', 'sealed'], // dismantled only later
    [{ how: 'dismantled', sealedOn: '2026-03-01', dismantledOn: '2026-06-30' }, '2026-06-30', 'dismantled'],
    [{ how: 'sealed', sealedOn: '2026-03-01', dismantledOn: null }, '2026-06-30', 'sealed'],
    [{ how: 'emergency_backup', sealedOn: '2026-03-01', dismantledOn: null }, '2026-06-30', 'emergency_backup'],
  ] as const)('%j as of %s: %s', (row, asOf, expected) => {
    expect(exitMethodAsOf(row, asOf)).toBe(expected);
  });
});

// Xuchang (411000), Henan, 2026, as of Jun 30: 181/304 of the window elapsed, so a line lags below 0.8 × 0.595 ≈ 0.476.
const row = (region: string, how: RetiredRow['how'], capacity: number, o: Partial<RetiredRow> = {}): RetiredRow => ({
  region,
  industry: 'cement',
  unit: T,
  how,
  creditCode: `CC-${region}-${how}-${capacity}`,
  capacity,
  facilities: 1,
  ...o,
});

const input = (o: Partial<ProgressInput> = {}): ProgressInput => ({
  policy: HENAN,
  division: '411000',
  year: 2026,
  asOf: '2026-06-30',
  targets: [
    { industry: 'cement', unit: T, capacity: 300, enterprises: 4, facilities: 5 },
    { industry: 'steel', unit: T, capacity: 100, enterprises: 1, facilities: 1 },
  ],
  subdivisionTargets: [
    { division: '411081', industry: 'cement', unit: T, capacity: 100, enterprises: 2, facilities: 2 }, // 禹州市
    { division: '411082', industry: 'cement', unit: T, capacity: 200, enterprises: 2, facilities: 3 }, // 长葛市
    { division: '411082', industry: 'steel', unit: T, capacity: 100, enterprises: 1, facilities: 1 },
  ],
  retired: [
    row('411081', 'dismantled', 40),
    row('411081', 'sealed', 30), // 30号文 (九): sealed has exited
    row('411082', 'dismantled', 20),
    row('411082', 'dismantled', 5, { industry: 'coal_power', unit: 'MW' }), // no target line
  ],
  cases: [
    { region: '411081', open: 3, overdue: 0 },
    { region: '411024', open: 2, overdue: 1 }, // 鄢陵县: no target, one case past its deadline
    { region: '411000', open: 1, overdue: 0 }, // held at the city's own level
  ],
  ...o,
});

describe('the ledger of a campaign: retired against target per industry and unit', () => {
  const ledger = campaignProgress(input());

  test('totals: sealed counts as exited, units never add up, remaining and share per line', () => {
    expect(ledger.totals).toEqual([
      {
        industry: 'cement',
        unit: T,
        target: { capacity: 300, enterprises: 4, facilities: 5 },
        retired: { capacity: 90, enterprises: 3, facilities: 3, byHow: { dismantled: 60, sealed: 30, emergency_backup: 0 } },
        remaining: { capacity: 210, enterprises: 1, facilities: 2 },
        share: 0.3,
      },
      { industry: 'steel', unit: T, target: { capacity: 100, enterprises: 1, facilities: 1 }, retired: { capacity: 0, enterprises: 0, facilities: 0, byHow: { dismantled: 0, sealed: 0, emergency_backup: 0 } }, remaining: { capacity: 100, enterprises: 1, facilities: 1 }, share: 0 },
      { industry: 'coal_power', unit: 'MW', target: null, retired: { capacity: 5, enterprises: 1, facilities: 1, byHow: { dismantled: 5, sealed: 0, emergency_backup: 0 } }, remaining: null, share: null },
    ]);
    expect(ledger.cases).toEqual({ open: 6, overdue: 1 });
  });

  test('emergency backup (关而不拆) counts as exited, marked as such', () => {
    const l = campaignProgress(input({ retired: [row('411081', 'emergency_backup', 50)] }));
    expect(l.totals[0]!.retired).toMatchObject({ capacity: 50, byHow: { emergency_backup: 50, sealed: 0, dismantled: 0 } });
  });

  test('retired beyond the target leaves nothing remaining, never a negative figure', () => {
    const l = campaignProgress(input({ retired: [row('411081', 'dismantled', 350, { facilities: 9 })] }));
    expect(l.totals[0]).toMatchObject({ remaining: { capacity: 0, enterprises: 3, facilities: 0 }, share: 350 / 300 });
  });

  test('decimal capacities sum without binary noise', () => {
    const l = campaignProgress(input({ retired: [row('411081', 'dismantled', 0.1), row('411081', 'sealed', 0.2)] }));
    expect(l.totals[0]!.retired.capacity).toBe(0.3);
  });

  test('every county and district of the city is a sub-division, and the city’s own level where something is held there', () => {
    expect(ledger.subdivisions.map((s) => [s.division, s.name])).toEqual([
      ['411002', '魏都区'],
      ['411003', '建安区'],
      ['411024', '鄢陵县'],
      ['411025', '襄城县'],
      ['411071', '许昌经济技术开发区'],
      ['411081', '禹州市'],
      ['411082', '长葛市'],
      ['411000', '许昌市本级'],
    ]);
    const yuzhou = ledger.subdivisions.find((s) => s.division === '411081')!;
    expect(yuzhou.lines).toEqual([expect.objectContaining({ industry: 'cement', target: { capacity: 100, enterprises: 2, facilities: 2 }, share: 0.7 })]);
    expect(yuzhou.cases).toEqual({ open: 3, overdue: 0 });
    expect(ledger.subdivisions.find((s) => s.own)).toMatchObject({ cases: { open: 1, overdue: 0 }, lagging: false });
  });

  test('a sub-division lags below the pace (naming the line) or with overdue cases; one ahead of the pace does not', () => {
    expect(ledger.lagging).toEqual([
      { division: '411024', name: '鄢陵县', reasons: [{ kind: 'overdue', cases: 1 }] },
      {
        division: '411082',
        name: '长葛市',
        reasons: [
          { kind: 'pace', industry: 'cement', unit: T, share: 0.1, laggingBelow: expect.closeTo(0.8 * (181 / 304), 10) },
          { kind: 'pace', industry: 'steel', unit: T, share: 0, laggingBelow: expect.closeTo(0.8 * (181 / 304), 10) },
        ],
      },
    ]);
    expect(ledger.subdivisions.find((s) => s.division === '411081')!.lagging).toBe(false); // 禹州市: 70% ≥ 47.6%
  });

  test('a sub-division whose own campaign let milestones lapse lags for that too; the city’s own level is never named', () => {
    const l = campaignProgress(input({ subdivisionCampaigns: [{ division: '411081', lapsed: ['摸底排查完成、目标计划公示'] }, { division: '411000', lapsed: ['x'] }, { division: '411025', lapsed: [] }] }));
    expect(l.lagging.find((s) => s.division === '411081')).toEqual({ division: '411081', name: '禹州市', reasons: [{ kind: 'milestones', milestones: ['摸底排查完成、目标计划公示'] }] });
    expect(l.lagging.map((s) => s.division)).toEqual(['411024', '411081', '411082']);
    expect(reasonZh({ kind: 'milestones', milestones: ['a', 'b'] })).toBe('本级工作逾期未完成：a、b');
  });

  test('a target a sub-division’s own campaign holds (目标任务分解下达) replaces what the city’s survey found there, line by line', () => {
    // 禹州市's cement target raised to 200 in its own campaign: 70 exited is 35%, below the pace (47.6%);
    // a county inside 禹州市 is not a sub-division of the city and is not read; 长葛市's steel line stays as surveyed.
    const l = campaignProgress(
      input({
        subdivisionOwnTargets: [
          { division: '411081', industry: 'cement', unit: T, capacity: 200, enterprises: 3, facilities: 4 },
          { division: '411082', industry: 'coal_power', unit: 'MW', capacity: 10, enterprises: 1, facilities: 1 },
        ],
      }),
    );
    const yuzhou = l.subdivisions.find((s) => s.division === '411081')!;
    expect(yuzhou.lines).toEqual([expect.objectContaining({ industry: 'cement', target: { capacity: 200, enterprises: 3, facilities: 4 }, share: 0.35 })]);
    expect(yuzhou.lagging).toBe(true);
    const changge = l.subdivisions.find((s) => s.division === '411082')!;
    expect(changge.lines.map((x) => [x.industry, x.target?.capacity])).toEqual([
      ['cement', 200],
      ['steel', 100],
      ['coal_power', 10],
    ]);
    // The city's own totals are its own target list, whatever its sub-divisions hold.
    expect(l.totals[0]!.target).toEqual({ capacity: 300, enterprises: 4, facilities: 5 });
  });

  test('before the exit window opens nothing lags on pace', () => {
    const l = campaignProgress(input({ asOf: '2025-12-31', cases: [] }));
    expect(l.pace.expectedShare).toBe(0);
    expect(l.lagging).toEqual([]);
  });

  test('the policy’s pace factor decides: at 0.1 of the expected share 长葛市 keeps up on cement but not on steel', () => {
    const lenient = deriveRegionalPolicy(HENAN, { ...idOf('lenient'), campaign: { laggingBelowPaceShare: 0.1 } });
    const l = campaignProgress(input({ policy: lenient, cases: [] }));
    expect(l.pace).toMatchObject({ factor: 0.1, isDefault: false });
    expect(l.lagging).toEqual([{ division: '411082', name: '长葛市', reasons: [expect.objectContaining({ kind: 'pace', industry: 'steel' })] }]);
  });

  test('a county campaign has no sub-divisions: its own level is its only row', () => {
    const l = campaignProgress(input({ division: '411081', targets: [], subdivisionTargets: [], retired: [row('411081', 'sealed', 30)], cases: [] }));
    expect(l.subdivisions.map((s) => [s.division, s.own])).toEqual([['411081', true]]);
    expect(l.lagging).toEqual([]);
  });
});

function idOf(id: string) {
  return { id, version: `${id}-2026.1`, region: '41', name: id, nameZh: id, sources: [{ seed: 'henan-zhengzhou-2021.txt', clause: 'test' }] };
}
