/**
 * `npx tsx bench/survey-import.ts [--rows 5000] [--format xlsx|csv]`: how long a campaign survey of
 * N rows takes to check (dry run) and to commit within the request (that API's SURVEY_ASYNC_ROWS is
 * set above N), and how much memory the API process needs for it
 * (peak RSS, VmHWM of every process of the API's process group, reset before each phase).
 * Then the background job path: another file of N rows (other enterprises) committed with
 * `Prefer: respond-async` to an API and a worker on a task queue of their own (so the worker runs
 * only the job and the cases it opens): the time to the 202, the job's time until it reads
 * completed, and the peak RSS of the API and of the worker over that time.
 *
 * Its own PostgreSQL cluster and Temporal dev server; the API as the separate process it is in
 * production (`tsx api/main.ts`); no worker in the synchronous phases (the commit starts each case
 * workflow; recording and serving the notices is the worker's and is not measured there). The campaign is seeded in the read
 * model. Rows: N / 2 enterprises in Zhengzhou's districts, two facilities each under one notice,
 * half of them to exit this year.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { migrate } from '../db/migrate';
import { toLegalDate } from '../domain/deadlines';
import { SURVEY_COLUMNS } from '../domain/survey';
import { ensureSearchAttributes, startDevServer, type DevServer } from '../scripts/lib/devserver';
import { startPgCluster, type PgCluster } from '../scripts/lib/pg-cluster';
import { startSmtpSink, type SmtpSink } from '../scripts/lib/smtp-sink';
import { freePort } from '../scripts/lib/ports';
import { bearer } from '../test/support/fixtures';
import { startApp, type AppProcess } from './apps';
import { creditCode, machine } from './lib';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '5000' }, format: { type: 'string', default: 'xlsx' } } });
const ROWS = Number(values.rows);
const FORMAT = values.format === 'csv' ? 'csv' : 'xlsx';
const CITY = '410100';
const YEAR = new Date().getUTCFullYear();
const CAMPAIGN = `campaign-${CITY}-${YEAR}`;
const OFFICE = { sub: 'zz-office', name: '郑州市淘汰落后产能办公室', role: 'coordination_office', jurisdiction: CITY } as const;
const DISTRICTS = ['410102', '410103', '410104', '410105'];
const INDUSTRIES = ['steel', 'cement', 'flat_glass', 'coking'];

/** N rows of N / 2 enterprises; `tag` keeps the enterprises of one file apart from another's. */
async function surveyFile(n: number, tag = 'S'): Promise<Buffer> {
  const today = toLegalDate(new Date().toISOString());
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('摸底排查');
  ws.addRow(SURVEY_COLUMNS.map((c) => c.zh));
  for (let i = 0; i < n; i++) {
    const e = Math.floor(i / 2);
    const cells: Record<string, string | number> = {
      creditCode: creditCode(e, tag),
      name: `郑州第${e}号企业有限公司`,
      regionCode: DISTRICTS[e % DISTRICTS.length]!,
      industry: INDUSTRIES[e % INDUSTRIES.length]!,
      contactName: '王经理',
      contactEmail: `e${e}@example.cn`,
      facilityId: `F-${i % 2}`,
      facilityName: `${(i % 2) + 1}号生产线`,
      facilityKind: 'production_line',
      capacity: 10 + (i % 7),
      unit: '万吨/年',
      dimension: 'energy',
      department: 'industry_it',
      legalBasis: '《节约能源法》; 工信部联产业〔2017〕30号',
      serious: '否',
      caseNumber: `ZZ-${YEAR}-${e}`,
      noticeServedOn: today,
      treatment: e % 2 === 0 ? 'exit' : 'rectify',
    };
    ws.addRow(SURVEY_COLUMNS.map((c) => cells[c.key] ?? null));
  }
  return Buffer.from(FORMAT === 'xlsx' ? await wb.xlsx.writeBuffer() : await wb.csv.writeBuffer({ formatterOptions: { writeBOM: true } }));
}

/** The processes of a process group (the tsx launcher and the node process it runs). */
function groupPids(pgid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2] === String(pgid);
    } catch {
      return false;
    }
  }).map(Number);
}

const statusKb = (pid: number, field: string) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
/** Peak RSS (MiB) of the group's largest process since the last reset; resetting writes 5 to clear_refs. */
const peakMiB = (pgid: number) => Math.max(...groupPids(pgid).map((p) => statusKb(p, 'VmHWM'))) / 1024;
const rssMiB = (pgid: number) => Math.max(...groupPids(pgid).map((p) => statusKb(p, 'VmRSS'))) / 1024;
const resetPeak = (pgid: number) => groupPids(pgid).forEach((p) => writeFileSync(`/proc/${p}/clear_refs`, '5'));

async function seedCampaign(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`INSERT INTO campaigns (campaign_id, division, year, policy_id, policy_version, stage, milestones, started_at) VALUES ($1, $2, $3, 'henan', 'bench', 'survey', '[]', now())`, [CAMPAIGN, CITY, YEAR]);
  await db.end();
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The background job path: an API and a worker on a task queue of their own, a file of other
 * enterprises sent with `Prefer: respond-async` (whatever its size), the job polled until it has
 * finished; then the same file again (it joins the job).
 */
async function backgroundJob(env: NodeJS.ProcessEnv, dir: string, token: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const own = { ...env, TEMPORAL_TASK_QUEUE: 'bench-survey-jobs', API_PORT: String(port), PUBLIC_BASE_URL: base };
  const worker = await startApp('worker', own, dir);
  const api = await startApp('api', own, dir, base);
  try {
    // Ready once the worker polls the queue (its bundle built): the job's time is not the worker's start.
    for (const until = Date.now() + 120_000; (await fetch(`${base}/health/ready`)).status !== 200; await sleep(500)) {
      if (Date.now() > until) throw new Error(`the worker did not poll bench-survey-jobs within 120 s (see ${dir}/worker.log)`);
    }
    const file = await surveyFile(ROWS, 'J');
    const post = () =>
      fetch(`${base}/api/v1/campaigns/${CAMPAIGN}/surveys?mode=commit`, {
        method: 'POST',
        headers: { Authorization: token, 'Content-Type': FORMAT === 'xlsx' ? XLSX_MIME : 'text/csv', Prefer: 'respond-async' },
        body: file,
      });
    resetPeak(api.child.pid!);
    resetPeak(worker.child.pid!);
    const t0 = performance.now();
    const res = await post();
    const answered = (performance.now() - t0) / 1000;
    if (res.status !== 202) throw new Error(`background commit: ${res.status} ${(await res.text()).slice(0, 1000)}`);
    await res.body?.cancel();
    const location = res.headers.get('location')!;
    let job: Record<string, unknown> = {};
    const progress = new Set<number>();
    for (;;) {
      job = (await (await fetch(`${base}${location}`, { headers: { Authorization: token } })).json()) as Record<string, unknown>;
      progress.add((job.rows as { done: number }).done);
      if (job.status !== 'running') break;
      await sleep(250);
    }
    const seconds = (performance.now() - t0) / 1000;
    const apiPeak = peakMiB(api.child.pid!);
    const workerPeak = peakMiB(worker.child.pid!);
    const t1 = performance.now();
    const again = await post();
    const joined = { status: again.status, seconds: (performance.now() - t1) / 1000, sameJob: again.headers.get('location') === location };
    await again.body?.cancel();
    const { failures, ...counts } = job;
    return { answered, seconds, apiPeak, workerPeak, progressReports: progress.size, counts: { status: counts.status, rows: counts.rows, casesOpened: counts.casesOpened, enterprisesRegistered: counts.enterprisesRegistered }, failures: (failures as unknown[]).slice(0, 3), joined };
  } finally {
    await api.stop();
    await worker.stop();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'exitflow-bench-survey-'));
  let cluster: PgCluster | undefined;
  let temporal: DevServer | undefined;
  let api: AppProcess | undefined;
  let sink: SmtpSink | undefined;
  try {
    [cluster, temporal] = await Promise.all([startPgCluster({ database: 'exitflow_bench_survey' }), startDevServer({ headless: true })]);
    await ensureSearchAttributes(temporal.address, 'default');
    await migrate(cluster.url);
    await seedCampaign(cluster.url);
    const file = await surveyFile(ROWS);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    api = await startApp('api', { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: cluster.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'bench-survey', API_PORT: String(port), PUBLIC_BASE_URL: base, SURVEY_ASYNC_ROWS: '1000000' }, dir, base);
    const pgid = api.child.pid!;
    const token = await bearer(OFFICE);
    const idle = rssMiB(pgid);
    const phase = async (mode: 'dry-run' | 'commit') => {
      resetPeak(pgid);
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/campaigns/${CAMPAIGN}/surveys?mode=${mode}`, {
        method: 'POST',
        headers: { Authorization: token, 'Content-Type': FORMAT === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' },
        body: file,
      });
      const body = (await res.json()) as Record<string, unknown>;
      const seconds = (performance.now() - t0) / 1000;
      if (res.status !== 200) throw new Error(`${mode}: ${res.status} ${JSON.stringify(body).slice(0, 1000)}`);
      const { targets: _t, failures, ...counts } = body;
      return { mode, seconds, peak: peakMiB(pgid), counts, failures: (failures as unknown[] | undefined)?.slice(0, 3) };
    };
    // The synchronous commit, whatever the file's size (this API's SURVEY_ASYNC_ROWS is above it), to compare with the job.
    const results = [await phase('dry-run'), await phase('commit'), await phase('commit')];
    await api.stop();
    api = undefined;
    // The worker serves each opened case's notice: a sink takes the mail.
    sink = await startSmtpSink();
    const job = await backgroundJob({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: cluster.url, TEMPORAL_ADDRESS: temporal.address, SMTP_URL: sink.smtpUrl }, dir, token);
    const m = machine();
    console.log(`\nsurvey import — ${new Date().toISOString()}, ${m.cpus} × ${m.model}, ${m.memGiB} GiB, load ${m.load}`);
    console.log(`${ROWS} rows (${FORMAT.toUpperCase()}, ${(file.length / 2 ** 20).toFixed(2)} MiB), ${ROWS / 2} enterprises, ${ROWS / 2} cases; API idle RSS ${idle.toFixed(0)} MiB\n`);
    console.log('| phase | seconds | API peak RSS MiB | counts |');
    console.log('| --- | --- | --- | --- |');
    results.forEach((r, i) => console.log(`| ${r.mode}${i === 2 ? ' (same file again)' : ''} | ${r.seconds.toFixed(1)} | ${r.peak.toFixed(0)} | ${JSON.stringify(r.counts)}${r.failures?.length ? ` first failures ${JSON.stringify(r.failures)}` : ''} |`));
    console.log(`\nbackground job (another ${ROWS} rows, Prefer: respond-async; API and worker on a task queue of their own)\n`);
    console.log('| 202 after s | job completed after s | API peak RSS MiB | worker peak RSS MiB | progress reports seen | job | same file again |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    console.log(`| ${job.answered.toFixed(2)} | ${job.seconds.toFixed(1)} | ${job.apiPeak.toFixed(0)} | ${job.workerPeak.toFixed(0)} | ${job.progressReports} | ${JSON.stringify(job.counts)}${job.failures.length ? ` first failures ${JSON.stringify(job.failures)}` : ''} | ${job.joined.status} in ${job.joined.seconds.toFixed(2)} s, same job: ${job.joined.sameJob} |`);
  } finally {
    await api?.stop();
    await sink?.stop();
    await temporal?.stop();
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
