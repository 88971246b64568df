/**
 * A fault drill: cases in flight on every path while the worker and the API are killed with
 * SIGKILL and restarted, Temporal is stopped and restarted on the same data (the dev server on its
 * SQLite file, or the real server on its PostgreSQL: options.temporal),
 * PostgreSQL is down for a while and so is the SMTP server. At the end nothing may be lost, in a
 * wrong state, duplicated or unaudited (check.ts). `npm run drill` runs the full one; the test suite
 * runs a small one (test/drills).
 */
import { createPool } from '../../db/pool';
import { sleep } from '../../scripts/lib/processes';
import { DrillClient } from './client';
import { verdict, type DrillVerdict } from './check';
import { scenarioFor, type CaseOutcome } from './scenarios';
import { startDrillStack, type DrillStack } from './stack';
import type { TemporalTier } from '../../scripts/lib/temporal-cluster';

export interface DrillOptions {
  cases: number;
  /** How long PostgreSQL and the SMTP server are each down. */
  outageSeconds: number;
  /** Extra kill -9 of the worker at random moments, besides the scheduled one. */
  randomWorkerKills: number;
  /** Cases on their path at the same time. */
  concurrency: number;
  /** Seconds between scheduled faults. */
  gapSeconds: number;
  seed: number;
  log?: (line: string) => void;
  /** Keep the drill's folder (logs, SQLite, mail) for a look afterwards. */
  keep?: boolean;
  /** The CLI's dev server (default) or a real Temporal server on PostgreSQL. */
  temporal?: TemporalTier;
}

export interface DrillReport {
  options: Omit<DrillOptions, 'log'>;
  faults: { at: number; what: string; tookMs: number }[];
  seconds: number;
  requests: number;
  retries: number;
  unplannedExits: DrillStack['unplannedExits'];
  failures: string[];
  verdict: DrillVerdict;
}

/** A small seeded generator (mulberry32), so a drill's random moments can be repeated. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runDrill(opts: DrillOptions): Promise<DrillReport> {
  const log = opts.log ?? (() => undefined);
  const random = rng(opts.seed);
  const t0 = Date.now();
  const since = () => Math.round((Date.now() - t0) / 100) / 10;
  const stack = await startDrillStack({ keep: opts.keep, temporal: opts.temporal });
  log(`stack up in ${since()} s on the Temporal ${stack.temporal === 'cluster' ? 'cluster' : 'dev server'} (folder ${stack.dir})`);
  const client = new DrillClient(stack.apiUrl);
  const faults: DrillReport['faults'] = [];
  const failures: string[] = [];
  const outcomes: CaseOutcome[] = [];
  const run = Date.now().toString(36);

  const fault = async (what: string, fn: () => Promise<void>) => {
    const at = since();
    const start = Date.now();
    log(`${at.toFixed(1)} s  ${what}`);
    await fn();
    faults.push({ at, what, tookMs: Date.now() - start });
  };
  const killAndRestart = (app: 'worker' | 'api') => async () => {
    await stack.kill(app);
    await sleep(1000 + random() * 2000);
    await stack.start(app);
  };

  // The faults, one of each kind in turn, while the cases run.
  const gap = opts.gapSeconds * 1000;
  const schedule = async () => {
    await sleep(gap);
    await fault('kill -9 worker, restart', killAndRestart('worker'));
    await sleep(gap);
    await fault('kill -9 API, restart', killAndRestart('api'));
    await sleep(gap);
    await fault(stack.temporalRestart, () => stack.restartTemporal());
    await sleep(gap);
    await fault(`PostgreSQL down ${opts.outageSeconds} s`, async () => {
      await stack.pg.stopServer();
      await sleep(opts.outageSeconds * 1000);
      await stack.pg.startServer();
    });
    await sleep(gap);
    await fault(`SMTP server down ${opts.outageSeconds} s`, async () => {
      await stack.sink.stop();
      await sleep(opts.outageSeconds * 1000);
      await stack.sink.start();
    });
    await sleep(gap);
    await fault('kill -9 API, restart', killAndRestart('api'));
  };
  const scheduleMs = gap * 6 + opts.outageSeconds * 2000;
  // Random kills of the worker across the same span.
  const randomKills = async () => {
    const moments = Array.from({ length: opts.randomWorkerKills }, () => random() * scheduleMs).sort((a, b) => a - b);
    let now = 0;
    for (const m of moments) {
      await sleep(m - now);
      now = m;
      await fault('kill -9 worker at a random moment, restart', killAndRestart('worker'));
    }
  };

  // The cases: started evenly over the fault schedule, at most `concurrency` on their path at once.
  let next = 0;
  let done = 0;
  const spacing = scheduleMs / opts.cases;
  const cases = async () => {
    await Promise.all(
      Array.from({ length: Math.min(opts.concurrency, opts.cases) }, async () => {
        while (next < opts.cases) {
          const index = next++;
          const due = t0 + index * spacing;
          if (Date.now() < due) await sleep(due - Date.now());
          const scenario = scenarioFor(index);
          try {
            outcomes.push(await scenario.run({ client, run, index }));
          } catch (err) {
            failures.push(`case ${index} (${scenario.name}): ${String((err as Error).message ?? err)}`);
          }
          done++;
          if (done % Math.max(1, Math.round(opts.cases / 10)) === 0) log(`${since().toFixed(1)} s  ${done}/${opts.cases} cases on their final stage`);
        }
      }),
    );
  };

  const db = createPool(stack.databaseUrl, 4);
  try {
    await Promise.all([schedule(), randomKills(), cases()]);
    log(`${since().toFixed(1)} s  all paths done; waiting for the outboxes to drain`);
    // Let every mail and push that was decided go out before counting.
    for (const until = Date.now() + 180_000; Date.now() < until; await sleep(1000)) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM notifications WHERE status <> 'sent') + (SELECT count(*) FROM platform_pushes WHERE status <> 'acknowledged') AS n`,
      );
      if (Number(rows[0]?.n) === 0) break;
    }
    const v = await verdict({ db, temporalAddress: stack.temporalAddress, sink: stack.sink, platforms: stack.platforms, client, outcomes });
    const { log: _log, ...rest } = opts;
    const options = { ...rest, temporal: stack.temporal };
    return { options, faults, seconds: since(), requests: client.stats.requests, retries: client.stats.retries, unplannedExits: { ...stack.unplannedExits }, failures, verdict: v };
  } finally {
    await db.end();
    await stack.stop();
  }
}

/** The drill's figures as a Markdown table. */
export function drillTable(r: DrillReport): string {
  const v = r.verdict;
  const rows: [string, string | number][] = [
    ['cases opened (all paths)', v.casesOpened],
    ['cases that failed their path', r.failures.length],
    ['cases lost', v.casesLost],
    ['cases in a wrong final state', v.casesInWrongState],
    ['e-mails delivered', v.mailsSent],
    ['duplicate e-mails (two mails for one event)', v.duplicateMails],
    ['e-mails re-delivered under the same Message-ID', v.mailRedeliveries],
    ['e-mails lost or never sent', v.mailsLost],
    ['platform pushes acknowledged', v.pushesAcknowledged],
    ['duplicate pushes (two pushes for one event)', v.duplicatePushes],
    ['pushes re-sent under the same Idempotency-Key', v.pushResends],
    ['pushes lost or never acknowledged', v.pushesLost],
    ['audit rows expected', v.auditRowsExpected],
    ['audit rows missing', v.auditRowsMissing],
    ['audit rows duplicated', v.auditRowsDuplicated],
    ['HTTP requests (of which retries)', `${r.requests} (${r.retries})`],
    ['worker / API exits the drill did not cause', `${r.unplannedExits.worker} / ${r.unplannedExits.api}`],
  ];
  return ['| measure | value |', '| --- | --- |', ...rows.map(([k, val]) => `| ${k} | ${val} |`)].join('\n');
}
