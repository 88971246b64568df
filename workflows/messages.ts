import { defineQuery } from '@temporalio/workflow';

/** What a case looks like from outside: the query the API serves a case's state from. */
export interface CaseState {
  caseId: string;
  stage: string;
  /** Legal date (YYYY-MM-DD, Asia/Shanghai) of the next deadline, if any. */
  deadline: string | null;
  overdue: boolean;
  noticeMessageId: string | null;
  history: { at: string; stage: string }[];
}

export const caseStateQuery = defineQuery<CaseState>('caseState');
