import { Alert, Button, Flex } from 'antd';
import type { Problem } from '../api/client';
import { useLang, useT } from '../i18n';
import { fieldMessage, type FieldError } from './problemFields';

/** What a form's API answer said that no field of the form could show: the leftover field errors, or the detail. */
export interface FormProblem {
  problem: Problem;
  errors: FieldError[];
}

/** A form's problem above its buttons (the errors a field could show are already beside it). */
export function FormProblemAlert({ rest }: { rest: FormProblem | undefined }) {
  const { lang } = useLang();
  if (!rest) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      title={lang === 'zh' ? rest.problem.titleZh : rest.problem.title}
      description={rest.errors.length ? rest.errors.map((e) => fieldMessage(e, lang)).join('；') : rest.problem.detail}
    />
  );
}

/**
 * A page form's problem (立案, a case action): the errors no field could show, each with its field,
 * or the detail when the answer named no field at all.
 */
export function FieldProblemAlert({ problem, rest }: { problem: Problem; rest: FieldError[] }) {
  const { lang } = useLang();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      title={lang === 'zh' ? problem.titleZh : problem.title}
      description={rest.length ? rest.map((e) => `${e.field}：${fieldMessage(e, lang)}`).join('；') : problem.errors?.length ? undefined : problem.detail}
    />
  );
}

/** A dialog form's 取消 / 确定. */
export function DialogButtons({ onClose, busy }: { onClose: () => void; busy: boolean }) {
  const t = useT();
  return (
    <Flex gap={8} justify="end">
      <Button onClick={onClose}>{t('取消', 'Cancel')}</Button>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('确定', 'OK')}
      </Button>
    </Flex>
  );
}
