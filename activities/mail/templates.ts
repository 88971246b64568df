import { DIMENSION_NAMES_ZH, DEPARTMENT_NAMES_ZH, type Department, type Dimension } from '../../domain/model';

/** What every case e-mail is rendered from: the case row as the activities read it. */
export interface CaseMailContext {
  caseId: string;
  caseNumber: string;
  enterpriseName: string;
  creditCode: string;
  dimension: Dimension;
  department: Department;
  legalBasis: string;
  noticeServedOn: string;
  deadline?: string;
  facilities: { name: string; capacity: number; unit: string }[];
  caseUrl: string;
}

export const MAIL_KINDS = ['rectification_notice'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

interface Rendered {
  subject: string;
  text: string;
}

function facilityLines(c: CaseMailContext): string {
  return c.facilities.map((f) => `  - ${f.name}：${f.capacity} ${f.unit}`).join('\n');
}

/** 整改通知书: the rectification notice that opens a case and puts the enterprise on the yellow list. */
function rectificationNotice(c: CaseMailContext): Rendered {
  const dim = DIMENSION_NAMES_ZH[c.dimension];
  return {
    subject: `【整改通知】${c.enterpriseName}：${dim}不达标，限期整改（${c.caseNumber}）`,
    text: [
      `${c.enterpriseName}（统一社会信用代码 ${c.creditCode}）：`,
      '',
      `经${DEPARTMENT_NAMES_ZH[c.department]}检查，你单位以下产能不符合${dim}标准，已列入黄色名单，须限期整改：`,
      facilityLines(c),
      '',
      `依据：${c.legalBasis}`,
      `通知送达日期：${c.noticeServedOn}`,
      c.deadline ? `整改期限：${c.deadline}（逾期未整改或整改后仍不达标的，将依法报请有批准权的人民政府责令停业、关闭）` : '',
      '',
      `案件编号：${c.caseNumber}`,
      `案件详情：${c.caseUrl}`,
      '',
      `Rectification notice: the capacity above fails the ${c.dimension} standard. Case ${c.caseId}.`,
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n'),
  };
}

export const TEMPLATES: Record<MailKind, (c: CaseMailContext) => Rendered> = {
  rectification_notice: rectificationNotice,
};
