/**
 * `npm run drill`: the fault drill (bench/drill/index.ts). Flags: --cases N (default 1000),
 * --outage S (seconds PostgreSQL and SMTP are each down, default 60), --kills K (random worker
 * kills, default 4), --concurrency C (default 32), --gap S (default 10), --seed N, --keep,
 * --temporal dev|cluster (the CLI's dev server, default; or a real Temporal server on PostgreSQL,
 * scripts/lib/temporal-cluster.ts; EXITFLOW_TEMPORAL gives the default).
 * Prints the faults as they happen and a table at the end; writes JSON to bench/out/; exits 1
 * when anything was lost, duplicated, unaudited or in a wrong state.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machine } from './lib';
import { drillTable, runDrill } from './drill/index';
import { TEMPORAL_SERVER_VERSION, temporalTier } from '../scripts/lib/temporal-cluster';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    outage: { type: 'string', default: '60' },
    kills: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '32' },
    gap: { type: 'string', default: '10' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    keep: { type: 'boolean', default: false },
    temporal: { type: 'string', default: process.env.EXITFLOW_TEMPORAL ?? 'dev' },
  },
});
const temporal = temporalTier(values.temporal);

async function main() {
  const before = machine();
  const report = await runDrill({
    cases: Number(values.cases),
    outageSeconds: Number(values.outage),
    randomWorkerKills: Number(values.kills),
    concurrency: Number(values.concurrency),
    gapSeconds: Number(values.gap),
    seed: Number(values.seed),
    keep: values.keep,
    temporal,
    log: (line) => console.log(`[drill] ${line}`),
  });
  const date = new Date().toISOString();
  console.log(`\nexitflow fault drill — ${date}, ${before.cpus} × ${before.model}, ${before.memGiB} GiB, load ${before.load} → ${machine().load}`);
  console.log(`Temporal: ${temporal === 'cluster' ? `real server ${TEMPORAL_SERVER_VERSION} on PostgreSQL (cluster)` : 'CLI dev server on SQLite (dev)'}`);
  console.log(`${report.options.cases} cases, outages ${report.options.outageSeconds} s, seed ${report.options.seed}, ${report.seconds} s\n`);
  console.log('faults:');
  for (const f of report.faults) console.log(`  ${f.at.toFixed(1).padStart(6)} s  ${f.what} (${(f.tookMs / 1000).toFixed(1)} s)`);
  console.log(`\n${drillTable(report)}`);
  for (const line of [...report.failures, ...report.verdict.details].slice(0, 30)) console.log(`  ! ${line}`);
  const out = path.join(__dirname, 'out');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `drill-${temporal}-${date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date, machine: before, ...report }, null, 2));
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  const v = report.verdict;
  const bad = report.failures.length + v.casesLost + v.casesInWrongState + v.duplicateMails + v.mailsLost + v.duplicatePushes + v.pushesLost + v.auditRowsMissing + v.auditRowsDuplicated;
  process.exit(bad ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
