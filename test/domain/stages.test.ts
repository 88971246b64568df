import { ACTION_ROLES, ACTIONS, STAGE_ACTIONS, STAGE_NAMES_ZH, STAGES, TERMINAL_STAGES } from '../../domain/stages';
import { INPUT_SCHEMAS } from '../../domain/inputs';
import { CASE_UPDATES } from '../../workflows/messages';

describe('the stage → accepted inputs table', () => {
  it('names every stage in Chinese and lets terminal stages accept nothing', () => {
    for (const stage of STAGES) expect(STAGE_NAMES_ZH[stage]).toMatch(/\p{Script=Han}/u);
    for (const stage of TERMINAL_STAGES) expect(STAGE_ACTIONS[stage]).toEqual([]);
  });

  it('has every input accepted somewhere, with roles, a payload schema and an update of the same name', () => {
    for (const action of ACTIONS) {
      expect(STAGES.some((s) => STAGE_ACTIONS[s].includes(action))).toBe(true);
      expect(ACTION_ROLES[action].length).toBeGreaterThan(0);
      expect(INPUT_SCHEMAS[action]).toBeDefined();
      expect(CASE_UPDATES[action].name).toBe(action);
    }
  });

  it('refuses an extension request without an idempotency key or with a negative period', () => {
    const actor = { id: 'e', name: 'e', role: 'enterprise' };
    expect(INPUT_SCHEMAS.requestExtension.safeParse({ actor, months: 3 }).success).toBe(false);
    expect(INPUT_SCHEMAS.requestExtension.safeParse({ actor, months: -1, idempotencyKey: 'k' }).success).toBe(false);
    expect(INPUT_SCHEMAS.requestExtension.safeParse({ actor, months: 3, idempotencyKey: 'k' }).success).toBe(true);
  });
});
