import request from 'supertest';
import { toLegalDate } from '../domain/deadlines';
import { SA } from '../workflows/search-attributes';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('an official registers an enterprise and opens an energy case', () => {
  it('records the case, e-mails the rectification notice and shows the case in Temporal and the API', async () => {
    const auth = await bearer(officials.zhengzhouIndustry);
    const enterprise = enterpriseBody();

    const registered = await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise);
    expect(registered.status).toBe(201);
    expect(registered.headers.location).toBe(`/api/v1/enterprises/${enterprise.creditCode}`);
    expect(registered.body).toMatchObject({ creditCode: enterprise.creditCode, name: enterprise.name, facilities: enterprise.facilities });

    // Served today: a notice served months ago would already be overdue and escalated.
    const servedOn = toLegalDate(new Date().toISOString());
    const body = openCaseBody(enterprise.creditCode, { noticeServedOn: servedOn });
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(body);
    expect(opened.status).toBe(201);
    const caseId = `case-410102-${enterprise.creditCode}-${body.caseNumber}`;
    // The answer comes once the notice is served: the case is already in rectification, with its deadline.
    expect(opened.body).toMatchObject({ caseId, stage: 'rectification', deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), policy: { id: 'henan' } });
    expect(opened.body.links.temporalUi).toContain(encodeURIComponent(caseId));

    // The notice reaches the enterprise's contact through real SMTP.
    const mail = await stack.sink.waitFor((m) => m.subject.includes(body.caseNumber), 30_000);
    expect(mail.to).toEqual([enterprise.contact.email]);
    expect(mail.subject).toBe(`【整改通知】${enterprise.name}：能耗不达标，限期整改（${body.caseNumber}）`);
    expect(mail.text).toContain('2号高炉 450m³：40 万吨/年');
    expect(mail.text).toContain(body.legalBasis);

    // The case record and its history are in PostgreSQL.
    const row = await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT * FROM cases WHERE case_id = $1 AND stage = 'rectification'`, [caseId]);
      return rows[0];
    }, 30_000, 'case row in rectification');
    expect(row).toMatchObject({ credit_code: enterprise.creditCode, dimension: 'energy', department: 'industry_it', notice_served_on: servedOn, region_code: '410102' });
    const events = await stack.db.query(`SELECT kind, stage FROM case_events WHERE case_id = $1 ORDER BY id`, [caseId]);
    expect(events.rows).toEqual([{ kind: 'opened', stage: 'opened' }, { kind: 'stage', stage: 'rectification' }]);
    // The notice names the deadline, so it goes out after the stage is recorded; the outbox marks it sent after SMTP accepts it.
    const sent = await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT kind, status, message_id FROM notifications WHERE case_id = $1`, [caseId]);
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    }, 10_000, 'notice marked sent');
    expect(sent).toEqual([{ kind: 'rectification_notice', status: 'sent', message_id: mail.messageId }]);

    // The official's two commands are audited.
    const audit = await stack.db.query(`SELECT action, target, result, actor->>'sub' AS sub FROM audit_log WHERE target IN ($1, $2) ORDER BY id`, [enterprise.creditCode, caseId]);
    expect(audit.rows).toEqual([
      { action: 'enterprise.register', target: enterprise.creditCode, result: 201, sub: 'zz-gx-01' },
      { action: 'case.open', target: caseId, result: 201, sub: 'zz-gx-01' },
    ]);

    // Officials read the case's audit trail through the API, and the region's.
    const trail = await request(stack.app).get(`/api/v1/cases/${caseId}/audit`).set('Authorization', auth);
    expect(trail.status).toBe(200);
    expect(trail.body.items).toEqual([expect.objectContaining({ action: 'case.open', regionCode: '410102', result: 201, requestId: opened.headers['x-request-id'] })]);
    const region = await request(stack.app).get('/api/v1/audit').query({ action: 'enterprise.register' }).set('Authorization', auth);
    expect(region.body.items.map((i: { target: string }) => i.target)).toContain(enterprise.creditCode);
    const elsewhere = await request(stack.app).get('/api/v1/audit').query({ region: '350100' }).set('Authorization', auth);
    expect(elsewhere.status).toBe(403);

    // Operators can filter it in Temporal UI by the search attributes.
    const description = await stack.temporal.workflow.getHandle(caseId).describe();
    expect(description.typedSearchAttributes.get(SA.region)).toBe('410102');
    expect(description.typedSearchAttributes.get(SA.regionPath)).toEqual(['410102', '410100', '410000']);
    expect(description.typedSearchAttributes.get(SA.industry)).toBe('steel');
    expect(description.typedSearchAttributes.get(SA.dimension)).toBe('energy');
    expect(description.memo).toMatchObject({ enterpriseName: enterprise.name });
    await eventually(async () => ((await stack.temporal.workflow.getHandle(caseId).describe()).typedSearchAttributes.get(SA.stage) === 'rectification' ? true : undefined));

    // The API reads it back with its live state.
    const read = await request(stack.app).get(`/api/v1/cases/${caseId}`).set('Authorization', auth);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ caseId, stage: 'rectification', enterpriseName: enterprise.name, policy: { id: 'henan' } });
  });

  it('answers at once with Prefer: respond-async, before the notice is served', async () => {
    const auth = await bearer(officials.zhengzhouIndustry);
    const enterprise = enterpriseBody();
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise)).status).toBe(201);
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).set('Prefer', 'respond-async').send(openCaseBody(enterprise.creditCode));
    expect(opened.status).toBe(201);
    expect(opened.headers['preference-applied']).toBe('respond-async');
    expect(opened.body).toMatchObject({ stage: 'opened', deadline: null });
    // The workflow goes on by itself.
    await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [opened.body.caseId]);
      return rows[0]?.stage === 'rectification' ? true : undefined;
    });
  });

  it('refuses to open the same notice twice, and to register the same enterprise twice', async () => {
    const auth = await bearer(officials.zhengzhouIndustry);
    const enterprise = enterpriseBody();
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise)).status).toBe(201);
    const again = await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body.errors).toEqual([expect.objectContaining({ field: 'creditCode', rule: 'unique' })]);

    const body = openCaseBody(enterprise.creditCode);
    expect((await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(body)).status).toBe(201);
    const twice = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(body);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'case_exists', errors: [expect.objectContaining({ field: 'caseNumber', rule: 'unique' })] });
    const audit = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.open' AND target = $1`, [twice.body.caseId]);
    expect(audit.rows[0].n).toBe(1);
  });
});
