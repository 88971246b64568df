import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Radio, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, asProblem, type Problem, type Schemas } from '../api/client';
import { useLang, useT } from '../i18n';
import { actionName, phaseName } from '../labels';
import { fieldMessage, showFieldErrors } from './problemFields';

type T = ReturnType<typeof useT>;
type Evidence = Schemas['Evidence'];
/** What a form's fields may offer besides the labels: the case's stored evidence, to cite. */
interface FormContext {
  t: T;
  lang: 'zh' | 'en';
  evidence: Evidence[];
}
type Values = Record<string, unknown>;
/** The case and the command's Idempotency-Key, as every action's call names them. */
const opts = (caseId: string, key: string) => ({ params: { path: { caseId }, header: { 'Idempotency-Key': key } } });

/** A fresh Idempotency-Key (randomUUID needs a secure context; getRandomValues does not). */
const newKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

const reasonField = (t: T, label: string, required = false) => (
  <Form.Item label={label} name="reason" rules={required ? [{ required: true, message: t('请填写', 'Required') }] : []}>
    <Input.TextArea rows={3} maxLength={2000} />
  </Form.Item>
);

/** Photos of the case cited by their stored URI and hash (POST …/evidence answered them); documents are not cited. */
const evidenceField = ({ t, lang, evidence }: FormContext) => {
  const photos = evidence.filter((e) => e.phase !== 'document');
  if (!photos.length) return null;
  return (
    <Form.Item label={t('引用证据照片', 'Cite photos')} name="evidence">
      <Checkbox.Group options={photos.map((e) => ({ value: e.evidenceId, label: `${phaseName(e.phase, lang)} · ${e.filename ?? e.sha256.slice(0, 12)}` }))} />
    </Form.Item>
  );
};
const citedEvidence = (caseId: string, ids: unknown, evidence: Evidence[]) =>
  ((ids as string[] | undefined) ?? []).flatMap((id) => {
    const e = evidence.find((x) => x.evidenceId === id);
    return e && e.phase !== 'document' ? [{ phase: e.phase as 'before' | 'during' | 'after', uri: `/api/v1/cases/${caseId}/evidence/${e.evidenceId}`, sha256: e.sha256 }] : [];
  });

/**
 * The actions the console has a form for: their fields, and the call with the body the API's schema
 * names (the generated types); the others are named, to be taken through the API for now.
 */
const FORMS = {
  requestExtension: {
    fields: ['months', 'reason'],
    render: ({ t }: FormContext) => (
      <>
        <Form.Item label={t('申请延期（月）', 'Months requested')} name="months" rules={[{ required: true, message: t('请填写延期月数', 'How many months?') }]}>
          <InputNumber style={{ width: 120 }} />
        </Form.Item>
        {reasonField(t, t('申请理由', 'Reason'))}
      </>
    ),
    send: (caseId: string, key: string, v: Values) => api.POST('/api/v1/cases/{caseId}/extension-requests', { ...opts(caseId, key), body: v as Schemas['RequestExtension'] }),
  },
  decideExtension: {
    fields: ['approve', 'months', 'reason'],
    render: ({ t }: FormContext) => (
      <>
        <Form.Item label={t('审批意见', 'Decision')} name="approve" rules={[{ required: true, message: t('请选择批准或不批准', 'Approve or reject?') }]}>
          <Radio.Group options={[{ value: true, label: t('批准', 'Approve') }, { value: false, label: t('不批准', 'Reject') }]} />
        </Form.Item>
        <Form.Item label={t('批准延期（月，可少于申请）', 'Months granted (may be fewer)')} name="months">
          <InputNumber style={{ width: 120 }} />
        </Form.Item>
        {reasonField(t, t('理由', 'Reason'))}
      </>
    ),
    send: (caseId: string, key: string, v: Values) => api.POST('/api/v1/cases/{caseId}/extension-decisions', { ...opts(caseId, key), body: v as Schemas['DecideExtension'] }),
  },
  reportRectificationDone: {
    fields: ['reason', 'evidence'],
    render: (ctx: FormContext) => (
      <>
        {reasonField(ctx.t, ctx.t('整改情况说明', 'What was done'))}
        {evidenceField(ctx)}
      </>
    ),
    send: (caseId: string, key: string, v: Values, evidence: Evidence[]) =>
      api.POST('/api/v1/cases/{caseId}/rectification-reports', { ...opts(caseId, key), body: { ...(v as Schemas['ReportRectificationDone']), evidence: citedEvidence(caseId, v.evidence, evidence) } }),
  },
  recordReinspection: {
    fields: ['passed', 'findings', 'reason'],
    render: ({ t }: FormContext) => (
      <>
        <Form.Item label={t('复查结论', 'Result')} name="passed" rules={[{ required: true, message: t('请选择复查结论', 'Passed or not?') }]}>
          <Radio.Group options={[{ value: true, label: t('达标', 'Passed') }, { value: false, label: t('仍不达标', 'Still failing') }]} />
        </Form.Item>
        <Form.Item label={t('复查情况', 'Findings')} name="findings">
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </>
    ),
    send: (caseId: string, key: string, v: Values) => api.POST('/api/v1/cases/{caseId}/reinspections', { ...opts(caseId, key), body: v as Schemas['RecordReinspection'] }),
  },
  proposeClosure: {
    fields: ['reason'],
    render: ({ t }: FormContext) => reasonField(t, t('提请关闭的理由', 'Why close'), true),
    send: (caseId: string, key: string, v: Values) => api.POST('/api/v1/cases/{caseId}/closure-proposals', { ...opts(caseId, key), body: v as Schemas['ProposeClosure'] }),
  },
  decideClosure: {
    fields: ['outcome', 'months', 'reason'],
    render: ({ t }: FormContext) => (
      <>
        <Form.Item label={t('决定', 'Decision')} name="outcome" rules={[{ required: true, message: t('请选择决定', 'Choose a decision') }]}>
          <Radio.Group
            options={[
              { value: 'approve', label: t('批准关闭', 'Close') },
              { value: 'rectify_again', label: t('重新限期整改', 'Rectify again') },
              { value: 'close_with_reasons', label: t('不予关闭（说明理由）', 'Do not close (with reasons)') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('重新整改期限（月）', 'New rectification period (months)')} name="months">
          <InputNumber style={{ width: 120 }} />
        </Form.Item>
        {reasonField(t, t('理由', 'Reason'))}
      </>
    ),
    send: (caseId: string, key: string, v: Values) => api.POST('/api/v1/cases/{caseId}/closure-decisions', { ...opts(caseId, key), body: v as Schemas['DecideClosure'] }),
  },
} as const;
type FormAction = keyof typeof FORMS;
const hasForm = (a: string): a is FormAction => a in FORMS;

/** A form for each action the case accepts now and the caller may take (the API names them); no button for the rest. */
export function ActionForms({ caseId, actions, evidence, onDone }: { caseId: string; actions: string[]; evidence: Evidence[]; onDone(): void }) {
  const t = useT();
  const { lang } = useLang();
  const withForm = actions.filter(hasForm);
  const without = actions.filter((a) => !hasForm(a));
  if (!actions.length) return <Typography.Text type="secondary">{t('当前阶段没有您可办理的事项。', 'Nothing for you to do at this stage.')}</Typography.Text>;
  return (
    <>
      {withForm.map((a) => (
        <ActionForm key={a} caseId={caseId} action={a} evidence={evidence} onDone={onDone} />
      ))}
      {without.length > 0 && (
        <Typography.Paragraph type="secondary">
          {t('其他可办理事项（暂请通过接口办理）：', 'Also possible (through the API for now): ')}
          {without.map((a) => actionName(a, lang)).join('、')}
        </Typography.Paragraph>
      )}
    </>
  );
}

function ActionForm({ caseId, action, evidence, onDone }: { caseId: string; action: FormAction; evidence: Evidence[]; onDone(): void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<{ problem: Problem; rest: NonNullable<Problem['errors']> }>();
  const [sending, setSending] = useState(false);
  // One key per filled-in form: a retry after a lost answer is taken once (Idempotency-Key).
  const [key, setKey] = useState(() => newKey());
  const spec = FORMS[action];
  const title = actionName(action, lang);

  const submit = async (values: Record<string, unknown>) => {
    setSending(true);
    setProblem(undefined);
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    try {
      const { error } = await spec.send(caseId, key, body, evidence);
      if (error) {
        const p = asProblem(error);
        const rest = showFieldErrors(form, p, spec.fields, lang);
        setProblem({ problem: p, rest });
        return;
      }
      message.success(`${title}${t('：已提交', ': sent')}`);
      form.resetFields();
      setKey(newKey());
      onDone();
    } catch (e) {
      setProblem({ problem: asProblem(e), rest: [] });
    } finally {
      setSending(false);
    }
  };

  let alert: ReactNode = null;
  if (problem) {
    const p = problem.problem;
    alert = (
      <Alert
        type="error"
        showIcon
        role="alert"
        style={{ marginBottom: 12 }}
        title={lang === 'zh' ? p.titleZh : p.title}
        description={problem.rest.length ? problem.rest.map((e) => `${e.field}：${fieldMessage(e, lang)}`).join('；') : p.errors?.length ? undefined : p.detail}
      />
    );
  }
  return (
    <Card size="small" title={title} style={{ marginBottom: 12 }}>
      <section aria-label={title}>
        {alert}
        <Form form={form} name={action} layout="vertical" onFinish={(v) => void submit(v as Record<string, unknown>)} onValuesChange={() => setProblem(undefined)}>
          {spec.render({ t, lang, evidence })}
          <Button type="primary" htmlType="submit" loading={sending}>
            {t('提交', 'Submit')}
          </Button>
        </Form>
      </section>
    </Card>
  );
}
