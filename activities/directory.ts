import type { Db } from '../db/pool';

/** An address that receives notices for one role (and department) in one division. */
export interface AuthorityContact {
  email: string;
  name: string;
}

/**
 * Who to notify in `jurisdiction` (a 6-digit division code, matched exactly: escalating to the next
 * level up is the caller's choice of code) for `role`. A `department` narrows the enforcement
 * officials to that department; roles that have no department (the approving government, the
 * coordination office) are not narrowed by it.
 */
export async function contactsFor(db: Db, jurisdiction: string, role: string, department?: string): Promise<AuthorityContact[]> {
  const { rows } = await db.query<AuthorityContact>(
    `SELECT DISTINCT ON (email) email, name
       FROM authority_contacts
      WHERE region_code = $1 AND role = $2 AND ($3::text IS NULL OR department IS NULL OR department = $3)
      ORDER BY email`,
    [jurisdiction, role, department ?? null],
  );
  return rows;
}
