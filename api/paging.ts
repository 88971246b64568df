import { z } from 'zod';
import type { QueryResultRow } from 'pg';
import type { Db } from '../db/pool';

/** `page` and `pageSize` query parameters of every list, the same everywhere but for the page size. */
export function pagingQuery(defaultSize = 50, maxSize = 200) {
  return {
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
  };
}

/**
 * One page of rows and the total count, queried side by side. Both are awaited together, so a
 * failure of either (PostgreSQL going away) is the caller's error, never an unhandled rejection.
 */
export async function countedPage<R extends QueryResultRow>(db: Db, count: { sql: string; values: unknown[] }, page: { sql: string; values: unknown[] }): Promise<{ total: number; rows: R[] }> {
  const [counted, rows] = await Promise.all([db.query<{ total: number }>(count.sql, count.values), db.query<R>(page.sql, page.values)]);
  return { total: counted.rows[0]?.total ?? 0, rows: rows.rows };
}
