import type { Action } from '../../../../domain/stages';
import type { ReactNode } from 'react';
import { api, type Schemas } from '../../api/client';
import { CLOCK_GROUNDS, PLATFORM_NAMES, SEAL_MEASURES } from '../../labels';
import { ChoiceField, citedEvidence, CountField, DateField, EvidenceField, ReasonField, SelectField, TextField, yesNo, type Evidence, type FormContext, type Values } from './fields';

/** The case and the command's Idempotency-Key, as every action's call names them. */
const opts = (caseId: string, key: string) => ({ params: { path: { caseId }, header: { 'Idempotency-Key': key } } });

/** A two-language table as the options of a choice. */
const optionsOf = <K extends string>(table: Record<K, [string, string]>, lang: 'zh' | 'en') => (Object.entries(table) as [K, [string, string]][]).map(([value, names]) => ({ value, label: names[lang === 'zh' ? 0 : 1] }));

interface FormSpec {
  /** The body's fields: the API's field errors under them are shown next to them. */
  fields: readonly string[];
  render(ctx: FormContext): ReactNode;
  send(caseId: string, key: string, values: Values, evidence: Evidence[]): Promise<{ error?: unknown }>;
}

/**
 * A form for every action of a case (domain/stages.ts ACTIONS): its fields, and the call with the
 * body the API's schema names (the generated types). `satisfies` keeps the table complete: an
 * action added to the API without a form here fails the console's type check.
 */
export const FORMS = {
  requestExtension: {
    fields: ['months', 'reason'],
    render: ({ t }) => (
      <>
        <CountField t={t} name="months" label={t('申请延期（月）', 'Months requested')} required />
        <ReasonField t={t} label={t('申请理由', 'Reason')} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/extension-requests', { ...opts(caseId, key), body: v as Schemas['RequestExtension'] }),
  },
  decideExtension: {
    fields: ['approve', 'months', 'reason'],
    render: ({ t }) => (
      <>
        <ChoiceField t={t} name="approve" label={t('审批意见', 'Decision')} options={yesNo(t('批准', 'Approve'), t('不批准', 'Reject'))} />
        <CountField t={t} name="months" label={t('批准延期（月，可少于申请）', 'Months granted (may be fewer)')} />
        <ReasonField t={t} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/extension-decisions', { ...opts(caseId, key), body: v as Schemas['DecideExtension'] }),
  },
  reportRectificationDone: {
    fields: ['reason', 'evidence'],
    render: (ctx) => (
      <>
        <ReasonField t={ctx.t} label={ctx.t('整改情况说明', 'What was done')} />
        <EvidenceField {...ctx} />
      </>
    ),
    send: (caseId, key, v, evidence) =>
      api.POST('/api/v1/cases/{caseId}/rectification-reports', { ...opts(caseId, key), body: { ...(v as Schemas['ReportRectificationDone']), evidence: citedEvidence(caseId, v.evidence, evidence) } }),
  },
  recordReinspection: {
    fields: ['passed', 'findings', 'reason'],
    render: ({ t }) => (
      <>
        <ChoiceField t={t} name="passed" label={t('复查结论', 'Result')} options={yesNo(t('达标', 'Passed'), t('仍不达标', 'Still failing'))} />
        <TextField t={t} name="findings" label={t('复查情况', 'Findings')} rows={3} max={5000} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/reinspections', { ...opts(caseId, key), body: v as Schemas['RecordReinspection'] }),
  },
  proposeClosure: {
    fields: ['reason'],
    render: ({ t }) => <ReasonField t={t} label={t('提请关闭的理由', 'Why close')} required />,
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/closure-proposals', { ...opts(caseId, key), body: v as Schemas['ProposeClosure'] }),
  },
  decideClosure: {
    fields: ['outcome', 'months', 'reason'],
    render: ({ t }) => (
      <>
        <ChoiceField
          t={t}
          name="outcome"
          label={t('决定', 'Decision')}
          options={[
            { value: 'approve', label: t('批准关闭', 'Close') },
            { value: 'rectify_again', label: t('重新限期整改', 'Rectify again') },
            { value: 'close_with_reasons', label: t('不予关闭（说明理由）', 'Do not close (with reasons)') },
          ]}
        />
        <CountField t={t} name="months" label={t('重新整改期限（月）', 'New rectification period (months)')} />
        <ReasonField t={t} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/closure-decisions', { ...opts(caseId, key), body: v as Schemas['DecideClosure'] }),
  },
  recordPunishmentAcknowledgement: {
    fields: ['platform', 'acknowledgement', 'reason'],
    render: ({ t, lang }) => (
      <>
        <SelectField t={t} name="platform" label={t('回执平台', 'Platform')} options={optionsOf(PLATFORM_NAMES, lang)} required />
        <TextField t={t} name="acknowledgement" label={t('回执内容（文号）', 'Acknowledgement')} required rows={2} max={500} />
        <ReasonField t={t} label={t('备注', 'Note')} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/punishment-acknowledgements', { ...opts(caseId, key), body: v as Schemas['RecordPunishmentAcknowledgement'] }),
  },
  submitResettlementPlan: {
    fields: ['workers', 'planRef', 'approvedBy', 'reason'],
    render: ({ t }) => (
      <>
        <CountField t={t} name="workers" label={t('涉及职工人数', 'Workers concerned')} required />
        <TextField t={t} name="planRef" label={t('安置方案（文号或链接）', 'Plan reference')} required />
        <TextField t={t} name="approvedBy" label={t('批准/备案机关', 'Approved by')} max={200} />
        <ReasonField t={t} label={t('备注', 'Note')} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/resettlement-plans', { ...opts(caseId, key), body: v as Schemas['SubmitResettlementPlan'] }),
  },
  recordDismantling: {
    fields: ['dismantledOn', 'evidence', 'reason'],
    render: (ctx) => (
      <>
        <DateField t={ctx.t} name="dismantledOn" label={ctx.t('拆除日期', 'Dismantled on')} />
        <EvidenceField {...ctx} />
        <ReasonField t={ctx.t} label={ctx.t('拆除情况', 'What was dismantled')} />
      </>
    ),
    send: (caseId, key, v, evidence) =>
      api.POST('/api/v1/cases/{caseId}/dismantlings', { ...opts(caseId, key), body: { ...(v as Schemas['RecordDismantling']), evidence: citedEvidence(caseId, v.evidence, evidence) } }),
  },
  recordSealing: {
    fields: ['sealedOn', 'measures', 'commitmentRef', 'announcementUrl', 'coalPowerOption', 'reason'],
    render: ({ t, lang }) => (
      <>
        <DateField t={t} name="sealedOn" label={t('封存日期', 'Sealed on')} />
        <SelectField t={t} name="measures" label={t('封存措施', 'Measures')} options={optionsOf(SEAL_MEASURES, lang)} required many />
        <TextField t={t} name="commitmentRef" label={t('企业不再恢复生产的公开承诺（链接或文号）', 'Public commitment (link or reference)')} />
        <TextField t={t} name="announcementUrl" label={t('政府网站公告地址', 'Announcement URL')} required />
        <SelectField t={t} name="coalPowerOption" label={t('煤电机组处置方式', 'Coal-power option')} options={[{ value: 'emergency_backup', label: t('关而不拆，转应急备用', 'Kept as emergency backup') }]} />
        <ReasonField t={t} label={t('备注', 'Note')} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/sealings', { ...opts(caseId, key), body: v as Schemas['RecordSealing'] }),
  },
  recordSealedReinspection: {
    fields: ['intact', 'findings', 'reason'],
    render: ({ t }) => (
      <>
        <ChoiceField t={t} name="intact" label={t('复查结论', 'Result')} options={yesNo(t('封存完好', 'Intact'), t('已恢复生产', 'Producing again'))} />
        <TextField t={t} name="findings" label={t('复查情况', 'Findings')} rows={3} max={5000} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/sealed-reinspections', { ...opts(caseId, key), body: v as Schemas['RecordSealedReinspection'] }),
  },
  recordAcceptance: {
    fields: ['opinion', 'opinionRef', 'evidence', 'reason'],
    render: (ctx) => (
      <>
        <TextField t={ctx.t} name="opinion" label={ctx.t('书面验收意见', 'Written opinion')} rows={3} max={10000} />
        <TextField t={ctx.t} name="opinionRef" label={ctx.t('验收意见文号（验收意见表）', 'Opinion reference')} />
        <EvidenceField {...ctx} />
        <ReasonField t={ctx.t} label={ctx.t('备注', 'Note')} />
      </>
    ),
    send: (caseId, key, v, evidence) =>
      api.POST('/api/v1/cases/{caseId}/acceptances', { ...opts(caseId, key), body: { ...(v as Schemas['RecordAcceptance']), evidence: citedEvidence(caseId, v.evidence, evidence) } }),
  },
  approveExtendedOperation: {
    fields: ['until', 'approvalRef', 'reason'],
    render: ({ t }) => (
      <>
        <DateField t={t} name="until" label={t('延寿运行至', 'Until')} />
        <TextField t={t} name="approvalRef" label={t('分类处置意见（文号）', 'Approval reference')} required />
        <ReasonField t={t} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/extended-operations', { ...opts(caseId, key), body: v as Schemas['ApproveExtendedOperation'] }),
  },
  suspendClock: {
    fields: ['ground', 'reason'],
    render: ({ t, lang }) => (
      <>
        <ChoiceField t={t} name="ground" label={t('中止事由', 'Ground')} options={optionsOf(CLOCK_GROUNDS, lang)} />
        <ReasonField t={t} label={t('说明', 'Details')} />
      </>
    ),
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/clock-suspensions', { ...opts(caseId, key), body: v as Schemas['SuspendClock'] }),
  },
  resumeClock: {
    fields: ['reason'],
    render: ({ t }) => <ReasonField t={t} label={t('恢复计时的理由（如复议决定）', 'Why (e.g. the review’s decision)')} />,
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/clock-resumptions', { ...opts(caseId, key), body: v as Schemas['ResumeClock'] }),
  },
  declareVoluntaryExit: {
    fields: ['reason'],
    render: ({ t }) => <ReasonField t={t} label={t('主动退出的说明', 'Statement')} />,
    send: (caseId, key, v) => api.POST('/api/v1/cases/{caseId}/voluntary-exits', { ...opts(caseId, key), body: v as Schemas['DeclareVoluntaryExit'] }),
  },
} satisfies Record<Action, FormSpec>;

export type FormAction = keyof typeof FORMS;
export const hasForm = (a: string): a is FormAction => a in FORMS;
