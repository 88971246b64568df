import { stepNameZh } from '../domain/authority';
import { DIMENSION_NAMES_ZH } from '../domain/model';
import type { PendingDecision } from './messages';
import type { CaseRuntime } from './runtime';

/**
 * Texts of notices to authorities (reminders to deciders, escalations), built in the workflow
 * because they name the case's own dates; sent through the outbox by notifyAuthorities.
 */


const LEVEL_ZH = { county: '县级', city: '市级', province: '省级' } as const;

function whatZh(what: string): string {
  if (what.startsWith('decision:')) return `${stepNameZh(what.slice(9))}决定期限`;
  return { rectification: '整改期限', dismantling: '限时拆除期限', revival: '封存设备复查（发现恢复生产）' }[what] ?? what;
}

function title(ctx: CaseRuntime): string {
  return `${ctx.input.enterprise.name}（${ctx.input.caseNumber}，${DIMENSION_NAMES_ZH[ctx.input.dimension]}）`;
}

export function reminderNotice(ctx: CaseRuntime, p: PendingDecision, daysBefore: number): { subject: string; text: string } {
  const what = stepNameZh(p.kind);
  return {
    subject: `【待办提醒】${what}：${title(ctx)}，${p.dueDate}到期，剩余${daysBefore}天`,
    text: `${title(ctx)}的${what}请于${p.dueDate}前作出决定（剩余${daysBefore}天）。逾期未决定的，将提请上一级督办。\nReminder: decision ${p.decisionId} is due ${p.dueDate}.`,
  };
}

export function escalationNotice(ctx: CaseRuntime, what: string, lapsedOn: string, level: 'county' | 'city' | 'province' | null): { subject: string; text: string } {
  const who = level ? `${LEVEL_ZH[level]}督办` : '逾期督办';
  return {
    subject: `【${who}】${title(ctx)}：${whatZh(what)}已于${lapsedOn}届满`,
    text: [
      `${title(ctx)}的${whatZh(what)}已于${lapsedOn}届满，案件已标记为逾期。`,
      '请责任部门依法及时处理；依据工信部联产业〔2017〕30号（二十），对进展缓慢的地区采取通报、约谈等方式督办。',
      `Escalation: ${what} lapsed on ${lapsedOn} (case ${ctx.caseId}).`,
    ].join('\n'),
  };
}
