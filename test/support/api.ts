import request from 'supertest';
import type { Principal } from '../../domain/roles';
import { bearer, officials } from './fixtures';
import { eventually, type Stack } from './stack';

/** A real 1×1 PNG. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex');

/** The PNG with `tag` appended: still an image, with a hash of its own (the evidence store keeps one copy per hash). */
export const distinctPng = (tag: string) => Buffer.concat([PNG, Buffer.from(tag)]);

/** A piece of evidence as an action cites it. */
export type EvidenceRef = { phase: 'before' | 'during' | 'after'; uri: string; sha256: string };

type OpenDecision = { caseId: string; assigneeRole: Principal['role']; assigneeDepartment: string | null; jurisdiction: string };

/**
 * Driving a case through the HTTP API of a test stack. The stack is started in `beforeAll`, so it is
 * passed as a getter and read at each call.
 */
export function caseApi(stack: () => Stack) {
  const app = () => stack().app;

  async function post(who: Principal, path: string, body: unknown, headers: Record<string, string> = {}) {
    let r = request(app()).post(path).set('Authorization', await bearer(who));
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    return r.send(body as object);
  }

  async function get(who: Principal, path: string, query: Record<string, string> = {}) {
    return request(app()).get(path).query(query).set('Authorization', await bearer(who));
  }

  /** An action on the case (`POST /api/v1/cases/{caseId}/{path}`); its answer, or a throw naming what was answered instead of `status`. */
  async function act(who: Principal, caseId: string, path: string, body: object, status = 200) {
    const res = await post(who, `/api/v1/cases/${caseId}/${path}`, body);
    if (res.status !== status) throw new Error(`${path} as ${who.role}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The case as the API shows it to an operator (its live stage and deadline while the workflow answers). */
  async function view(caseId: string): Promise<{ stage: string; deadline: string | null }> {
    return (await get(officials.operator, `/api/v1/cases/${caseId}`)).body;
  }

  const stageOf = async (caseId: string) => (await view(caseId)).stage;

  /** Wait until the case is in `stage`; the case as it then is. */
  const reach = (caseId: string, stage: string) =>
    eventually(async () => {
      const c = await view(caseId);
      return c.stage === stage ? c : undefined;
    }, 30_000, `${caseId} in ${stage}`);

  /** Upload `content` as evidence of `phase` (the raw answer: 201 stored, 200 already stored, or a problem). */
  async function upload(who: Principal, caseId: string, phase: string, content: Buffer, headers: Record<string, string> = {}) {
    let r = request(app()).post(`/api/v1/cases/${caseId}/evidence`).query({ phase }).set('Authorization', await bearer(who)).set('Content-Type', 'image/png');
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    return r.send(content);
  }

  /** Before, during and after photos stored for the case, cited by hash. */
  async function photos(caseId: string, who: Principal): Promise<EvidenceRef[]> {
    const refs: EvidenceRef[] = [];
    for (const phase of ['before', 'during', 'after'] as const) {
      const res = await upload(who, caseId, phase, distinctPng(`${caseId} ${phase}`));
      expect(res.status).toBe(201);
      refs.push({ phase, uri: res.headers.location as string, sha256: res.body.sha256 });
    }
    return refs;
  }

  /** Whoever the case's open decision of `kind` is assigned to (the policy says who), from the decisions inbox. */
  async function assignee(caseId: string, kind: string): Promise<Principal> {
    const d = await eventually(async () => {
      const res = await get(officials.operator, '/api/v1/decisions', { kind, pageSize: '200' });
      return (res.body.items as OpenDecision[]).find((i) => i.caseId === caseId);
    }, 30_000, `${kind} decision`);
    return { sub: `${d.assigneeRole}-${d.jurisdiction}`, name: d.assigneeRole, role: d.assigneeRole, jurisdiction: d.jurisdiction, ...(d.assigneeDepartment ? { department: d.assigneeDepartment as Principal['department'] } : {}) };
  }

  /** Take the case's open decision of `kind` as the authority it is assigned to. */
  async function decide(caseId: string, kind: string, path: string, body: object) {
    return act(await assignee(caseId, kind), caseId, path, body);
  }

  return { post, get, act, view, stageOf, reach, upload, photos, assignee, decide };
}
