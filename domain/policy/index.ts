import type { z } from 'zod';
import type { CampaignDate, EscalationStep, Policy } from './schema';
import { NATIONAL } from './regions/national';
import { LIAONING } from './regions/liaoning';
import { HENAN } from './regions/henan';
import { GUANGDONG } from './regions/guangdong';
import { FUZHOU } from './regions/fuzhou';
import { CHANGJI } from './regions/changji';
import { DIVISION_CODE_PATTERN } from '../jurisdiction';
import { shippedKey, type PolicyKey } from './regions/derive';

export * from './schema';

/**
 * Every shipped policy version. A case pins one `version` when it starts and keeps it; a new plan
 * is a new entry here, never an edit of a shipped one.
 */
export const POLICIES: readonly Policy[] = Object.freeze([NATIONAL, LIAONING, HENAN, GUANGDONG, FUZHOU, CHANGJI]);

/** Each shipped policy's id, version and region, read without building it (inside a workflow a policy is built on first use). */
const KEYED: readonly { key: PolicyKey; policy: Policy }[] = POLICIES.map((policy) => ({ key: shippedKey(policy)!, policy }));

function assertDivisionCode(code: string): void {
  if (!DIVISION_CODE_PATTERN.test(code)) throw new RangeError(`not a 6-digit administrative division code: ${code}`);
}

/**
 * The policy for a 6-digit administrative division code (GB/T 2260): the one whose region prefix
 * is the longest match (410102 → Henan; 350102 → Fuzhou; 652301 → Changji), else national.
 * When a region has several versions, the last listed wins.
 */
export function policyFor(divisionCode: string): Policy {
  assertDivisionCode(divisionCode);
  let best = KEYED[0]!;
  for (const p of KEYED) {
    if (divisionCode.startsWith(p.key.region) && p.key.region.length >= best.key.region.length) best = p;
  }
  return best.policy;
}

/** A pinned policy by id and version (e.g. 'henan', 'henan-2021.1'); undefined when not shipped. */
export function policyById(id: string, version: string): Policy | undefined {
  return KEYED.find((p) => p.key.id === id && p.key.version === version)?.policy;
}

/**
 * Whether an industry is one of the region's focus industries (重点行业: 30号文 (三)(十九); HN 一 adds
 * 焦化、石化化工; GD drops 煤炭; FZ adds 煤电、造纸、印染、铸造、铅蓄电池、食品): such cases are flagged,
 * and the year's survey and reports centre on them.
 */
export function isFocusIndustry(policy: Policy, industry: string): boolean {
  return (policy.focusIndustries as readonly string[]).includes(industry);
}

/** The YYYY-MM-DD a campaign date falls on in a campaign year (January reports fall in the next year). */
export function campaignDate(date: CampaignDate, campaignYear: number): string {
  return `${campaignYear + (date.nextYear ? 1 : 0)}-${date.monthDay}`;
}

/** Municipalities directly under the central government: their cities are the province itself. */
const MUNICIPALITIES = ['11', '12', '31', '50'];

/**
 * The division at an escalation level above (or at) a case's jurisdiction. County-level directly
 * administered by the province (省直辖县级, xx90xx, e.g. Henan's 济源) and municipalities have no
 * city level; a case held at city level escalates "county" steps to its own city.
 */
export function divisionAtLevel(divisionCode: string, level: 'county' | 'city' | 'province'): string {
  assertDivisionCode(divisionCode);
  const province = `${divisionCode.slice(0, 2)}0000`;
  if (level === 'province') return province;
  const noCity = divisionCode.slice(2, 4) === '90' || MUNICIPALITIES.includes(divisionCode.slice(0, 2));
  const city = noCity ? province : `${divisionCode.slice(0, 4)}00`;
  if (level === 'city') return divisionCode === province ? province : city;
  return divisionCode;
}

export type ResolvedEscalationStep = z.infer<typeof EscalationStep> & { division: string };

/** The policy's escalation ladder with the division each step goes to, for one case. */
export function escalationLadder(policy: Policy, divisionCode: string): ResolvedEscalationStep[] {
  return policy.escalation.map((step) => ({ ...step, division: divisionAtLevel(divisionCode, step.level) }));
}
