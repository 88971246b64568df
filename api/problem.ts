import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';

/** One broken rule on one field of the request. */
export interface FieldError {
  /** Dotted path in the body (`contact.email`), or `header:Authorization`, `path:caseId`. */
  field: string;
  /** Stable rule code (`gb32100_check_character`, `too_small`, `required`). */
  rule: string;
  message: string;
  messageZh?: string;
}

/**
 * Every failure the API reports, as RFC 9457 problem details: a stable code, a human title
 * in English and Chinese, and the fields at fault. Mapped to HTTP in one place (problemHandler).
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly titleZh: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const problems = {
  malformedJson: (detail: string) => new ApiProblem(400, 'malformed_json', 'The body is not valid JSON', '请求体不是有效的JSON', detail),
  unsupportedMediaType: () => new ApiProblem(415, 'unsupported_media_type', 'Send the body as application/json', '请求体应为application/json'),
  validation: (errors: FieldError[]) =>
    new ApiProblem(422, 'validation_failed', 'The request breaks one or more rules', '请求不符合规则', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors),
  notFound: (what: string, id: string) => new ApiProblem(404, 'not_found', `${what} not found`, '资源不存在', `${what} ${id} does not exist`),
  conflict: (code: string, detail: string, titleZh: string, extra: Record<string, unknown> = {}) =>
    new ApiProblem(409, code, 'Conflict with the current state', titleZh, detail, [], extra),
  unauthenticated: (detail: string) => new ApiProblem(401, 'unauthenticated', 'A valid bearer token is required', '需要有效的访问令牌', detail),
  forbidden: (detail: string) => new ApiProblem(403, 'forbidden', 'Not allowed for this caller', '无权执行此操作', detail),
  tooLarge: () => new ApiProblem(413, 'payload_too_large', 'The body is too large', '请求体过大'),
  unavailable: (detail: string) => new ApiProblem(503, 'service_unavailable', 'A backing service is unavailable; try again', '依赖的服务暂不可用，请稍后重试', detail),
};

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** zod issues → field errors naming the field and the rule; `input` tells a missing field from a wrong one. */
export function fieldErrors(error: z.ZodError, prefix = '', input?: unknown): FieldError[] {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { rule?: string; zh?: string } }).params;
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return { field: [field === '(body)' ? '' : field, issue.keys.join(',')].filter(Boolean).join('.'), rule: 'unknown_field', message: `unknown field(s): ${issue.keys.join(', ')}`, messageZh: '不允许的字段' };
    }
    if (issue.code !== 'custom' && issue.path.length > 0 && input !== null && typeof input === 'object' && valueAt(input, issue.path) === undefined) {
      return { field, rule: 'required', message: 'is required', messageZh: '必填' };
    }
    return { field, rule: params?.rule ?? issue.code, message: issue.message, messageZh: params?.zh };
  });
}

/** Parse `value` with `schema` or throw a 422 naming every broken rule. */
export function parseOr422<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.validation(fieldErrors(parsed.error, prefix, value));
  return parsed.data;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problems a client should simply retry, and after how many seconds (Retry-After). */
const RETRY_AFTER_SECONDS: Record<string, number> = { service_unavailable: 5, idempotency_key_in_progress: 1 };

export function sendProblem(res: Parameters<RequestHandler>[1], p: ApiProblem, instance: string, requestId: string): void {
  const retryAfter = RETRY_AFTER_SECONDS[p.code];
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res
    .status(p.status)
    .type(PROBLEM_CONTENT_TYPE)
    .json({
      type: `https://exitflow.local/problems/${p.code}`,
      title: p.title,
      titleZh: p.titleZh,
      status: p.status,
      code: p.code,
      ...(p.detail ? { detail: p.detail } : {}),
      ...(p.errors.length ? { errors: p.errors } : {}),
      ...p.extra,
      instance,
      requestId,
    });
}

// 57014: a statement cancelled by statement_timeout (db/pool.ts): the database is overloaded, not the request wrong.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '57014']);

/**
 * A backing service (PostgreSQL, Temporal) that cannot be reached or did not answer in time: the
 * caller may retry. The Temporal client wraps gRPC errors (ServiceError), so causes are followed.
 */
function isUnavailable(err: unknown, depth = 0): boolean {
  const e = err as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown } | undefined;
  if (!e || depth > 5) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.code === 14 || e.code === 4) return true; // gRPC UNAVAILABLE, DEADLINE_EXCEEDED
  // An update whose answer did not come back in time (worker or server restarting): retrying with
  // the same Idempotency-Key reuses the update id, so it takes effect once.
  if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/.test(message)) return true;
  return isUnavailable(e.cause, depth + 1);
}

const malformedBody = (detail: string) => new ApiProblem(400, 'malformed_body', 'The body cannot be read', '请求体无法读取', detail);

/** body-parser's errors by their `type`: each is the caller's doing, never a 500. */
const BODY_PROBLEMS: Record<string, (err: { message: string }) => ApiProblem> = {
  'entity.parse.failed': (err) => problems.malformedJson(err.message),
  'entity.too.large': () => problems.tooLarge(),
  'parameters.too.many': () => problems.tooLarge(),
  'charset.unsupported': () => problems.unsupportedMediaType(),
  'encoding.unsupported': () => new ApiProblem(415, 'unsupported_content_encoding', 'This Content-Encoding is not accepted', '不支持此内容编码', 'send the body as is, or with Content-Encoding gzip, deflate or br'),
  'request.aborted': () => malformedBody('the client closed the connection before the body was complete'),
  'request.size.invalid': () => malformedBody('the body is not as long as Content-Length says'),
  'entity.verify.failed': (err) => malformedBody(err.message),
};

/**
 * A body that could not be read: body-parser's errors by type, and the 400s it raises without one
 * (http-errors with `expose`): zlib's when a gzip, deflate or br body does not decompress
 * (Z_DATA_ERROR, unexpected end of file).
 */
function bodyProblem(err: unknown): ApiProblem | undefined {
  const e = err as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown } | undefined;
  if (!e || err instanceof ApiProblem) return undefined;
  const known = typeof e.type === 'string' ? BODY_PROBLEMS[e.type] : undefined;
  if (known) return known({ message: String(e.message ?? '') });
  if (e.expose === true && e.status === 400) return malformedBody(String(e.message ?? 'the body cannot be decoded'));
  return undefined;
}

/** The one place errors become HTTP: known problems as they are; body-parser errors by type; the rest 500 without internals. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = String(req.id ?? '');
    let problem: ApiProblem;
    const unreadable = bodyProblem(err);
    if (err instanceof ApiProblem) problem = err;
    else if (unreadable) problem = unreadable;
    else if (isUnavailable(err)) {
      log.warn({ err, requestId }, 'backing service unavailable');
      problem = problems.unavailable('PostgreSQL or Temporal cannot be reached; retry later (with the same Idempotency-Key, a command takes effect once)');
    } else {
      log.error({ err, requestId }, 'unhandled error');
      problem = new ApiProblem(500, 'internal_error', 'Internal error', '内部错误', `Something went wrong; quote request id ${requestId}`);
    }
    sendProblem(res, problem, req.originalUrl, requestId);
  };
}
