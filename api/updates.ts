import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Request } from 'express';
import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import type { InputRejection } from '../domain/inputs';
import type { Principal } from '../domain/roles';
import { IDEMPOTENCY_HEADER } from './idempotency';
import { ApiProblem, problems } from './problem';
import { appendAudit } from './services/audit';

/**
 * Sending a Temporal update from the API (a case action, a campaign milestone), in one place: how
 * long it may wait, how a timeout is recognised, how a refusal reads as problem+json, and the command
 * as a route sends it (sendUpdateCommand).
 */

/**
 * An update waits this long for the workflow's answer. The workflow answers once it has acted (a
 * few activities); with no worker polling, the update would wait for one indefinitely.
 */
export const DEFAULT_UPDATE_TIMEOUT_MS = 15_000;

/** The update's deadline passed: gRPC DEADLINE_EXCEEDED, or the SDK's wrapper of it. */
export function isUpdateTimeout(err: unknown): boolean {
  for (let e = err as { code?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError' || e.code === 4) return true;
  }
  return false;
}

/** 503 for an update that did not answer in time: the same Idempotency-Key retried later takes effect once. */
export const updateTimedOut = (what: string, timeoutMs: number) =>
  problems.unavailable(`${what} did not answer within ${timeoutMs / 1000} s (its worker may be down); retry with the same Idempotency-Key: the command takes effect once`);

/**
 * A refused update (the workflow's InputRejection, or its kin for a campaign) as the caller should read it: 409 for the codes that conflict with the state
 * (with the stage and what it accepts, where given), 403 for the codes that deny the caller, else
 * 422 naming the field and the rule.
 */
export function updateRejectionProblem(err: WorkflowUpdateFailedError, codes: { conflict: readonly string[]; forbidden?: readonly string[]; conflictTitle?: string }): ApiProblem {
  const cause = err.cause;
  const r = (cause instanceof ApplicationFailure ? cause.details?.[0] : undefined) as InputRejection | undefined;
  const code = r?.code ?? (cause instanceof ApplicationFailure ? cause.type : undefined) ?? 'rejected';
  const message = r?.message ?? cause?.message ?? err.message;
  if (codes.conflict.includes(code)) {
    return new ApiProblem(409, code, codes.conflictTitle ?? 'Conflict with the current state', r?.messageZh ?? '与当前状态冲突', message, [], r?.stage ? { stage: r.stage, accepts: r.accepts ?? [] } : {});
  }
  if (codes.forbidden?.includes(code)) return new ApiProblem(403, code, 'Not allowed for this caller', r?.messageZh ?? '无权执行此操作', message);
  return new ApiProblem(422, code, 'The action breaks a rule', r?.messageZh ?? '操作不符合规则', message, [{ field: r?.field ?? '(body)', rule: code, message, messageZh: r?.messageZh }]);
}

export interface UpdateCommandDeps {
  db: Db;
  temporal: Client;
  updateTimeoutMs?: number;
}

/** One command of a route, sent to a running workflow as an update (see sendUpdateCommand). */
export interface UpdateCommand<Arg, Ret> {
  workflowId: string;
  update: UpdateDefinition<Ret, [Arg]>;
  /** The update's argument, carrying the key the workflow knows a repeat by. */
  input(idempotencyKey: string): Arg;
  /** The route's command fingerprint (api/routing.ts), when sent with an Idempotency-Key. */
  command: string | undefined;
  req: Request;
  principal: Principal;
  /** The workflow as a 503 names it: `campaign …`, `supervision item …`. */
  what: string;
  /** A refused update as problem+json: updateRejectionProblem with the route's own codes. */
  rejected(err: WorkflowUpdateFailedError): ApiProblem;
  /** The workflow has ended and takes no more updates. */
  ended(): ApiProblem;
  /** The audit entry: the route's action name, the division concerned, why, and what of the result it keeps. */
  audit: { action: string; region: string; reason?: string; detail(result: Ret): object };
}

/**
 * Send a route's command as a Temporal update and keep it in the audit trail, as every update route
 * does: the key the workflow knows a repeat by is the command's fingerprint (never a value the client
 * chooses alone), and so is the update id, so a retry after a lost answer or a 503 gets the first
 * outcome instead of a second effect; a refusal, an ended workflow and a timeout answer as
 * problem+json; the audit entry is written once per command. Answers with the result and the key
 * the client knows the command by.
 */
export async function sendUpdateCommand<Arg, Ret extends object>(deps: UpdateCommandDeps, c: UpdateCommand<Arg, Ret>): Promise<Ret & { idempotencyKey: string }> {
  const idempotencyKey = c.command ?? `request:${randomUUID()}`;
  const input = c.input(idempotencyKey);
  const timeoutMs = deps.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS;
  let result: Ret;
  try {
    result = await deps.temporal.withDeadline(Date.now() + timeoutMs, () =>
      deps.temporal.workflow.getHandle(c.workflowId).executeUpdate(c.update, { args: [input], updateId: `${c.update.name}-${c.command ?? randomUUID()}` }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw c.rejected(err);
    if (err instanceof WorkflowNotFoundError) throw c.ended();
    if (isUpdateTimeout(err)) throw updateTimedOut(c.what, timeoutMs);
    throw err;
  }
  const key = c.req.get(IDEMPOTENCY_HEADER) ?? idempotencyKey;
  await inTransaction(deps.db, (tx) =>
    appendAudit(tx, {
      requestId: String(c.req.id),
      actor: c.principal,
      action: c.audit.action,
      target: c.workflowId,
      region: c.audit.region,
      reason: c.audit.reason,
      result: 200,
      detail: { ...c.audit.detail(result), idempotencyKey: key, ...(c.command ? { command: c.command } : {}) },
    }),
  );
  return { ...result, idempotencyKey: key };
}
