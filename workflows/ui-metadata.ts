import { condition, patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SA } from './search-attributes';
import { activitySummary, type Awaiting, type NameOf } from './ui-texts';
import { provinceOrCityName } from './division-names';

/**
 * User metadata for Temporal UI (texts in workflows/ui-texts.ts): timer and activity summaries, the
 * current details of a stage and the `ExitflowAwaiting` search attribute. All behind one patch,
 * `ui-metadata` (workflows/PATCHES.md): a run replayed from before it issues the same commands as it
 * did, without summaries and without the upsert.
 */
export const UI_METADATA_PATCH = 'ui-metadata';

/** Whether this run shows its user metadata (the patch marker is written the first time it is asked). */
export function uiMetadata(): boolean {
  return patched(UI_METADATA_PATCH);
}

/**
 * A division's name: from the memo its starter filled (`divisionNames`, the API's full GB/T 2260
 * table), else the provinces' and cities' names bundled here (small); a county the starter did not
 * name shows as its code. The full table (counties) is too large for the workflow bundle.
 */
export const nameOf: NameOf = (code) => {
  const names = workflowInfo().memo?.divisionNames as Record<string, string> | undefined;
  return names?.[code] ?? provinceOrCityName(code);
};

/**
 * Proxied activities whose every call carries a summary (`executeWithOptions({ summary })`), derived
 * from the activity's name and arguments: the one place the workflows' activity calls get theirs.
 */
export function withSummaries<T extends object>(proxy: T): T {
  return new Proxy(proxy, {
    get(target, name) {
      const fn = (target as Record<string | symbol, unknown>)[name] as ((...args: unknown[]) => Promise<unknown>) & { executeWithOptions?: (o: { summary: string }, a: unknown[]) => Promise<unknown> };
      if (typeof name !== 'string' || typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        if (!uiMetadata() || !fn.executeWithOptions) return fn(...args);
        const summary = activitySummary(name, args, nameOf);
        return summary ? fn.executeWithOptions({ summary }, args) : fn(...args);
      };
    },
  });
}

/** `condition(fn, ms)` whose timer carries `summary` in the timeline. */
export function timed(fn: () => boolean, ms: number, summary: string): Promise<boolean> {
  return uiMetadata() ? condition(fn, ms, { summary }) : condition(fn, ms);
}

/** The current details (stage, deadline, who is awaited) and `ExitflowAwaiting`, upserted only when it changes. */
export class UiState {
  private awaiting: Awaiting | undefined;
  private details: string | undefined;

  show(details: string, awaiting: Awaiting): void {
    if (!uiMetadata()) return;
    if (details !== this.details) setCurrentDetails((this.details = details));
    if (awaiting !== this.awaiting) {
      this.awaiting = awaiting;
      upsertSearchAttributes([{ key: SA.awaiting, value: awaiting }]);
    }
  }
}
