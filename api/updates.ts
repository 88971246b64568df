import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowUpdateFailedError } from '@temporalio/client';
import type { InputRejection } from '../domain/inputs';
import { ApiProblem, problems } from './problem';

/**
 * Sending a Temporal update from the API (a case action, a campaign milestone), in one place: how
 * long it may wait, how a timeout is recognised and how a refusal reads as problem+json.
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
