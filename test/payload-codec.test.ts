import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { Connection, Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker, type Worker as WorkerType } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, PayloadDecryptionError, parseCodecKeys } from '../config/payload-codec';
import { temporalClient } from '../config/temporal-client';
import { createApp } from '../api/app';
import { createMailer, type Mailer } from '../activities/mailer';
import { createPool, type Db } from '../db/pool';
import { createExitflowWorker } from '../worker/worker';
import { startSmtpSink, type SmtpSink } from '../scripts/lib/smtp-sink';
import { startRecordingEndpoint, type RecordingEndpoint } from '../scripts/lib/recording-endpoint';
import { bearer, enterpriseBody, officials, openCaseBody, TOKENS } from './support/fixtures';
import { eventually, silentLog, workflowBundle } from './support/stack';

const key = () => randomBytes(32).toString('base64');
const OLD = `k2026a:${key()}`;
const NEW = `k2026b:${key()}`;
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v) as Payload;
const fromPayload = (p: Payload) => defaultPayloadConverter.fromPayload(p);

describe('the payload codec (AES-256-GCM)', () => {
  const contact = { name: '王经理', email: 'compliance@zhongyuan-steel.example.cn', phone: '0371-12345678' };

  it('round-trips a payload, and what it stores shows none of it', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(NEW));
    const [encrypted] = await codec.encode([toPayload(contact)]);
    expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted!.metadata!['encryption-key-id'])).toBe('k2026b');
    const stored = Buffer.from(temporal.api.common.v1.Payload.encode(encrypted!).finish());
    for (const clear of [contact.email, contact.phone, contact.name, 'json/plain']) expect(stored.includes(Buffer.from(clear))).toBe(false);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(fromPayload(decrypted!)).toEqual(contact);
    expect(text(decrypted!.metadata!.encoding)).toBe('json/plain');
    // Two encryptions of the same value differ (a fresh nonce each time).
    const [again] = await codec.encode([toPayload(contact)]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(encrypted!.data!))).toBe(false);
  });

  it('passes payloads written before it was switched on through unchanged', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(NEW));
    const clear = toPayload({ caseId: 'C-1' });
    expect(await codec.decode([clear])).toEqual([clear]);
  });

  it('rotates keys: a new key put first encrypts, the old one still decrypts; without it, old payloads cannot be read', async () => {
    const before = new AesGcmPayloadCodec(parseCodecKeys(OLD));
    const [old] = await before.encode([toPayload(contact)]);
    const rotated = new AesGcmPayloadCodec(parseCodecKeys(`${NEW},${OLD}`));
    expect(fromPayload((await rotated.decode([old!]))[0]!)).toEqual(contact);
    const [fresh] = await rotated.encode([toPayload(contact)]);
    expect(text(fresh!.metadata!['encryption-key-id'])).toBe('k2026b');
    const retired = new AesGcmPayloadCodec(parseCodecKeys(NEW));
    await expect(retired.decode([old!])).rejects.toThrow(PayloadDecryptionError);
    await expect(retired.decode([old!])).rejects.toThrow(/k2026a.*not among PAYLOAD_CODEC_KEYS/);
  });

  it('refuses a payload that was altered', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(NEW));
    const [encrypted] = await codec.encode([toPayload(contact)]);
    const data = Buffer.from(encrypted!.data!);
    data[20]! ^= 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(/does not authenticate/);
  });

  it('is required in production, and its keys are checked at start', () => {
    const base = { DATABASE_URL: 'postgres://localhost/exitflow', NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40) };
    expect(() => loadConfig(base)).toThrow(/PAYLOAD_CODEC_KEYS: is required in production/);
    expect(loadConfig({ ...base, PAYLOAD_CODEC_KEYS: `${NEW},${OLD}` }).PAYLOAD_CODEC_KEYS).toBe(`${NEW},${OLD}`);
    expect(() => loadConfig({ ...base, PAYLOAD_CODEC_KEYS: 'k1:short' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PAYLOAD_CODEC_KEYS: 'k1:short' })).toThrow(/PAYLOAD_CODEC_KEYS: must be keyId:base64key/);
    expect(() => loadConfig({ ...base, PAYLOAD_CODEC_KEYS: `${NEW},${NEW}` })).toThrow(/key id k2026b appears twice/);
    // Development runs without one (payloads in clear).
    expect(loadConfig({ DATABASE_URL: base.DATABASE_URL }).PAYLOAD_CODEC_KEYS).toBeUndefined();
  });
});

describe('a case opened with the codec on', () => {
  const keys = `${NEW},${OLD}`;
  let db: Db;
  let sink: SmtpSink;
  let platforms: RecordingEndpoint;
  let mailer: Mailer;
  let connection: Connection;
  let codecClient: Client;
  let plainClient: Client;
  let worker: WorkerType;
  let workerRun: Promise<void>;
  let app: ReturnType<typeof createApp>;
  const taskQueue = `codec-${randomUUID()}`;
  const UI_ORIGIN = 'https://temporal-ui.exitflow.example';

  beforeAll(async () => {
    db = createPool(process.env.TEST_DATABASE_URL!, 3);
    sink = await startSmtpSink();
    platforms = await startRecordingEndpoint();
    mailer = createMailer(sink.smtpUrl, 'exitflow <noreply@exitflow.local>');
    connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    codecClient = temporalClient(connection, { PAYLOAD_CODEC_KEYS: keys });
    plainClient = new Client({ connection });
    worker = await createExitflowWorker({
      config: { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_CODEC_KEYS: keys },
      deps: { db, mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: platforms.url },
      workflowBundle: await workflowBundle(),
    });
    workerRun = worker.run();
    app = createApp({
      config: {
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        TEMPORAL_UI_URL: 'http://localhost:8233',
        TEMPORAL_UI_ORIGIN: UI_ORIGIN,
        PUBLIC_BASE_URL: 'http://localhost:3000',
        AUTH_JWT_SECRET: TOKENS.secret,
        AUTH_JWT_ISSUER: TOKENS.issuer,
        AUTH_JWT_AUDIENCE: TOKENS.audience,
        PAYLOAD_CODEC_KEYS: keys,
      },
      db,
      temporal: codecClient,
      mailer,
      log: silentLog,
    });
  });

  afterAll(async () => {
    worker?.shutdown();
    await workerRun?.catch(() => {});
    await connection?.close();
    await db?.end();
    mailer?.close();
    await sink?.stop();
    await platforms?.stop();
  });

  const historyBytes = async (client: Client, workflowId: string) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return { history, bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()) };
  };

  let caseId: string;
  let startInput: Payload[];
  const enterprise = enterpriseBody({ contact: { name: '赵联络', email: `contact-${randomUUID().slice(0, 8)}@codec-steel.example.cn`, phone: '0371-87654321' } });

  it('keeps the contact out of the raw history, while the codec-equipped API reads the case', async () => {
    const auth = await bearer(officials.zhengzhouIndustry);
    expect((await request(app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise)).status).toBe(201);
    const opened = await request(app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(enterprise.creditCode));
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    // The rectification notice is mailed to the contact: the activity's input carried the address.
    await eventually(async () => (sink.messages.some((m) => JSON.stringify(m).includes(enterprise.contact.email)) ? true : undefined), 30_000, 'the notice mailed to the contact');
    const { history, bytes } = await historyBytes(plainClient, caseId);
    expect(history.events!.length).toBeGreaterThan(5);
    for (const clear of [enterprise.contact.email, enterprise.contact.phone, enterprise.contact.name] as string[]) expect(bytes.includes(Buffer.from(clear))).toBe(false);
    // Every payload of the start event is sealed with the first key.
    startInput = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads! as Payload[];
    expect(startInput.length).toBeGreaterThan(0);
    for (const p of startInput) {
      expect(text(p.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(p.metadata!['encryption-key-id'])).toBe('k2026b');
    }
    // The codec opens them again, and the API (its client has the codec) answers the case from its workflow.
    const decoded = await new AesGcmPayloadCodec(parseCodecKeys(keys)).decode(startInput);
    expect(JSON.stringify(decoded.map(fromPayload))).toContain(enterprise.creditCode);
    const view = await request(app).get(`/api/v1/cases/${caseId}`).set('Authorization', await bearer(officials.operator));
    expect(view.status).toBe(200);
    expect(view.body.stage).toEqual(expect.any(String));
    // The workflow's own answer: read through the codec-equipped client, unreadable without the codec.
    const state = await codecClient.workflow.getHandle(caseId).query<{ stage: string }>('caseState');
    expect(state.stage).toEqual(expect.any(String));
    await expect(plainClient.workflow.getHandle(caseId).query('caseState')).rejects.toThrow(/encoding|binary\/encrypted/i);
  });

  it('replays the encrypted history with the codec, as the worker does after a restart', async () => {
    const { history } = await historyBytes(plainClient, caseId);
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(parseCodecKeys(keys))] } }, history, caseId)).resolves.toBeUndefined();
  });

  const wire = (ps: Payload[]) => ({
    payloads: ps.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(p.data!).toString('base64') })),
  });

  it("decodes for Temporal UI at /codec/decode, for an operator only, from the UI's origin, and audits each decode", async () => {
    const body = wire(startInput);
    const decode = () => request(app).post('/codec/decode').set('Origin', UI_ORIGIN).set('X-Namespace', 'default').send(body);
    const anonymous = await decode();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(anonymous.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const official = await decode().set('Authorization', await bearer(officials.zhengzhouIndustry));
    expect(official.status).toBe(403);
    expect(JSON.stringify(official.body)).not.toContain(enterprise.creditCode);

    const operator = await decode().set('Authorization', await bearer(officials.operator));
    expect(operator.status).toBe(200);
    expect(operator.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(operator.headers['access-control-allow-credentials']).toBe('true');
    const payloads = operator.body.payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(payloads.map((p) => Buffer.from(p.data, 'base64').toString()).join()).toContain(enterprise.creditCode);

    const audit = await db.query(`SELECT actor, action, target, detail FROM audit_log WHERE request_id = $1`, [operator.headers['x-request-id']]);
    expect(audit.rows).toEqual([
      expect.objectContaining({ action: 'payloads.decode', target: 'temporal-namespace:default', actor: expect.objectContaining({ sub: officials.operator.sub, role: 'operator' }), detail: expect.objectContaining({ payloads: startInput.length, keyIds: ['k2026b'] }) }),
    ]);
    // Refusals read nothing, and are not decodes.
    expect((await db.query(`SELECT 1 FROM audit_log WHERE request_id = $1`, [official.headers['x-request-id']])).rowCount).toBe(0);

    // Encoding (the UI's "edit payload" path) round-trips through decode.
    const encoded = await request(app).post('/codec/encode').set('Authorization', await bearer(officials.operator)).send(operator.body);
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
  });

  it("answers the browser's preflight for the UI's origin only, and names a broken body", async () => {
    const preflight = await request(app).options('/codec/decode').set('Origin', UI_ORIGIN).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const elsewhere = await request(app).options('/codec/decode').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    const broken = await request(app).post('/codec/decode').set('Authorization', await bearer(officials.operator)).send({ payloads: [{ data: 'not base64!' }] });
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0]).toEqual(expect.objectContaining({ field: 'payloads.0.data' }));
  });
});
