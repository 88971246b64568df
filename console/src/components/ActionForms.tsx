import { Alert, App, Button, Card, Form, Input, InputNumber, Radio, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, asProblem, type Problem } from '../api/client';
import { useLang, useT } from '../i18n';
import { actionName } from '../labels';
import { fieldMessage, showFieldErrors } from './problemFields';

type T = ReturnType<typeof useT>;

/** A fresh Idempotency-Key (randomUUID needs a secure context; getRandomValues does not). */
const newKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The actions the console has a form for, each with its fields; the others are named, to be taken through the API for now. */
const FORMS = {
  requestExtension: {
    fields: ['months', 'reason'],
    render: (t: T) => (
      <>
        <Form.Item label={t('申请延期（月）', 'Months requested')} name="months" rules={[{ required: true, message: t('请填写延期月数', 'How many months?') }]}>
          <InputNumber style={{ width: 120 }} />
        </Form.Item>
        <Form.Item label={t('申请理由', 'Reason')} name="reason">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </>
    ),
    send: (caseId: string, body: Record<string, unknown>, key: string) =>
      api.POST('/api/v1/cases/{caseId}/extension-requests', { params: { path: { caseId }, header: { 'Idempotency-Key': key } }, body: body as { months: number; reason?: string } }),
  },
  decideExtension: {
    fields: ['approve', 'months', 'reason'],
    render: (t: T) => (
      <>
        <Form.Item label={t('审批意见', 'Decision')} name="approve" rules={[{ required: true, message: t('请选择批准或不批准', 'Approve or reject?') }]}>
          <Radio.Group options={[{ value: true, label: t('批准', 'Approve') }, { value: false, label: t('不批准', 'Reject') }]} />
        </Form.Item>
        <Form.Item label={t('批准延期（月，可少于申请）', 'Months granted (may be fewer)')} name="months">
          <InputNumber style={{ width: 120 }} />
        </Form.Item>
        <Form.Item label={t('理由', 'Reason')} name="reason">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </>
    ),
    send: (caseId: string, body: Record<string, unknown>, key: string) =>
      api.POST('/api/v1/cases/{caseId}/extension-decisions', { params: { path: { caseId }, header: { 'Idempotency-Key': key } }, body: body as { approve: boolean; months?: number; reason?: string } }),
  },
  reportRectificationDone: {
    fields: ['reason', 'evidence'],
    render: (t: T) => (
      <Form.Item label={t('整改情况说明', 'What was done')} name="reason">
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    ),
    send: (caseId: string, body: Record<string, unknown>, key: string) =>
      api.POST('/api/v1/cases/{caseId}/rectification-reports', { params: { path: { caseId }, header: { 'Idempotency-Key': key } }, body: { evidence: [], ...(body as { reason?: string }) } }),
  },
} as const;
type FormAction = keyof typeof FORMS;
const hasForm = (a: string): a is FormAction => a in FORMS;

/** A form for each action the case accepts now and the caller may take (the API names them); no button for the rest. */
export function ActionForms({ caseId, actions, onDone }: { caseId: string; actions: string[]; onDone(): void }) {
  const t = useT();
  const { lang } = useLang();
  const withForm = actions.filter(hasForm);
  const without = actions.filter((a) => !hasForm(a));
  if (!actions.length) return <Typography.Text type="secondary">{t('当前阶段没有您可办理的事项。', 'Nothing for you to do at this stage.')}</Typography.Text>;
  return (
    <>
      {withForm.map((a) => (
        <ActionForm key={a} caseId={caseId} action={a} onDone={onDone} />
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

function ActionForm({ caseId, action, onDone }: { caseId: string; action: FormAction; onDone(): void }) {
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
      const { error } = await spec.send(caseId, body, key);
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
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v as Record<string, unknown>)} onValuesChange={() => setProblem(undefined)}>
          {spec.render(t)}
          <Button type="primary" htmlType="submit" loading={sending}>
            {t('提交', 'Submit')}
          </Button>
        </Form>
      </section>
    </Card>
  );
}
