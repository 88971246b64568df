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
  /** Values of the step that sends the mail (new deadline, outcome, days before…). */
  detail?: Record<string, string | number | boolean | null>;
}

export const MAIL_KINDS = [
  'rectification_notice',
  'exit_notice',
  'rectification_reminder',
  'extension_decision',
  'reinspection_result',
  'compliant',
  'closure_proposed',
  'closure_order',
  'rectification_renewed',
  'closed_with_reasons',
  'dismantling_reminder',
  'exit_accepted',
] as const;
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
      (c.detail?.deadline ?? c.deadline) ? `整改期限：${c.detail?.deadline ?? c.deadline}（逾期未整改或整改后仍不达标的，将依法报请有批准权的人民政府责令停业、关闭）` : '',
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

/** A short mail to the enterprise: greeting, body lines, the case link, an English line. */
function short(c: CaseMailContext, subject: string, lines: string[], en: string): Rendered {
  return {
    subject: `${subject}（${c.caseNumber}）`,
    text: [`${c.enterpriseName}（统一社会信用代码 ${c.creditCode}）：`, '', ...lines, '', `案件编号：${c.caseNumber}`, `案件详情：${c.caseUrl}`, '', `${en} Case ${c.caseId}.`].join('\n'),
  };
}

const d = (c: CaseMailContext, key: string): string => String(c.detail?.[key] ?? '');

export const TEMPLATES: Record<MailKind, (c: CaseMailContext) => Rendered> = {
  rectification_notice: rectificationNotice,
  // 30号文 (八): eliminated equipment has no rectification; it is dismantled or sealed at once.
  exit_notice: (c) =>
    short(c, `【淘汰退出通知】${c.enterpriseName}：淘汰类设备须立即拆除或封存`, [
      `经${DEPARTMENT_NAMES_ZH[c.department]}核定，你单位以下设备属于《产业结构调整指导目录》淘汰类，须退出：`,
      facilityLines(c),
      // The policy's own instructions (domain/exit.ts); notices queued before they came with the mail keep the general text.
      d(c, 'instructions') || '具备拆除条件的应立即拆除；暂不具备拆除条件的，应立即断水、断电，拆除动力装置，封存主体设备，向社会公开承诺不再恢复生产，并在政府网站公告，限时拆除。',
      `依据：${c.legalBasis}`,
    ], 'Exit notice: eliminated equipment must be dismantled or sealed at once.'),
  rectification_reminder: (c) =>
    short(c, `【整改期限提醒】${c.enterpriseName}：整改期限${d(c, 'deadline')}，剩余${d(c, 'daysBefore')}天`, [
      `你单位${DIMENSION_NAMES_ZH[c.dimension]}整改期限为${d(c, 'deadline')}，距期满还有${d(c, 'daysBefore')}天。`,
      '逾期未整改或整改后仍不达标的，将依法报请有批准权的人民政府责令停业、关闭。',
    ], `Reminder: the rectification deadline is ${d(c, 'deadline')} (${d(c, 'daysBefore')} days left).`),
  extension_decision: (c) =>
    c.detail?.approved
      ? short(c, `【延期申请已批准】${c.enterpriseName}：整改期限延至${d(c, 'deadline')}`, [
          `你单位的延期整改申请已获批准，延期${d(c, 'months')}个月，整改期限延至${d(c, 'deadline')}。`,
          // How many extensions the pinned policy allows comes with the decision (policy `extension.maxCount`).
          d(c, 'extensionsLeft') === '0' ? '延期次数已用完，不得再次申请延期。' : d(c, 'extensionsLeft') ? `尚可申请延期${d(c, 'extensionsLeft')}次。` : '',
        ].filter(Boolean), `Extension approved: the new deadline is ${d(c, 'deadline')}.`)
      : short(c, `【延期申请未获批准】${c.enterpriseName}：整改期限仍为${d(c, 'deadline')}`, [
          `你单位的延期整改申请未获批准，整改期限仍为${d(c, 'deadline')}。`,
          d(c, 'reason') ? `理由：${d(c, 'reason')}` : '',
        ].filter(Boolean), `Extension refused: the deadline stays ${d(c, 'deadline')}.`),
  reinspection_result: (c) =>
    short(c, `【复查结果】${c.enterpriseName}：${c.detail?.passed ? '复查合格' : '复查不合格'}`, [
      c.detail?.passed ? '经复查，你单位整改已达标。' : '经复查，你单位整改后仍不达标，将依法报请有批准权的人民政府责令停业、关闭。',
    ], `Re-inspection ${c.detail?.passed ? 'passed' : 'failed'}.`),
  compliant: (c) =>
    short(c, `【整改达标】${c.enterpriseName}：移出黄色名单`, [
      '你单位整改已达标，移出黄色名单。',
      c.detail?.resumeProduction ? '准予恢复生产。' : '',
    ].filter(Boolean), 'Compliant: removed from the yellow list.'),
  closure_proposed: (c) =>
    short(c, `【提请关闭】${c.enterpriseName}：已报请有批准权的人民政府批准关闭`, [
      `你单位${d(c, 'why')}，执法部门已报请有批准权的人民政府依法责令停业、关闭。`,
    ], 'Closure proposed to the approving government.'),
  closure_order: (c) =>
    short(c, `【责令关闭】${c.enterpriseName}：列入红色名单，实施联合惩戒`, [
      '经有批准权的人民政府批准，依法责令你单位上述产能停业、关闭，并列入红色名单。',
      '相关信息已推送全国信用信息共享平台、“信用中国”及排污许可、生产许可、安全生产许可、供电、金融机构，实施联合惩戒。',
      '请于验收前报送职工安置方案，并按要求拆除或封存主体设备。',
      facilityLines(c),
    ], 'Closure ordered: red list and joint punishment.'),
  rectification_renewed: (c) =>
    short(c, `【重新限期整改】${c.enterpriseName}：整改期限${d(c, 'deadline')}`, [
      `有批准权的人民政府未批准关闭，责令你单位重新限期整改，整改期限为${d(c, 'deadline')}。`,
    ], `Closure declined: rectify again by ${d(c, 'deadline')}.`),
  closed_with_reasons: (c) =>
    short(c, `【案件办结】${c.enterpriseName}：不予关闭`, [`有批准权的人民政府决定不予关闭。理由：${d(c, 'reason')}`], 'Closure declined; case closed with reasons.'),
  dismantling_reminder: (c) =>
    c.detail?.closureOrdered
      ? short(c, `【限时拆除提醒】${c.enterpriseName}：责令关闭的落后产能须于${d(c, 'deadline')}前拆除或封存`, [
          `你单位被责令关闭的落后产能须于${d(c, 'deadline')}前拆除或封存，距期满还有${d(c, 'daysBefore')}天；逾期将提请上一级督办。`,
        ], `Reminder: capacity ordered closed must be dismantled or sealed by ${d(c, 'deadline')}.`)
      : c.detail?.beforeSealing
        ? short(c, `【限期退出提醒】${c.enterpriseName}：淘汰类设备须于${d(c, 'deadline')}前拆除或封存`, [
            `你单位属于淘汰类的落后设备须于${d(c, 'deadline')}前拆除；暂不具备拆除条件的，须在此前断水、断电、拆除动力装置、封存主体设备（工信部联产业〔2017〕30号（八））。距期满还有${d(c, 'daysBefore')}天；逾期将提请上一级督办并实施联合惩戒。`,
          ], `Reminder: eliminated equipment must be dismantled or sealed by ${d(c, 'deadline')}.`)
        : short(c, `【限时拆除提醒】${c.enterpriseName}：封存设备须于${d(c, 'deadline')}前拆除`, [
      `你单位已封存的落后设备须于${d(c, 'deadline')}前拆除，距期满还有${d(c, 'daysBefore')}天。`,
    ], `Reminder: sealed equipment must be dismantled by ${d(c, 'deadline')}.`),
  exit_accepted: (c) =>
    short(c, `【退出验收通过】${c.enterpriseName}：落后产能已退出`, [
      `你单位以下落后产能已于${d(c, 'exitedOn')}通过验收，退出完毕：`,
      facilityLines(c),
    ], 'Exit accepted: the capacity is retired.'),
};
