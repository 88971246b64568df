import { App, Button, Card, Form, Typography } from 'antd';
import { useState } from 'react';
import { asProblem, type Problem } from '../../api/client';
import { useLang, useT } from '../../i18n';
import { actionName } from '../../labels';
import { showFieldErrors } from '../problemFields';
import type { Evidence } from './fields';
import { FORMS, hasForm, type FormAction } from './forms';
import { FieldProblemAlert } from '../FormParts';

/** A fresh Idempotency-Key (randomUUID needs a secure context; getRandomValues does not). */
const newKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A form for each action the case accepts now and the caller may take (the API names them); no button for the rest. */
export function ActionForms({ caseId, actions, evidence, onDone }: { caseId: string; actions: string[]; evidence: Evidence[]; onDone(): void }) {
  const t = useT();
  const withForm = actions.filter(hasForm);
  if (!withForm.length) return <Typography.Text type="secondary">{t('当前阶段没有您可办理的事项。', 'Nothing for you to do at this stage.')}</Typography.Text>;
  return (
    <>
      {withForm.map((a) => (
        <ActionForm key={a} caseId={caseId} action={a} evidence={evidence} onDone={onDone} />
      ))}
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

  const alert = problem ? <FieldProblemAlert problem={problem.problem} rest={problem.rest} /> : null;
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
