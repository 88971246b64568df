import type { Db } from '../db/pool';
import { divisionPath } from '../domain/jurisdiction';

/** An address that receives notices for one role (and department) in one division. */
export interface AuthorityContact {
  email: string;
  name: string;
}

/**
 * Who to notify in `jurisdiction` (a 6-digit division code) for `role`. A `department` narrows the
 * enforcement officials to that department; roles that have no department (the approving
 * government, the coordination office) are not narrowed by it. A division that has no contact for
 * the role registered (a district whose bureau is not on exitflow yet) is represented by the nearest
 * enclosing division that has one (county → city → province), whose officials cover it: a notice
 * is never addressed to nobody while someone above can act on it.
 */
export async function contactsFor(db: Db, jurisdiction: string, role: string, department?: string): Promise<AuthorityContact[]> {
  const { rows } = await db.query<AuthorityContact & { region_code: string }>(
    `SELECT DISTINCT ON (region_code, email) region_code, email, name
       FROM authority_contacts
      WHERE region_code = ANY($1) AND role = $2 AND ($3::text IS NULL OR department IS NULL OR department = $3)
      ORDER BY region_code, email`,
    [divisionPath(jurisdiction), role, department ?? null],
  );
  const nearest = divisionPath(jurisdiction).find((code) => rows.some((r) => r.region_code === code));
  return rows.filter((r) => r.region_code === nearest).map(({ email, name }) => ({ email, name }));
}
