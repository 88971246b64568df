import type { FormInstance } from 'antd';
import type { Problem } from '../api/client';

/** Chinese for the rules zod names when the API gives no Chinese of its own. */
const RULES_ZH: Record<string, string> = {
  too_big: '超出允许的最大值',
  too_small: '低于允许的最小值',
  invalid_type: '类型不正确',
  required: '必填',
  unknown_field: '不允许的字段',
  invalid_format: '格式不正确',
  invalid_value: '取值不正确',
};

export type FieldError = NonNullable<Problem['errors']>[number];

export function fieldMessage(e: FieldError, lang: 'zh' | 'en'): string {
  if (lang === 'en') return e.message;
  return e.messageZh ?? (RULES_ZH[e.rule] ? `${RULES_ZH[e.rule]}（${e.message}）` : e.message);
}

/**
 * Shows a problem's field errors next to the form's fields (422 problem+json names each field as a
 * dotted path); answers the errors that name no field of this form, for the form's own alert.
 */
export function showFieldErrors(form: FormInstance, problem: Problem, fields: readonly string[], lang: 'zh' | 'en'): FieldError[] {
  const rest: FieldError[] = [];
  const byField = new Map<string, string[]>();
  for (const e of problem.errors ?? []) {
    const top = e.field.split('.')[0]!;
    if (fields.includes(top)) byField.set(top, [...(byField.get(top) ?? []), fieldMessage(e, lang)]);
    else rest.push(e);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return rest;
}
