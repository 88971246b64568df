import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { z } from 'zod';
import { ACTION_ROUTES, actionBodySchema } from '../api/routes/actions';
import { OpenCase } from '../domain/case';
import { RegisterEnterprise } from '../domain/enterprise';
import { ACTION_ROLES, ACTIONS, DECISION_OF_ACTION } from '../domain/stages';
import { deciderFor } from '../domain/authority';
import { policyFor } from '../domain/policy';
import { caseStateQuery } from '../workflows/messages';
import { eventually, startStack, type Stack } from './support/stack';

// Many malformed bodies and headers against every command endpoint: always a 4xx problem, never
// a 5xx, and nothing changes in PostgreSQL or in Temporal.
let stack: Stack;
let auth: string;
let registered: string;
let caseId: string;
// A caller of its own, so what it could have stored is told apart from other test files' rows.
const official = { ...officials.zhengzhouIndustry, sub: `property-${randomUUID()}` };

beforeAll(async () => {
  stack = await startStack();
  auth = await bearer(official);
  const e = enterpriseBody();
  registered = e.creditCode;
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(registered));
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  await eventually(async () => ((await stack.db.query(`SELECT 1 FROM cases WHERE case_id = $1 AND stage = 'rectification'`, [caseId])).rowCount ? true : undefined));
  // The workflow must be idle (no workflow task or activity under way) before its history is counted.
  await eventually(async () => {
    const d = await stack.temporal.workflow.getHandle(caseId).describe();
    return !d.raw.pendingWorkflowTask && !d.raw.pendingActivities?.length ? true : undefined;
  });
});
afterAll(async () => {
  await stack?.close();
});

/** Everything this caller's commands could have stored: rows that name it, and workflows on this file's task queue. */
async function snapshot() {
  const { rows } = await stack.db.query(
    `SELECT (SELECT count(*) FROM enterprises WHERE registered_by->>'sub' = $1)::int AS enterprises,
            (SELECT count(*) FROM cases WHERE opened_by->>'id' = $1)::int AS cases,
            (SELECT count(*) FROM audit_log WHERE actor->>'sub' = $1)::int AS audit,
            (SELECT count(*) FROM idempotency_keys WHERE principal = $1)::int AS idempotency_keys,
            (SELECT count(*) FROM facilities f JOIN enterprises e USING (credit_code) WHERE e.registered_by->>'sub' = $1)::int AS facilities`,
    [official.sub],
  );
  const workflows = await stack.temporal.workflow.count(`TaskQueue = "${stack.taskQueue}"`);
  const history = caseId ? (await stack.temporal.workflow.getHandle(caseId).fetchHistory()).events?.length : 0;
  return { ...rows[0], workflows: workflows.count, caseHistoryEvents: history };
}

const requiredOf = (schema: z.ZodObject) => Object.entries(schema.shape).filter(([, v]) => !(v as z.ZodType).isOptional()).map(([k]) => k);

/** Every command endpoint: a body to break, and its required fields (from the schema it validates with). */
const commands = () => [
  { path: '/api/v1/enterprises', valid: enterpriseBody() as Record<string, unknown>, required: requiredOf(RegisterEnterprise), schema: RegisterEnterprise as z.ZodType },
  { path: '/api/v1/cases', valid: openCaseBody(registered) as Record<string, unknown>, required: requiredOf(OpenCase as unknown as z.ZodObject), schema: OpenCase as z.ZodType },
  ...ACTIONS.map((a) => ({ path: `/api/v1/cases/${caseId}/${ACTION_ROUTES[a].path}`, valid: { ...ACTION_ROUTES[a].example }, required: requiredOf(actionBodySchema(a)), schema: actionBodySchema(a) as z.ZodType })),
];

/**
 * A body that breaks at least one rule: a required field dropped or replaced by junk, or not an object
 * at all. Junk can happen to be valid (a 600-character reason is a valid closure proposal, "Jmb" a
 * valid enterprise name), so every generated body is checked against the endpoint's own schema and
 * kept only if the schema refuses it.
 */
const brokenBody = (valid: Record<string, unknown>, required: string[]) =>
  required.length === 0
    ? // Nothing is required: break it with unknown fields or a body that is not an object.
      fc.oneof(fc.constant({ ...valid, unexpected: true }), fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 })), fc.string(), fc.integer(), fc.constant(null)))
    : fc.oneof(
    fc.constantFrom(...required).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    fc
      .tuple(fc.constantFrom(...required), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.string({ maxLength: 3 }), fc.string({ minLength: 10_001, maxLength: 10_010 })))
      .map(([k, junk]) => ({ ...valid, [k]: junk })),
    fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })).filter((d) => required.some((k) => !(k in d))),
    fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 })), fc.string(), fc.integer(), fc.constant(null)),
  );

const brokenHeaders = fc.record(
  {
    'Content-Type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
    'Idempotency-Key': fc.oneof(fc.constant(''), fc.string({ unit: 'grapheme-ascii', minLength: 201, maxLength: 260 }), fc.constant('two words'), fc.uuid()),
    Authorization: fc.oneof(fc.constant('Bearer'), fc.constant('Basic dXNlcjpwYXNz'), fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((s) => `Bearer ${s}`)),
  },
  { requiredKeys: [] },
);

it('answers every malformed command with a 4xx problem and changes nothing', async () => {
  const before = await snapshot();
  for (const command of commands()) {
    await fc.assert(
      fc.asyncProperty(brokenBody(command.valid, command.required).filter((b) => !command.schema.safeParse(b).success), brokenHeaders, fc.boolean(), async (body, headers, rawText) => {
        let req = request(stack.app).post(command.path).set('Authorization', auth);
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) req = req.set(k, v);
        const payload = rawText ? JSON.stringify(body).slice(0, -1) : JSON.stringify(body); // sometimes truncated JSON
        const res = await req.send(payload);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(typeof res.body.title).toBe('string');
        expect(JSON.stringify(res.body)).not.toMatch(/at .+\.ts:\d+/); // no stack traces
      }),
      { numRuns: command.path.startsWith('/api/v1/cases/') ? 30 : 150 },
    );
  }
  expect(await snapshot()).toEqual(before);
});

/** Every path to a string in a body (nested objects and arrays included). */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withValue(body: Record<string, unknown>, path: (string | number)[], f: (s: string) => unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  at[last] = f(at[last] as string);
  return copy;
}

/**
 * A caller who may send the command (403 would come before any check of the body): the body the
 * case's policy names for a decision (domain/authority.ts), else the first role the action allows.
 */
async function callerFor(path: string): Promise<string> {
  const action = ACTIONS.find((a) => path.endsWith(`/${ACTION_ROUTES[a].path}`));
  const step = action ? DECISION_OF_ACTION[action] : undefined;
  if (step) {
    const d = deciderFor({ policy: policyFor('410102'), dimension: 'energy', department: 'industry_it', region: '410102' }, step);
    return bearer({ sub: official.sub, name: d.role, role: d.role, jurisdiction: d.jurisdiction, ...(d.department ? { department: d.department } : {}) });
  }
  const role = action ? ACTION_ROLES[action][0]! : 'enforcement_official';
  if (role === 'enforcement_official') return auth;
  if (role === 'enterprise') return bearer({ sub: official.sub, name: '企业', role, creditCode: registered });
  return bearer({ sub: official.sub, name: role, role: role as 'inspector', jurisdiction: '410100' });
}

/** Characters no field may hold: C0 and C1 controls other than line breaks, and the bidirectional overrides. */
const forbiddenCharacter = fc.oneof(
  fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'),
  fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'),
);

it('refuses a control character or a bidirectional override in every string of every command, naming the field, and changes nothing', async () => {
  const before = await snapshot();
  for (const command of commands()) {
    const paths = stringPaths(command.valid);
    if (!paths.length) continue;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), forbiddenCharacter, fc.nat(), async (path, ch, at) => {
        const body = withValue(command.valid, path, (s) => s.slice(0, at % (s.length + 1)) + ch + s.slice(at % (s.length + 1)));
        const res = await request(stack.app).post(command.path).set('Authorization', await callerFor(command.path)).set('Idempotency-Key', randomUUID()).send(body);
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(path.join('.'));
      }),
      { numRuns: 12 },
    );
  }
  expect(await snapshot()).toEqual(before);
});

it('refuses dates at and beyond the edges of the legal range, and dates that do not exist', async () => {
  const before = await snapshot();
  const edges = fc.constantFrom('0000-01-01', '1999-12-31', '2100-01-01', '9999-12-31', '2026-02-30', '2026-13-01', '+02026-01-01', '2026-1-1');
  const dated = commands().flatMap((c) => Object.entries(c.valid).filter(([k]) => /On$|^until$/.test(k)).map(([k]) => ({ ...c, field: k })));
  expect(dated.map((d) => d.field).sort()).toEqual(['dismantledOn', 'noticeServedOn', 'sealedOn', 'until']);
  for (const command of dated) {
    await fc.assert(
      fc.asyncProperty(edges, async (date) => {
        const res = await request(stack.app).post(command.path).set('Authorization', await callerFor(command.path)).send({ ...command.valid, [command.field]: date });
        expect(res.status).toBe(422);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(command.field);
      }),
      { numRuns: 8 },
    );
  }
  expect(await snapshot()).toEqual(before);
});

it('answers compressed garbage with a 4xx problem, with or without a token, and changes nothing', async () => {
  const before = await snapshot();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...commands().map((c) => c.path)), fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown'), fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.boolean(), async (path, encoding, junk, withToken) => {
      let req = request(stack.app).post(path).set('Content-Type', 'application/json').set('Content-Encoding', encoding);
      if (withToken) req = req.set('Authorization', auth);
      const res = await req.send(Buffer.from(junk));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }),
    { numRuns: 60 },
  );
  expect(await snapshot()).toEqual(before);
});

it('leaves the case able to take its next action, and lets two callers sharing an Idempotency-Key each act', async () => {
  const key = `shared-${randomUUID()}`;
  const other = await bearer({ ...official, sub: `property-other-${randomUUID()}` });
  const path = `/api/v1/cases/${caseId}`;
  const first = await request(stack.app).post(`${path}/clock-suspensions`).set('Authorization', auth).set('Idempotency-Key', key).send({ ground: 'administrative_review' });
  expect(first.status).toBe(200);
  expect((await request(stack.app).post(`${path}/clock-resumptions`).set('Authorization', auth).send({})).status).toBe(200);
  const second = await request(stack.app).post(`${path}/clock-suspensions`).set('Authorization', other).set('Idempotency-Key', key).send({ ground: 'litigation' });
  expect(second.status).toBe(200);
  expect((await stack.temporal.workflow.getHandle(caseId).query(caseStateQuery)).clockSuspended).toBe(true);
});
