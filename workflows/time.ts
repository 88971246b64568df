import { toLegalDate } from '../domain/deadlines';

/** Today's legal date and the instant, from the workflow clock (deterministic in the sandbox). */
export const today = (): string => toLegalDate(new Date().toISOString());
export const nowIso = (): string => new Date().toISOString();
