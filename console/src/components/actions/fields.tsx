import { Checkbox, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { Schemas } from '../../api/client';
import type { useT } from '../../i18n';
import { phaseName } from '../../labels';

/** The fields the action forms share: each named once, labelled, with the API's own limits. */

export type T = ReturnType<typeof useT>;
export type Evidence = Schemas['Evidence'];
export type Values = Record<string, unknown>;

/** What a form's fields may offer besides the labels: the case's stored evidence, to cite. */
export interface FormContext {
  t: T;
  lang: 'zh' | 'en';
  evidence: Evidence[];
}

const requiredRule = (t: T, on: boolean) => (on ? [{ required: true, message: t('请填写', 'Required') }] : []);

export function TextField({ t, name, label, required = false, rows = 0, max = 2000 }: { t: T; name: string; label: string; required?: boolean; rows?: number; max?: number }) {
  return (
    <Form.Item label={label} name={name} rules={requiredRule(t, required)}>
      {rows ? <Input.TextArea rows={rows} maxLength={max} /> : <Input maxLength={max} />}
    </Form.Item>
  );
}

/** Every input may say why (理由); some must. */
export const ReasonField = ({ t, label, required = false }: { t: T; label?: string; required?: boolean }) => <TextField t={t} name="reason" label={label ?? t('理由', 'Reason')} required={required} rows={3} />;

/** A legal date (YYYY-MM-DD), as the API takes it. */
export function DateField({ t, name, label }: { t: T; name: string; label: string }) {
  return (
    <Form.Item label={label} name={name} rules={requiredRule(t, true)}>
      <Input type="date" style={{ width: 170 }} />
    </Form.Item>
  );
}

export function CountField({ t, name, label, required = false }: { t: T; name: string; label: string; required?: boolean }) {
  return (
    <Form.Item label={label} name={name} rules={requiredRule(t, required)}>
      <InputNumber style={{ width: 120 }} />
    </Form.Item>
  );
}

/** One of a few answers (approve or reject, passed or not, which ground). */
export function ChoiceField<V extends string | boolean>({ t, name, label, options }: { t: T; name: string; label: string; options: { value: V; label: string }[] }) {
  return (
    <Form.Item label={label} name={name} rules={[{ required: true, message: t('请选择', 'Choose one') }]}>
      <Radio.Group options={options} />
    </Form.Item>
  );
}

export function SelectField({ t, name, label, options, required = false, many = false }: { t: T; name: string; label: string; options: { value: string; label: string }[]; required?: boolean; many?: boolean }) {
  return (
    <Form.Item label={label} name={name} rules={requiredRule(t, required)}>
      {many ? <Checkbox.Group options={options} /> : <Select allowClear options={options} style={{ maxWidth: 360 }} />}
    </Form.Item>
  );
}

/** Yes/no as two labelled answers. */
export const yesNo = (yes: string, no: string) => [
  { value: true, label: yes },
  { value: false, label: no },
];

/** Photos of the case cited by their stored URI and hash (POST …/evidence answered them); documents are not cited. */
export function EvidenceField({ t, lang, evidence }: FormContext) {
  const photos = evidence.filter((e) => e.phase !== 'document');
  if (!photos.length) return null;
  return (
    <Form.Item label={t('引用证据照片', 'Cite photos')} name="evidence">
      <Checkbox.Group options={photos.map((e) => ({ value: e.evidenceId, label: `${phaseName(e.phase, lang)} · ${e.filename ?? e.sha256.slice(0, 12)}` }))} />
    </Form.Item>
  );
}

/** The photos ticked in EvidenceField, as a step cites them (phase, the API's URI, SHA-256). */
export const citedEvidence = (caseId: string, ids: unknown, evidence: Evidence[]) =>
  ((ids as string[] | undefined) ?? []).flatMap((id) => {
    const e = evidence.find((x) => x.evidenceId === id);
    return e && e.phase !== 'document' ? [{ phase: e.phase as 'before' | 'during' | 'after', uri: `/api/v1/cases/${caseId}/evidence/${e.evidenceId}`, sha256: e.sha256 }] : [];
  });
