import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { PoolClient } from 'pg';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { openIdentity, sealIdentity } from '../../db/reporter-identity';
import { toLegalDate } from '../../domain/deadlines';
import { division, divisionFullName, isKnownDivision } from '../../domain/divisions';
import { divisionPath, divisionPrefix } from '../../domain/jurisdiction';
import { policyFor } from '../../domain/policy';
import { reportWorkflowId, trackingNumber, type RecordedReport, type ReportChannel, type ReportStatus, type ReportSubmission } from '../../domain/public-reports';
import type { Principal } from '../../domain/roles';
import { publicReportWorkflow } from '../../workflows/public-report';
import type { ReportInput } from '../../workflows/public-report-messages';
import { SA } from '../../workflows/search-attributes';
import { policyById } from '../../domain/policy';
import { divisionNamesMemo, reportStaticDetails } from '../../workflows/ui-texts';
import { problems } from '../problem';
import { appendAudit } from './audit';
import { contentMatchesType } from './evidence';

/** Who the audit trail names for a report filed on the platform: nobody (举报人 identity never goes there). */
const PUBLIC_FILER = { sub: 'public-report-platform', name: '举报平台（匿名或实名举报人，身份另存）', role: 'operator' } as unknown as Principal;

/** Photos and documents a report may carry: the case evidence's types, signatures and size limit, at most this many. */
export const REPORT_EVIDENCE_MAX_FILES = 10;

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** 128 random bits, base64url: the reporter's key to the status and the reply. */
export function newSecret(): string {
  return randomBytes(16).toString('base64url');
}

export interface FiledReport {
  trackingNumber: string;
  secret: string;
  receivedOn: string;
}

interface Filing {
  channel: ReportChannel;
  externalRef?: string;
  receivedOn: string;
  recordedBy: Principal | null;
  requestId: string;
}

/** The next tracking number of a division and day (JB-410122-20261130-0001), inside the filing's transaction. */
async function nextTrackingNumber(tx: PoolClient, region: string, receivedOn: string): Promise<string> {
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO public_report_counters (region, day, last) VALUES ($1, $2, 1)
     ON CONFLICT (region, day) DO UPDATE SET last = public_report_counters.last + 1 RETURNING last`,
    [region, receivedOn],
  );
  return trackingNumber(region, receivedOn, rows[0]!.last);
}

/** Store what was reported (and, apart, who reported); the workflow gets only the routing facts. */
export async function insertReport(tx: PoolClient, r: ReportSubmission, f: Omit<Filing, 'requestId'>, now: Date, key: Buffer): Promise<{ input: ReportInput; secret: string }> {
  const policy = policyFor(r.region);
  const reportId = await nextTrackingNumber(tx, r.region, f.receivedOn);
  const secret = newSecret();
  const realName = !!r.reporter?.name;
  await tx.query(
    `INSERT INTO public_reports (report_id, region, channel, external_ref, received_on, received_at, address, enterprise_name, credit_code, industry, dimension,
                                 equipment, capacity, unit, description, real_name, secret_hash, recorded_by, policy_id, policy_version)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)`,
    [reportId, r.region, f.channel, f.externalRef ?? null, f.receivedOn, now.toISOString(), r.address, r.enterpriseName, r.creditCode ?? null, r.industry ?? null, r.dimension ?? null,
     r.equipment ?? null, r.capacity ?? null, r.unit ?? null, r.description, realName, sha256(secret), f.recordedBy ? JSON.stringify({ sub: f.recordedBy.sub, name: f.recordedBy.name, role: f.recordedBy.role, department: f.recordedBy.department, jurisdiction: f.recordedBy.jurisdiction }) : null,
     policy.id, policy.version],
  );
  if (r.reporter) {
    const sealed = sealIdentity(key, reportId, { name: r.reporter.name ?? null, phone: r.reporter.phone ?? null, email: r.reporter.email ?? null });
    await tx.query(`INSERT INTO public_report_reporters (report_id, sealed) VALUES ($1, $2)`, [reportId, sealed]);
  }
  const input: ReportInput = {
    reportId,
    region: r.region,
    channel: f.channel,
    receivedOn: f.receivedOn,
    receivedAt: now.toISOString(),
    dimension: r.dimension ?? null,
    industry: r.industry ?? null,
    realName,
    contactGiven: !!(r.reporter?.email || r.reporter?.phone),
    policy: { id: policy.id, version: policy.version },
  };
  return { input, secret };
}

/**
 * File a report (举报): stored, audited (without who reported) and its workflow started in one
 * transaction, so a report is either on its way to the verifying department or not stored at all.
 * Neither the memo, the search attributes nor the summary carry the reporter or the text.
 */
export async function fileReport(deps: { db: Db; temporal: Client; taskQueue: string; reporterKey: Buffer }, r: ReportSubmission | RecordedReport, f: Filing, now: Date): Promise<FiledReport> {
  if (!isKnownDivision(r.region)) throw problems.validation([{ field: 'region', rule: 'division_known', message: `${r.region} is not a GB/T 2260 division`, messageZh: '行政区划代码不存在' }]);
  if (f.receivedOn > toLegalDate(now.toISOString())) throw problems.validation([{ field: 'receivedOn', rule: 'not_in_future', message: `receivedOn ${f.receivedOn} is in the future`, messageZh: '受理日期不得晚于今日' }]);
  return inTransaction(deps.db, async (tx) => {
    const { input, secret } = await insertReport(tx, r, f, now, deps.reporterKey);
    await appendAudit(tx, {
      requestId: f.requestId,
      actor: f.recordedBy ?? PUBLIC_FILER,
      action: f.recordedBy ? 'report.record' : 'report.file',
      target: input.reportId,
      region: r.region,
      result: 201,
      detail: { channel: f.channel, ...(f.externalRef ? { externalRef: f.externalRef } : {}), realName: input.realName, dimension: input.dimension },
    });
    await startReportWorkflow(deps.temporal, deps.taskQueue, input);
    return { trackingNumber: input.reportId, secret, receivedOn: f.receivedOn };
  });
}

export function startReportWorkflow(temporal: Client, taskQueue: string, input: ReportInput) {
  return temporal.workflow.start(publicReportWorkflow, {
    workflowId: reportWorkflowId(input.reportId),
    taskQueue,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'FAIL',
    staticSummary: `举报 ${input.reportId}（${divisionFullName(input.region) ?? input.region}）`,
    staticDetails: reportStaticDetails(input.region, input.dimension, { ...input.policy, nameZh: policyById(input.policy.id, input.policy.version)?.nameZh ?? input.policy.id }, (c) => division(c)?.name),
    memo: divisionNamesMemo(divisionPath(input.region), (c) => division(c)?.name),
    typedSearchAttributes: [
      { key: SA.awaiting, value: 'department' },
      { key: SA.region, value: input.region },
      { key: SA.regionPath, value: divisionPath(input.region) },
      { key: SA.stage, value: 'report_received' },
      { key: SA.overdue, value: false },
      { key: SA.policyVersion, value: `${input.policy.id}@${input.policy.version}` },
    ],
  });
}

/** The read model's row of a report (404 when none). */
export async function reportOr404(db: Db, reportId: string): Promise<Record<string, any>> {
  const { rows } = await db.query(
    `SELECT *, to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(due_date, 'YYYY-MM-DD') AS due_date, to_char(replied_on, 'YYYY-MM-DD') AS replied_on
       FROM public_reports WHERE report_id = $1`,
    [reportId],
  );
  if (!rows[0]) throw problems.notFound('report', reportId);
  return rows[0];
}

/** A tracking number that does not exist and a secret that does not fit are the same 404: nothing leaks. */
const unknownReport = (trackingNumber: string) => problems.notFound('report', trackingNumber);

/** The report, if `secret` is its secret (compared in constant time on the hashes). */
export async function reportWithSecret(db: Db, trackingNumber: string, secret: string | undefined): Promise<Record<string, any>> {
  const { rows } = await db.query(
    `SELECT report_id, secret_hash, status, outcome, reply, to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(due_date, 'YYYY-MM-DD') AS due_date, to_char(replied_on, 'YYYY-MM-DD') AS replied_on
       FROM public_reports WHERE report_id = $1`,
    [trackingNumber],
  );
  const row = rows[0];
  const given = Buffer.from(sha256(secret ?? ''), 'hex');
  const stored = Buffer.from(row?.secret_hash ?? sha256('no such report'), 'hex');
  if (!timingSafeEqual(given, stored) || !row || !secret) throw unknownReport(trackingNumber);
  return row;
}

/** What the reporter reads: status, dates, outcome and reply; nothing about who handles it. */
export function publicStatus(row: Record<string, any>) {
  return {
    trackingNumber: row.report_id as string,
    status: row.status as ReportStatus,
    receivedOn: row.received_on as string,
    verificationDueDate: (row.due_date as string | null) ?? null,
    outcome: (row.outcome as string | null) ?? null,
    reply: (row.reply as string | null) ?? null,
    repliedOn: (row.replied_on as string | null) ?? null,
  };
}

/** A photo or document of the report: the case evidence's type, signature and size rules; each file once. */
export async function storeReportEvidence(db: Db, reportId: string, content: Buffer, type: string, filename: string | undefined) {
  if (!contentMatchesType(type, content)) throw problems.validation([{ field: '(body)', rule: 'file_signature', message: `the file is not a ${type}`, messageZh: '文件内容与类型不符' }]);
  const hash = sha256(content);
  const evidenceId = `rev-${sha256(`${reportId}\n${hash}`).slice(0, 32)}`;
  return inTransaction(db, async (tx) => {
    const { rows: locked } = await tx.query(`SELECT status FROM public_reports WHERE report_id = $1 FOR UPDATE`, [reportId]);
    if (locked[0]?.status === 'closed') throw problems.conflict('report_closed', `report ${reportId} is concluded; no more evidence is taken`, '该举报已办结，不再接收证据');
    const { rows: counted } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM public_report_evidence WHERE report_id = $1`, [reportId]);
    const inserted = await tx.query(
      `INSERT INTO public_report_evidence (evidence_id, report_id, sha256, content_type, size_bytes, filename, content) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (report_id, sha256) DO NOTHING RETURNING evidence_id`,
      [evidenceId, reportId, hash, type, content.length, filename ?? null, content],
    );
    if (inserted.rowCount && counted[0]!.n >= REPORT_EVIDENCE_MAX_FILES) {
      throw problems.validation([{ field: '(body)', rule: 'evidence_max_files', message: `a report carries at most ${REPORT_EVIDENCE_MAX_FILES} files`, messageZh: `每件举报最多上传${REPORT_EVIDENCE_MAX_FILES}个文件` }]);
    }
    return { evidenceId, sha256: hash, contentType: type, sizeBytes: content.length, created: !!inserted.rowCount };
  });
}

export async function reportEvidence(db: Db, reportId: string) {
  const { rows } = await db.query(`SELECT evidence_id, sha256, content_type, size_bytes, filename, uploaded_at FROM public_report_evidence WHERE report_id = $1 ORDER BY uploaded_at, evidence_id`, [reportId]);
  return rows.map((r) => ({ evidenceId: r.evidence_id, sha256: r.sha256, contentType: r.content_type, sizeBytes: r.size_bytes, filename: r.filename, uploadedAt: r.uploaded_at.toISOString() }));
}

export async function reportEvidenceContent(db: Db, reportId: string, evidenceId: string) {
  const { rows } = await db.query(`SELECT content_type, content, sha256 FROM public_report_evidence WHERE report_id = $1 AND evidence_id = $2`, [reportId, evidenceId]);
  return rows[0] ? { type: rows[0].content_type as string, content: rows[0].content as Buffer, sha256: rows[0].sha256 as string } : undefined;
}

export async function reportEvents(db: Db, reportId: string) {
  const { rows } = await db.query(`SELECT kind, detail, actor, occurred_at FROM public_report_events WHERE report_id = $1 ORDER BY occurred_at, id`, [reportId]);
  return rows.map((r) => ({ kind: r.kind as string, at: r.occurred_at.toISOString(), detail: r.detail, actor: r.actor }));
}

/** Who reported: read only for the verifying department's officials, and audited each time. */
export async function reporterOf(db: Db, key: Buffer, reportId: string, reader: Principal, requestId: string, region: string) {
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ sealed: Buffer }>(`SELECT sealed FROM public_report_reporters WHERE report_id = $1`, [reportId]);
    if (!rows[0]) return null;
    await appendAudit(tx, { requestId, actor: reader, action: 'report.readReporter', target: reportId, region, result: 200 });
    return openIdentity(key, reportId, rows[0].sealed);
  });
}

export function reportSummary(row: Record<string, any>) {
  return {
    reportId: row.report_id as string,
    region: row.region as string,
    regionName: divisionFullName(row.region) ?? row.region,
    channel: row.channel as string,
    externalRef: (row.external_ref as string | null) ?? null,
    receivedOn: row.received_on as string,
    enterpriseName: row.enterprise_name as string,
    creditCode: (row.credit_code as string | null) ?? null,
    industry: (row.industry as string | null) ?? null,
    dimension: (row.dimension as string | null) ?? null,
    realName: row.real_name as boolean,
    status: row.status as ReportStatus,
    outcome: (row.outcome as string | null) ?? null,
    assignee: row.assignee_role ? { role: row.assignee_role as string, department: row.assignee_department as string | null, jurisdiction: row.assignee_jurisdiction as string } : null,
    dueDate: (row.due_date as string | null) ?? null,
    overdue: row.overdue as boolean,
    caseId: (row.case_id as string | null) ?? null,
  };
}

export interface ReportFilter {
  region?: string;
  status?: ReportStatus;
  overdue?: boolean;
  page: number;
  pageSize: number;
}

/** Reports in the caller's jurisdiction (operators: all), newest first. */
export async function listReports(db: Db, principal: Principal, f: ReportFilter) {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (principal.role !== 'operator') where.push(`region LIKE ${add(`${divisionPrefix(principal.jurisdiction!)}%`)}`);
  if (f.region) where.push(`region LIKE ${add(`${divisionPrefix(f.region)}%`)}`);
  if (f.status) where.push(`status = ${add(f.status)}`);
  if (f.overdue !== undefined) where.push(`overdue = ${add(f.overdue)}`);
  const from = `FROM public_reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const [{ rows: counted }, { rows }] = await Promise.all([
    db.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, [...values]),
    db.query(
      `SELECT *, to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(due_date, 'YYYY-MM-DD') AS due_date ${from} ORDER BY received_at DESC, report_id LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`,
      values,
    ),
  ]);
  return { items: rows.map(reportSummary), page: f.page, pageSize: f.pageSize, total: counted[0]?.total ?? 0 };
}
