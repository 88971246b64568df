/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 * 18 characters: registration authority (1), organisation type (1), division code of the
 * registering authority (6), organisation code (9), check character (1).
 */

/** GB 32100-2015 表1: the 31 code characters (no I, O, S, V, Z), in value order. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015 5.3: weights of positions 1..17 (3^(i-1) mod 31). */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type CreditCodeProblem = 'length' | 'characters' | 'division' | 'check_character';

/** The check character (position 18) for the first 17 characters. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`not a credit-code character: ${first17.charAt(i)}`);
    sum += value * (WEIGHTS[i] as number);
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET.charAt(check);
}

/** Why a credit code is invalid, or null when it is valid. Lower case is not accepted. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return 'characters';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code.charAt(17)) return 'check_character';
  return null;
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null;
}

export const CREDIT_CODE_MESSAGES: Record<CreditCodeProblem, { en: string; zh: string }> = {
  length: { en: 'must be 18 characters (GB 32100-2015)', zh: '统一社会信用代码应为18位' },
  characters: {
    en: 'may contain only digits and upper-case letters other than I, O, S, V, Z (GB 32100-2015)',
    zh: '统一社会信用代码只能包含数字和除I、O、S、V、Z以外的大写字母',
  },
  division: { en: 'positions 3-8 must be a 6-digit division code', zh: '第3至8位应为6位行政区划代码' },
  check_character: { en: 'check character (position 18) does not match (GB 32100-2015)', zh: '校验码错误' },
};
