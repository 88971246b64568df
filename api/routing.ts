import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../domain/roles';
import { authenticate, type TokenSettings } from './auth';
import { replay, type IdempotencyStore, type StoredResponse } from './idempotency';
import { ApiProblem, parseOr422, PROBLEM_CONTENT_TYPE, problems } from './problem';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    titleZh: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string(), messageZh: z.string().optional() })).optional(),
    instance: z.string(),
    requestId: z.string(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; `errors` names each field and the rule it breaks' });

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of JSON (a file download); set Content-Type in `headers`. */
  raw?: Buffer;
}

export interface HandlerContext<B, P, Q> {
  req: Request;
  res: Response;
  body: B;
  params: P;
  query: Q;
  /** Set on routes with `auth: true`. */
  principal: Principal;
  /** The uploaded file, on routes with `upload`. */
  file: { content: Buffer; type: string } | undefined;
  /**
   * On commands sent with an Idempotency-Key: the command's fingerprint (caller, key, request). Kept
   * with the effect (a workflow's memo, an update's id, the audit entry) so a retry recognises it.
   */
  command: string | undefined;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** One documented answer of an endpoint. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  /**
   * An example of this operation's answer, on its media type: for a schema shared by operations that
   * answer differently (each action's stage after it). An example that holds for every use of the
   * schema belongs on the schema (`.meta({ example })`).
   */
  example?: unknown;
  /** The same answer in other formats (chosen by `format` or Accept): content type → what the file holds (sheets, columns). */
  alsoAs?: Record<string, string>;
}

/** A file's body in the document: a string (binary unless text), described by what it holds. */
const fileSchema = (contentType: string, description: string) => z.string().meta({ description, ...(contentType.startsWith('text/') ? {} : { format: 'binary' }) });

/**
 * One endpoint: its OpenAPI description and its handler in one object, so the published
 * document is generated from the same schemas that validate requests and cannot drift.
 */
export interface Endpoint<B extends z.ZodType | undefined = undefined, P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path (`/api/v1/cases/:caseId`). */
  path: string;
  /** The operation's name in the document and in generated clients; unset, derived from the method and path (operationIdOf). */
  operationId?: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: boolean;
  body?: B;
  /** A file upload as the raw body (instead of JSON): allowed types, size, and what the file holds (for the document). */
  upload?: { types: readonly string[]; maxBytes: number; description?: string };
  params?: P;
  query?: Q;
  responses: Record<number, ResponseSpec>;
  /**
   * Runs after the path and query are parsed and before the body is: a caller who may not act
   * learns that (403) before anything about their body (422). Its result reaches the handler as `authorised`.
   */
  authorise?(ctx: { req: Request; params: Infer<P>; principal: Principal }): Promise<unknown>;
  handler(ctx: HandlerContext<Infer<B>, Infer<P>, Infer<Q>> & { authorised: unknown }): Promise<Reply>;
}

// Endpoints of different shapes share one list; each is checked where it is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = Endpoint<any, any, any>;

export function endpoint<B extends z.ZodType | undefined = undefined, P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(e: Endpoint<B, P, Q>): AnyEndpoint {
  return e as AnyEndpoint;
}

const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .optional()
    .meta({ description: 'Replays the first successful response for the same key and body; the same key with another body is 422; a duplicate still running is 409.', example: '6f1c2a9e-enterprise-register' }),
});

const standardProblems: Record<number, string> = {
  400: 'Malformed request (body is not JSON)',
  401: 'Missing, expired or forged bearer token',
  403: 'The caller’s role or jurisdiction does not allow this',
  409: 'Conflict with the current state, or a request with the same Idempotency-Key is still running',
  413: 'The body is larger than allowed',
  415: 'The body is not of an accepted type',
  422: 'A field breaks a rule (each named in `errors`)',
  503: 'A backing service is unavailable',
};

/** The raw body of an upload route, checked for its type and emptiness. */
function uploadedFile(req: Request, upload: NonNullable<AnyEndpoint['upload']>): { content: Buffer; type: string } {
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!upload.types.includes(type) || !Buffer.isBuffer(req.body)) {
    throw new ApiProblem(415, 'unsupported_media_type', 'This file type is not accepted', '不接受此文件类型', `send the file as the body with Content-Type one of: ${upload.types.join(', ')}`);
  }
  if (req.body.length === 0) throw problems.validation([{ field: '(body)', rule: 'file_not_empty', message: 'the file is empty', messageZh: '文件为空' }]);
  return { content: req.body, type };
}

/** Commands (anything but GET by an authenticated caller) honour the Idempotency-Key header. */
const isCommand = (e: AnyEndpoint) => e.auth && e.method !== 'get';

/** Mount endpoints on a router: authenticate, parse and validate, call the handler, reply. */
export function mount(router: Router, endpoints: AnyEndpoint[], tokens: TokenSettings, idempotency: IdempotencyStore): void {
  const auth = authenticate(tokens);
  for (const e of endpoints) {
    /**
     * Authorise, then claim the Idempotency-Key, then run: a stored answer is replayed only to a
     * caller who may still act (an identity that lost its jurisdiction, or another caller, never
     * reads it back), and the key is scoped to the caller, so two callers never share one.
     */
    const run = async (req: Request, res: Response): Promise<Reply | { replay: StoredResponse }> => {
      if (e.body && !req.is('application/json')) throw problems.unsupportedMediaType();
      const params = e.params ? parseOr422(e.params, req.params, 'path') : undefined;
      const principal = req.principal as Principal;
      const authorised = e.authorise ? await e.authorise({ req, params, principal }) : undefined;
      const claim = isCommand(e) ? await idempotency.claim(req, principal) : ({ kind: 'none' } as const);
      if (claim.kind === 'replay') return { replay: claim.response };
      try {
        const file = e.upload ? uploadedFile(req, e.upload) : undefined;
        const query = e.query ? parseOr422(e.query, req.query, 'query') : undefined;
        const body = e.body ? parseOr422(e.body, req.body) : undefined;
        const command = claim.kind === 'new' ? claim.fingerprint : undefined;
        const reply = await e.handler({ req, res, body, params, query, file, principal, authorised, command });
        if (claim.kind === 'new') await idempotency.complete(claim, { status: reply.status, body: reply.body, headers: reply.headers ?? {} });
        return reply;
      } catch (err) {
        if (claim.kind === 'new') await idempotency.release(claim);
        throw err;
      }
    };
    const chain = [
      ...(e.auth ? [auth] : []),
      ...(e.upload ? [express.raw({ type: [...e.upload.types], limit: e.upload.maxBytes })] : []),
      // Bodies are read only after the token is checked, so an anonymous caller cannot make the API read (or inflate) 256 KB.
      ...(e.body ? [express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] })] : []),
      async (req: Request, res: Response) => {
        const reply = await run(req, res);
        if ('replay' in reply) return replay(res, reply.replay);
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        if (reply.raw) res.status(reply.status).send(reply.raw);
        else res.status(reply.status).json(reply.body);
      },
    ];
    router[e.method](e.path, ...chain);
  }
}

const capitalised = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/**
 * The operationId a generated client calls an endpoint by: the explicit one, or the method and the
 * path after /api/v1, a path parameter read as "By…" (`GET /api/v1/cases/:caseId/audit` → getCasesByCaseIdAudit).
 */
export function operationIdOf(e: Pick<AnyEndpoint, 'method' | 'path' | 'operationId'>): string {
  if (e.operationId) return e.operationId;
  const words = e.path
    .replace(/^\/api\/v1\//, '/')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `By${capitalised(segment.slice(1))}` : capitalised(segment)));
  return e.method + words.join('');
}

/** The OpenAPI 3.1 document of the given endpoints. */
export function openApiDocument(endpoints: AnyEndpoint[], info: { version: string; serverUrl: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const operationIds = new Set<string>();
  for (const e of endpoints) {
    const operationId = operationIdOf(e);
    if (operationIds.has(operationId)) throw new Error(`two endpoints share the operationId ${operationId}; give one an explicit operationId`);
    operationIds.add(operationId);
    const responses: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(e.responses)) {
      const content = {
        ...(r.schema ? { [r.contentType ?? 'application/json']: { schema: r.schema, ...(r.example !== undefined ? { example: r.example } : {}) } } : {}),
        ...Object.fromEntries(Object.entries(r.alsoAs ?? {}).map(([type, holds]) => [type, { schema: fileSchema(type, holds) }])),
      };
      responses[status] = { description: r.description, ...(Object.keys(content).length ? { content } : {}) };
    }
    const problemStatuses = [...(e.body || e.upload ? [400, 413, 415, 422] : e.params || e.query ? [422] : []), ...(e.auth ? [401, 403] : []), ...(isCommand(e) ? [409] : []), 503];
    for (const status of problemStatuses) {
      responses[status] ??= { description: standardProblems[status] ?? 'Problem', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } };
    }
    registry.registerPath({
      method: e.method,
      path: e.path.replace(/:(\w+)/g, '{$1}'),
      operationId,
      summary: e.summary,
      description: e.description,
      tags: e.tags,
      ...(e.auth ? { security: [{ bearer: [] }] } : {}),
      request: {
        ...(e.params ? { params: e.params } : {}),
        ...(e.query ? { query: e.query } : {}),
        ...(isCommand(e) ? { headers: IdempotencyHeaders } : {}),
        ...(e.body ? { body: { required: true, content: { 'application/json': { schema: e.body } } } } : {}),
        ...(e.upload
          ? {
              body: {
                required: true,
                description: `${e.upload.description ? `${e.upload.description}. ` : ''}At most ${e.upload.maxBytes} bytes`,
                content: Object.fromEntries(e.upload.types.map((t) => [t, { schema: fileSchema(t, `The file itself (${t}) as the request body`) }])),
              },
            }
          : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'exitflow API',
      version: info.version,
      description: 'Retirement of backward production capacity (落后产能退出): enterprises, cases and their lifecycle. Errors are application/problem+json naming the field and the rule.',
    },
    servers: [{ url: info.serverUrl }],
  });
}

export { express };
