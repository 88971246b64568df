/**
 * Pure arithmetic on 6-digit GB/T 2260 division codes: which division encloses which.
 * Safe for workflow code (no table lookups).
 */

export const DIVISION_CODE_PATTERN = /^\d{6}$/;

/** The enclosing city and province codes of a division, nearest first (410102 → 410100, 410000). */
export function parentCodes(code: string): string[] {
  const out: string[] = [];
  const city = code.slice(0, 4) + '00';
  const province = code.slice(0, 2) + '0000';
  if (city !== code && code.slice(4) !== '00') out.push(city);
  if (province !== code) out.push(province);
  return out;
}

/** The code itself and every enclosing division, for search attributes and list filters. */
export function divisionPath(code: string): string[] {
  return [code, ...parentCodes(code)];
}

/** Whether `jurisdiction` covers `region`: 410100 covers 4101xx, 410000 covers 41xxxx. */
export function covers(jurisdiction: string, region: string): boolean {
  return divisionPath(region).includes(jurisdiction);
}

export function divisionLevelOf(code: string): 'province' | 'city' | 'county' {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** The code prefix every division inside `code` shares (410000 → "41", 410100 → "4101", 410102 → "410102"). */
export function divisionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}
