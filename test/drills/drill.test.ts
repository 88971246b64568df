import { drillTable, runDrill, type DrillReport } from '../../bench/drill/index';
import { SCENARIOS } from '../../bench/drill/scenarios';
import { TEMPORAL_RESTART_FAULT } from '../../bench/drill/stack';
import { temporalTier } from '../../scripts/lib/temporal-cluster';

// The fault drill of `npm run drill`, small: cases on every path while the worker and the API are
// killed with SIGKILL, Temporal restarts on its data (the dev server on its SQLite file; with
// EXITFLOW_TEMPORAL=cluster the real server on its PostgreSQL), and PostgreSQL and the SMTP server
// are each down for a while. Nothing may be lost, duplicated, unaudited or misplaced.
const temporal = temporalTier();
let report: DrillReport;

beforeAll(async () => {
  report = await runDrill({ cases: 6 * SCENARIOS.length, outageSeconds: 8, randomWorkerKills: 1, concurrency: 12, gapSeconds: 3, seed: 20261124, temporal });
  process.stdout.write(`${drillTable(report)}\n`);
}, 10 * 60_000);

it('put every fault in while cases were on their paths', () => {
  const kinds = report.faults.map((f) => f.what.replace(/ \d+ s$/, '')).sort();
  expect(kinds).toEqual([
    'PostgreSQL down',
    'SMTP server down',
    'kill -9 API, restart',
    'kill -9 API, restart',
    'kill -9 worker at a random moment, restart',
    'kill -9 worker, restart',
    TEMPORAL_RESTART_FAULT[temporal],
  ].sort());
  expect(report.options.temporal).toBe(temporal);
  expect(report.retries).toBeGreaterThan(0); // the callers did run into the faults
});

it('ends with every case on its path, nothing lost, duplicated or unaudited', () => {
  const v = report.verdict;
  expect([...report.failures, ...v.details.filter((d) => !d.includes('delivered more than once'))]).toEqual([]);
  expect(v.casesOpened).toBe(6 * SCENARIOS.length);
  expect(v).toMatchObject({
    casesLost: 0,
    casesInWrongState: 0,
    duplicateMails: 0,
    mailsLost: 0,
    duplicatePushes: 0,
    pushesLost: 0,
    auditRowsMissing: 0,
    auditRowsDuplicated: 0,
  });
  // No process died on its own: only the drill's kill -9 took the worker and the API down.
  expect(report.unplannedExits).toEqual({ worker: 0, api: 0 });
  expect(v.mailsSent).toBeGreaterThan(v.casesOpened); // every case mails at least its notice
  expect(v.pushesAcknowledged).toBeGreaterThan(0);
  expect(v.auditRowsExpected).toBeGreaterThan(2 * v.casesOpened);
});
