import { ApplicationFailure } from '@temporalio/common';

/**
 * PostgreSQL errors that say the data is wrong, not that the database is away: retrying them
 * changes nothing, so an activity that meets one fails for good (non-retryable) and the case shows
 * the failure instead of retrying forever and blocking every later step.
 * - class 22, data exception (e.g. 22P05: U+0000 in jsonb; 22021: invalid byte sequence; 22007/22008:
 *   a date that does not exist);
 * - class 23, integrity constraint violation, except 23505 (unique violation): the one conflict a
 *   step expects, from two attempts of the same idempotent step racing; the retry finds the row.
 * Outages (connection refused, 57P0x shutdown, timeouts) keep retrying without limit.
 */
export function isDataError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code) && code !== '23505';
}

export const DATA_ERROR_TYPE = 'invalid_data';

/** The same activities, with data errors turned into non-retryable failures naming the SQLSTATE. */
export function failDataErrorsForGood<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if (!isDataError(err)) throw err;
        throw ApplicationFailure.create({
          type: DATA_ERROR_TYPE,
          message: `${name}: PostgreSQL refused the data (SQLSTATE ${err.code}): ${err.message}`,
          details: [{ activity: name, sqlstate: err.code }],
          nonRetryable: true,
          cause: err,
        });
      }
    };
  }
  return wrapped as T;
}
