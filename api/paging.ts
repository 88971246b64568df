import { z } from 'zod';

/** `page` and `pageSize` query parameters of every list, the same everywhere but for the page size. */
export function pagingQuery(defaultSize = 50, maxSize = 200) {
  return {
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
  };
}
