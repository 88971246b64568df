import { isOnList, LIST_MEMBERSHIP, publishedPerDepartment, type CaseListKind } from '../../domain/lists';
import { STAGES, type Stage } from '../../domain/stages';

const energy = (stage: Stage, entered: Stage[] = [stage]) => ({ stage, dimension: 'energy' as const, serious: false, entered });
const onYellow = (stage: Stage) => isOnList('yellow', energy(stage));

describe('which stages put a case on which public list', () => {
  test.each([
    ['rectification', true],
    ['suspended_production', true],
    ['extension_requested', true],
    ['reinspection', true],
    ['closure_proposed', true], // 不达标 until the government decides: stays on the yellow list
    ['opened', false],
    ['compliant', false],
    ['closure_ordered', false], // the red list takes it
    ['exited', false],
  ] as const)('yellow list in stage %s: %s', (stage, on) => {
    expect(onYellow(stage)).toBe(on);
  });

  test('the red list keeps a case once closure was ordered, whatever comes after', () => {
    expect(isOnList('red', energy('exited', ['rectification', 'closure_proposed', 'closure_ordered', 'exit_in_progress', 'exited']))).toBe(true);
    expect(isOnList('red', energy('closed_with_reasons', ['rectification', 'closure_proposed', 'closed_with_reasons']))).toBe(false);
  });

  test('the environment lists take environment cases only; the serious list only serious ones', () => {
    const emitter = { stage: 'closure_proposed' as const, dimension: 'environment' as const, serious: true, entered: ['closure_proposed' as const] };
    expect(isOnList('over_standard', emitter)).toBe(true);
    expect(isOnList('serious_over_standard', emitter)).toBe(true);
    expect(isOnList('serious_over_standard', { ...emitter, serious: false })).toBe(false);
    expect(isOnList('over_standard', energy('rectification'))).toBe(false);
  });

  test('every stage named by a list is a stage of the case', () => {
    for (const m of Object.values(LIST_MEMBERSHIP)) for (const s of [...(m.stages ?? []), ...(m.entered ? [m.entered] : [])]) expect(STAGES).toContain(s);
  });

  test('only the yellow and red lists are published per department', () => {
    const kinds = [...(Object.keys(LIST_MEMBERSHIP) as CaseListKind[]), 'exit_announcement' as const];
    expect(kinds.filter(publishedPerDepartment)).toEqual(['yellow', 'red']);
  });
});
