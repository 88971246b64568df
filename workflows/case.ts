import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CaseInput } from '../domain/case';
import { caseStateQuery, type CaseState } from './messages';
import { SA } from './search-attributes';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // PostgreSQL or SMTP being down is waited out: retry without limit, at most every 10 s.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/**
 * One case of backward capacity (落后产能) at one enterprise.
 * Foundation slice: record the case, serve the rectification notice, enter rectification.
 * The full legal lifecycle (deadlines, extension, escalation, closure, exit) builds on this.
 */
export async function caseWorkflow(input: CaseInput): Promise<CaseState> {
  const { workflowId } = workflowInfo();
  const state: CaseState = { caseId: input.caseId, stage: 'opened', deadline: null, overdue: false, noticeMessageId: null, history: [] };
  setHandler(caseStateQuery, () => state);

  async function enter(stage: string): Promise<void> {
    const occurredAt = new Date().toISOString(); // workflow time: deterministic in the sandbox
    state.stage = stage;
    state.history.push({ at: occurredAt, stage });
    upsertSearchAttributes([{ key: SA.stage, value: stage }]);
    await acts.recordStage({ caseId: input.caseId, stage, deadline: state.deadline, occurredAt, idempotencyKey: `${workflowId}/stage/${state.history.length}/${stage}` });
  }

  state.history.push({ at: input.openedAt, stage: 'opened' });
  await acts.recordCaseOpened(input);
  const notice = await acts.sendCaseMail({ caseId: input.caseId, kind: 'rectification_notice', idempotencyKey: `${workflowId}/mail/rectification_notice` });
  state.noticeMessageId = notice.messageId;
  await enter('rectification');
  // The lifecycle proper waits here for officials' and the enterprise's inputs (next issue).
  await condition(() => false);
  return state;
}
