import { divisionPrefix } from '../../domain/jurisdiction';
import type { Principal } from '../../domain/roles';

/**
 * domain/roles.ts `mayRead` as SQL, for lists: operators read everything, an enterprise its own
 * records, everyone else what lies in their jurisdiction (a province covers its cities and counties).
 * `undefined` when nothing is filtered out. One rule for every list that shows records by region.
 */
export function readableSql(p: Principal, add: (v: unknown) => string, columns: { region: string; creditCode: string }): string | undefined {
  if (p.role === 'operator') return undefined;
  if (p.role === 'enterprise') return `${columns.creditCode} = ${add(p.creditCode ?? '')}`;
  if (!p.jurisdiction) return 'false';
  return `${columns.region} LIKE ${add(divisionPrefix(p.jurisdiction) + '%')}`;
}
