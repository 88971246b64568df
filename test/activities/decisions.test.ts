import { randomUUID } from 'node:crypto';
import { createDecisionActivities } from '../../activities/decisions';
import { contactsFor } from '../../activities/directory';
import { createMailer, type Mailer } from '../../activities/mailer';
import { createPool, type Db } from '../../db/pool';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { randomCreditCode } from '../support/fixtures';

const ENTERPRISE = '郑州市中原钢铁有限公司';

/** An enterprise and a case of our own (the database is shared with other test files). */
async function recordCase(db: Db): Promise<{ caseId: string; caseNumber: string }> {
  const creditCode = randomCreditCode('410100');
  const caseNumber = `ZZGX-2026-${randomUUID().slice(0, 6)}`;
  const caseId = `410102/${creditCode}/${caseNumber}`;
  await db.query(
    `INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by)
     VALUES ($1, $2, '410102', 'steel', '王经理', 'compliance@zhongyuan-steel.example.cn', '{}')`,
    [creditCode, ENTERPRISE],
  );
  await db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis,
                        notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1, $2, $3, '410102', 'steel', 'energy', 'industry_it', '工信部联产业〔2017〕30号', '2026-03-02',
             '[]', 'henan', '1', 'rectifying', '{}', now())`,
    [caseId, caseNumber, creditCode],
  );
  return { caseId, caseNumber };
}

const extensionRequest = (caseId: string) => ({
  decisionId: `${caseId}/extension/1`,
  caseId,
  kind: 'extension',
  // Henan: the extension is decided by the city government (豫 2021 plan).
  assigneeRole: 'approving_government',
  jurisdiction: '410100',
  dueDate: '2026-08-14',
  dueAt: '2026-08-14T15:59:59.999Z',
  detail: { requestedMonths: 3 },
});

const mailsFor = (sink: SmtpSink, caseId: string) => sink.messages.filter((m) => m.headers['x-exitflow-case'] === caseId);

describe('decisions and notices to authorities', () => {
  let db: Db;
  let sink: SmtpSink;
  let mailer: Mailer;
  let activities: ReturnType<typeof createDecisionActivities>;
  beforeAll(async () => {
    db = createPool(process.env.TEST_DATABASE_URL as string, 3);
    sink = await startSmtpSink();
    mailer = createMailer(`${sink.smtpUrl}?tls=off`, 'exitflow <noreply@exitflow.local>');
    activities = createDecisionActivities({ db, mailer, publicBaseUrl: 'http://localhost:3000' });
  });
  afterAll(async () => {
    mailer.close();
    await sink.stop();
    await db.end();
  });

  it("an extension request appears in the city government's open decisions and its contact is e-mailed once", async () => {
    const { caseId, caseNumber } = await recordCase(db);
    const first = await activities.requestDecision(extensionRequest(caseId));
    const retry = await activities.requestDecision(extensionRequest(caseId));

    expect(first.notified).toEqual(['zfb@zhengzhou.example.gov.cn']);
    expect(retry.notified).toEqual(first.notified);
    const open = await db.query(
      `SELECT decision_id, kind, due_date, detail FROM decisions
        WHERE status = 'open' AND jurisdiction = '410100' AND assignee_role = 'approving_government' ORDER BY due_at`,
    );
    expect(open.rows.filter((r) => r.decision_id === `${caseId}/extension/1`)).toEqual([
      { decision_id: `${caseId}/extension/1`, kind: 'extension', due_date: '2026-08-14', detail: { requestedMonths: 3 } },
    ]);
    const mails = mailsFor(sink, caseId);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['zfb@zhengzhou.example.gov.cn']);
    expect(mails[0]!.subject).toContain(ENTERPRISE);
    expect(mails[0]!.subject).toContain(caseNumber);
    expect(mails[0]!.subject).toContain('2026-08-14');
    expect(mails[0]!.subject).toContain('延期');
  });

  it('a decision closed twice is recorded once', async () => {
    const { caseId } = await recordCase(db);
    await activities.requestDecision(extensionRequest(caseId));
    const decidedBy = { id: 'zz-gov-01', role: 'approving_government', jurisdiction: '410100' };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    await activities.closeDecision({ decisionId: `${caseId}/extension/1`, outcome: 'approved', decidedBy, decidedAt: '2026-07-01T02:00:00.000Z' });
    await activities.closeDecision({ decisionId: `${caseId}/extension/1`, outcome: 'rejected', decidedBy: null, decidedAt: '2026-07-02T02:00:00.000Z' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('the first stands'), expect.objectContaining({ recorded: 'approved', ignored: 'rejected' }));
    warn.mockRestore();

    const { rows } = await db.query(`SELECT status, outcome, decided_by, decided_at FROM decisions WHERE decision_id = $1`, [`${caseId}/extension/1`]);
    expect(rows).toEqual([{ status: 'decided', outcome: 'approved', decided_by: decidedBy, decided_at: new Date('2026-07-01T02:00:00.000Z') }]);
  });

  it('a rescheduled decision moves its due date; a repeat changes nothing; a closed one keeps its date', async () => {
    const { caseId } = await recordCase(db);
    const decisionId = `${caseId}/extension/1`;
    await activities.requestDecision(extensionRequest(caseId));
    const moved = { decisionId, dueDate: '2026-09-07', dueAt: '2026-09-07T16:00:00.000Z', idempotencyKey: `${decisionId}/due/2026-09-07` };
    expect(await activities.rescheduleDecision(moved)).toEqual({ updated: true });
    expect(await activities.rescheduleDecision(moved)).toEqual({ updated: true });
    const due = async () => (await db.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date, due_at FROM decisions WHERE decision_id = $1`, [decisionId])).rows[0];
    expect(await due()).toEqual({ due_date: '2026-09-07', due_at: new Date('2026-09-07T16:00:00.000Z') });

    await activities.closeDecision({ decisionId, outcome: 'approved', decidedBy: null, decidedAt: '2026-07-01T02:00:00.000Z' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await activities.rescheduleDecision({ ...moved, dueDate: '2026-10-09', dueAt: '2026-10-09T16:00:00.000Z' })).toEqual({ updated: false });
    warn.mockRestore();
    expect(await due()).toEqual({ due_date: '2026-09-07', due_at: new Date('2026-09-07T16:00:00.000Z') });
  });

  it('a withdrawn decision leaves the open list', async () => {
    const { caseId } = await recordCase(db);
    await activities.requestDecision({ ...extensionRequest(caseId), decisionId: `${caseId}/closure/1`, kind: 'closure' });
    await activities.closeDecision({ decisionId: `${caseId}/closure/1`, outcome: 'voluntary_exit', decidedBy: null, decidedAt: '2026-07-01T02:00:00.000Z', status: 'withdrawn' });
    const { rows } = await db.query(`SELECT decision_id FROM decisions WHERE status = 'open' AND case_id = $1`, [caseId]);
    expect(rows).toEqual([]);
  });

  it('closing a decision that was never requested fails without retrying', async () => {
    await expect(
      activities.closeDecision({ decisionId: `nowhere/${randomUUID()}`, outcome: 'approved', decidedBy: null, decidedAt: '2026-07-01T02:00:00.000Z' }),
    ).rejects.toMatchObject({ nonRetryable: true, type: 'DecisionNotFound' });
  });

  it('a re-inspection request reaches only the enforcing department', async () => {
    const { caseId } = await recordCase(db);
    const { notified } = await activities.requestDecision({
      ...extensionRequest(caseId),
      decisionId: `${caseId}/reinspection/1`,
      kind: 'reinspection',
      assigneeRole: 'enforcement_official',
      assigneeDepartment: 'ecology_environment',
    });
    expect(notified).toEqual(['sthjj@zhengzhou.example.gov.cn']);
    expect((await sink.waitFor((m) => m.headers['x-exitflow-decision'] === `${caseId}/reinspection/1`)).to).toEqual(['sthjj@zhengzhou.example.gov.cn']);
  });

  it("Henan's extension filing reaches the provincial development & reform commission and industry & IT department in one mail", async () => {
    const { caseId } = await recordCase(db);
    const notice = {
      caseId,
      idempotencyKey: `${caseId}/extension/1/filing`,
      jurisdiction: '410000',
      roles: ['enforcement_official'],
      departments: ['development_reform', 'industry_it'],
      subject: `【报备】${ENTERPRISE} 延期整改`,
      text: '郑州市人民政府已批准该企业延期整改3个月，特此报备。',
    };
    const first = await activities.notifyAuthorities(notice);
    await activities.notifyAuthorities(notice);

    expect(first.notified).toEqual(['fgw@henan.example.gov.cn', 'gxt@henan.example.gov.cn']);
    const mails = mailsFor(sink, caseId);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to.sort()).toEqual(['fgw@henan.example.gov.cn', 'gxt@henan.example.gov.cn']);
    expect(mails[0]!.text).toContain('特此报备');
  });

  it('a decision for a district with no contact on file goes to the nearest division above that has one (its city)', async () => {
    const { caseId } = await recordCase(db);
    const { notified } = await activities.requestDecision({ ...extensionRequest(caseId), jurisdiction: '410102' });
    expect(notified).toEqual(['zfb@zhengzhou.example.gov.cn']);
  });

  it('a decision for a division with no contact on file at any level is still listed, and its notice is recorded without recipients', async () => {
    const { caseId } = await recordCase(db);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const { notified } = await activities.requestDecision({ ...extensionRequest(caseId), jurisdiction: '530102' });

    expect(notified).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no authority contact'), expect.objectContaining({ key: `${caseId}/extension/1/notify` }));
    warn.mockRestore();
    const decision = await db.query(`SELECT status FROM decisions WHERE decision_id = $1`, [`${caseId}/extension/1`]);
    expect(decision.rows).toEqual([{ status: 'open' }]);
    const outbox = await db.query(`SELECT recipients, status FROM notifications WHERE idempotency_key = $1`, [`${caseId}/extension/1/notify`]);
    expect(outbox.rows).toEqual([{ recipients: [], status: 'sent' }]);
    expect(mailsFor(sink, caseId)).toHaveLength(0);
  });

  it('a decision request during an e-mail outage is mailed once when retried', async () => {
    const { caseId } = await recordCase(db);
    const own = await startSmtpSink();
    const ownMailer = createMailer(`${own.smtpUrl}?tls=off`, 'exitflow <noreply@exitflow.local>');
    const ownActivities = createDecisionActivities({ db, mailer: ownMailer, publicBaseUrl: 'http://localhost:3000' });
    try {
      await own.stop();
      await expect(ownActivities.requestDecision(extensionRequest(caseId))).rejects.toThrow();
      await own.start();
      await ownActivities.requestDecision(extensionRequest(caseId));
      await ownActivities.requestDecision(extensionRequest(caseId));
      expect(mailsFor(own, caseId)).toHaveLength(1);
      const outbox = await db.query(`SELECT attempts, status FROM notifications WHERE idempotency_key = $1`, [`${caseId}/extension/1/notify`]);
      expect(outbox.rows).toEqual([{ attempts: 3, status: 'sent' }]);
    } finally {
      ownMailer.close();
      await own.stop();
    }
  });
});

describe('authority contacts', () => {
  let db: Db;
  beforeAll(() => {
    db = createPool(process.env.TEST_DATABASE_URL as string, 2);
  });
  afterAll(() => db.end());

  const SEED_DIVISIONS = ['410000', '410100', '210000', '440000', '350000', '350100', '650000', '652300'];
  const DEPARTMENTS = ['industry_it', 'development_reform', 'ecology_environment', 'market_regulation', 'emergency_management'];

  it.each(SEED_DIVISIONS)('division %s has an approving government, a coordination office and an official of each department', async (code) => {
    for (const role of ['approving_government', 'coordination_office']) {
      expect(await contactsFor(db, code, role)).toHaveLength(1);
    }
    for (const department of DEPARTMENTS) {
      const officials = await contactsFor(db, code, 'enforcement_official', department);
      expect(officials).toHaveLength(1);
      expect(officials[0]!.email).toMatch(/^[a-z]+@[a-z]+\.example\.gov\.cn$/);
    }
    expect(await contactsFor(db, code, 'enforcement_official')).toHaveLength(DEPARTMENTS.length);
  });
});
