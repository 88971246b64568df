import { Alert, Button, Card, Checkbox, Descriptions, Flex, Form, Input, InputNumber, Radio, Select, Typography, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { DEPARTMENTS, DIMENSIONS, INDUSTRIES } from '../../../domain/model';
import { api, asProblem, type Problem, type Schemas } from '../api/client';
import { useLang, useT } from '../i18n';
import { CASE_MEASURES, FACILITY_KINDS, departmentName, dimensionName, industryName } from '../labels';
import { fieldMessage, showFieldErrors } from '../components/problemFields';
import { useSession } from '../components/useSession';
import { FieldProblemAlert } from '../components/FormParts';

type Enterprise = Schemas['Enterprise'];
type FieldError = NonNullable<Problem['errors']>[number];

/** A fresh Idempotency-Key (randomUUID needs a secure context; getRandomValues does not). */
const newKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

const optionsOf = <K extends string>(table: Record<K, [string, string]>, lang: 'zh' | 'en') => (Object.entries(table) as [K, [string, string]][]).map(([value, names]) => ({ value, label: names[lang === 'zh' ? 0 : 1] }));

/** The registration form's fields, and where the API's dotted field names (contact.email, facilities.0.capacity) are shown. */
const ENTERPRISE_FIELDS = ['creditCode', 'name', 'regionCode', 'industry', 'address', 'legalRepresentative', 'contactName', 'contactEmail', 'contactPhone', 'facilities'] as const;
const CASE_FIELDS = ['caseNumber', 'dimension', 'department', 'legalBasis', 'noticeServedOn', 'serious', 'facilityIds', 'measure', 'rectificationMonths'] as const;

/**
 * The registration form keeps the contact flat (contactName, …) and the facilities as a list: a field
 * error of the API under contact.* or facilities.N.* is put beside that input; the rest as
 * showFieldErrors puts them (top-level fields), and what names no field of the form is answered for the alert.
 */
function showEnterpriseErrors(form: FormInstance, problem: Problem, lang: 'zh' | 'en'): FieldError[] {
  const nested = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const flat: FieldError[] = [];
  for (const e of problem.errors ?? []) {
    const [top, a, b] = e.field.split('.');
    let name: (string | number)[] | undefined;
    if (top === 'contact' && a) name = [`contact${a.charAt(0).toUpperCase()}${a.slice(1)}`];
    else if (top === 'facilities' && a !== undefined && /^\d+$/.test(a) && b) name = ['facilities', Number(a), b];
    if (!name) {
      flat.push(e);
      continue;
    }
    const k = name.join('.');
    nested.set(k, { name, errors: [...(nested.get(k)?.errors ?? []), fieldMessage(e, lang)] });
  }
  form.setFields([...nested.values()]);
  return showFieldErrors(form, { ...problem, errors: flat }, ENTERPRISE_FIELDS, lang);
}


const required = (t: ReturnType<typeof useT>) => [{ required: true, message: t('请填写', 'Required') }];

/**
 * 立案: an enforcement official opens a case. First the enterprise by its unified social credit code
 * (shown if registered, else registered here with its facilities), then the case: the notice served,
 * the standard, the legal basis and the facilities concerned. On success, the new case's page.
 */
export function CaseOpenPage() {
  const t = useT();
  const { lang } = useLang();
  const session = useSession();
  const navigate = useNavigate();
  const [lookup] = Form.useForm();
  const [register] = Form.useForm();
  const [open] = Form.useForm();
  const [creditCode, setCreditCode] = useState<string>();
  const [enterprise, setEnterprise] = useState<Enterprise | 'unregistered'>();
  const [problem, setProblem] = useState<{ step: 1 | 2; problem: Problem; rest: FieldError[] }>();
  const [busy, setBusy] = useState(false);
  const [registerKey, setRegisterKey] = useState(() => newKey());
  const [openKey, setOpenKey] = useState(() => newKey());

  const find = async ({ creditCode: raw }: { creditCode: string }) => {
    const code = raw.trim().toUpperCase();
    setBusy(true);
    setProblem(undefined);
    setEnterprise(undefined);
    try {
      const { data, error, response } = await api.GET('/api/v1/enterprises/{creditCode}', { params: { path: { creditCode: code } } });
      if (data) {
        setCreditCode(code);
        setEnterprise(data);
      } else if (response.status === 404) {
        setCreditCode(code);
        setEnterprise('unregistered');
        register.setFieldsValue({ facilities: register.getFieldValue('facilities') ?? [{ kind: 'equipment' }] });
      } else {
        const p = asProblem(error);
        setProblem({ step: 1, problem: p, rest: showFieldErrors(lookup, p, ['creditCode'], lang) });
      }
    } catch (e) {
      setProblem({ step: 1, problem: asProblem(e), rest: [] });
    } finally {
      setBusy(false);
    }
  };

  const registerEnterprise = async (v: Record<string, unknown>) => {
    if (!creditCode) return;
    setBusy(true);
    setProblem(undefined);
    const opt = (s: unknown) => (typeof s === 'string' && s.trim() ? s.trim() : undefined);
    const body = {
      creditCode,
      name: String(v.name ?? ''),
      regionCode: String(v.regionCode ?? ''),
      industry: v.industry as Enterprise['industry'],
      address: opt(v.address),
      legalRepresentative: opt(v.legalRepresentative),
      contact: { name: String(v.contactName ?? ''), email: String(v.contactEmail ?? ''), phone: opt(v.contactPhone) },
      facilities: ((v.facilities as Record<string, unknown>[] | undefined) ?? []).map((f) => ({
        id: String(f.id ?? ''),
        name: String(f.name ?? ''),
        kind: (f.kind ?? 'equipment') as 'equipment' | 'production_line',
        capacity: f.capacity as number,
        unit: String(f.unit ?? ''),
      })),
    } satisfies Schemas['RegisterEnterprise'];
    try {
      const { data, error } = await api.POST('/api/v1/enterprises', { params: { header: { 'Idempotency-Key': registerKey } }, body });
      if (!data) {
        const p = asProblem(error);
        setProblem({ step: 1, problem: p, rest: showEnterpriseErrors(register, p, lang) });
        return;
      }
      setRegisterKey(newKey());
      setEnterprise(data);
    } catch (e) {
      setProblem({ step: 1, problem: asProblem(e), rest: [] });
    } finally {
      setBusy(false);
    }
  };

  const openCase = async (v: Record<string, unknown>) => {
    if (!creditCode) return;
    setBusy(true);
    setProblem(undefined);
    const body = {
      creditCode,
      caseNumber: String(v.caseNumber ?? '').trim(),
      dimension: v.dimension as Schemas['OpenCase']['dimension'],
      department: v.department as Schemas['OpenCase']['department'],
      legalBasis: String(v.legalBasis ?? ''),
      noticeServedOn: String(v.noticeServedOn ?? ''),
      serious: Boolean(v.serious),
      facilityIds: (v.facilityIds as string[] | undefined) ?? [],
      ...(v.measure ? { measure: v.measure as 'restrict_production' | 'suspend_production' } : {}),
      ...(typeof v.rectificationMonths === 'number' ? { rectificationMonths: v.rectificationMonths } : {}),
    } satisfies Schemas['OpenCase'];
    try {
      const { data, error } = await api.POST('/api/v1/cases', { params: { header: { 'Idempotency-Key': openKey } }, body });
      if (!data) {
        const p = asProblem(error);
        setProblem({ step: 2, problem: p, rest: showFieldErrors(open, p, CASE_FIELDS, lang) });
        return;
      }
      setOpenKey(newKey());
      navigate(`/console/cases/${encodeURIComponent(data.caseId)}`);
    } catch (e) {
      setProblem({ step: 2, problem: asProblem(e), rest: [] });
    } finally {
      setBusy(false);
    }
  };

  if (session && session.principal.role !== 'enforcement_official') {
    return <Alert type="warning" showIcon title={t('只有执法人员可以立案。', 'Only enforcement officials open cases.')} />;
  }

  const alertFor = (step: 1 | 2): ReactNode => (problem?.step === step ? <FieldProblemAlert problem={problem.problem} rest={problem.rest} /> : null);
  const registered = enterprise && enterprise !== 'unregistered' ? enterprise : undefined;

  return (
    <section aria-labelledby="case-open-title">
      <Typography.Title level={2} id="case-open-title" style={{ fontSize: 20 }}>
        {t('立案', 'Open a case')}
      </Typography.Title>

      <Card size="small" title={t('第一步：企业', 'Step 1: the enterprise')} style={{ marginBottom: 12 }}>
        <section aria-label={t('企业', 'Enterprise')}>
          {problem?.step === 1 && enterprise === undefined ? alertFor(1) : null}
          <Form form={lookup} name="lookup" layout="inline" onFinish={(v) => void find(v as { creditCode: string })} style={{ marginBottom: 12, rowGap: 8 }}>
            <Form.Item label={t('统一社会信用代码', 'Unified social credit code')} name="creditCode" rules={required(t)}>
              <Input maxLength={18} style={{ width: 220 }} />
            </Form.Item>
            <Button htmlType="submit" loading={busy && enterprise === undefined}>
              {t('查询企业', 'Look up')}
            </Button>
          </Form>

          {registered && (
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="case-open-enterprise">
              <Descriptions.Item label={t('企业名称', 'Name')}>{registered.name}</Descriptions.Item>
              <Descriptions.Item label={t('统一社会信用代码', 'Credit code')}>{registered.creditCode}</Descriptions.Item>
              <Descriptions.Item label={t('行政区划代码', 'Region code')}>{registered.regionCode}</Descriptions.Item>
              <Descriptions.Item label={t('行业', 'Industry')}>{industryName(registered.industry, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('联系人', 'Contact')}>
                {registered.contact.name} · {registered.contact.email}
                {registered.contact.phone ? ` · ${registered.contact.phone}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('设施', 'Facilities')}>{registered.facilities.map((f) => `${f.id} ${f.name}（${f.capacity} ${f.unit}）`).join('；')}</Descriptions.Item>
            </Descriptions>
          )}

          {enterprise === 'unregistered' && (
            <>
              <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('该企业尚未登记，请先登记企业及其设施。', 'Not registered yet: register the enterprise and its facilities first.')} />
              {alertFor(1)}
              <Form form={register} name="enterprise" layout="vertical" onFinish={(v) => void registerEnterprise(v as Record<string, unknown>)} onValuesChange={() => setProblem(undefined)} style={{ maxWidth: 720 }}>
                <Form.Item label={t('企业名称', 'Enterprise name')} name="name" rules={required(t)}>
                  <Input maxLength={200} />
                </Form.Item>
                <Flex gap={16} wrap>
                  <Form.Item label={t('行政区划代码', 'Region code')} name="regionCode" rules={required(t)}>
                    <Input maxLength={6} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item label={t('行业', 'Industry')} name="industry" rules={required(t)}>
                    <Select style={{ width: 200 }} options={INDUSTRIES.map((i) => ({ value: i, label: industryName(i, lang) }))} />
                  </Form.Item>
                  <Form.Item label={t('法定代表人', 'Legal representative')} name="legalRepresentative">
                    <Input maxLength={100} style={{ width: 200 }} />
                  </Form.Item>
                </Flex>
                <Form.Item label={t('地址', 'Address')} name="address">
                  <Input maxLength={500} />
                </Form.Item>
                <Flex gap={16} wrap>
                  <Form.Item label={t('联系人', 'Contact name')} name="contactName" rules={required(t)}>
                    <Input maxLength={100} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item label={t('联系人电子邮箱', 'Contact e-mail')} name="contactEmail" rules={required(t)}>
                    <Input type="email" maxLength={254} style={{ width: 260 }} />
                  </Form.Item>
                  <Form.Item label={t('联系电话', 'Contact phone')} name="contactPhone">
                    <Input maxLength={20} style={{ width: 180 }} />
                  </Form.Item>
                </Flex>
                <Typography.Title level={3} style={{ fontSize: 16 }}>
                  {t('设施（设备/生产线）', 'Facilities (equipment, production lines)')}
                </Typography.Title>
                <Form.List name="facilities">
                  {(items, { add, remove }) => (
                    <>
                      {items.map(({ key, name }) => (
                        <Flex key={key} gap={12} wrap align="flex-end" role="group" aria-label={`${t('设施', 'Facility')} ${name + 1}`}>
                          <Form.Item label={`${t('设施编号', 'Facility id')} ${name + 1}`} name={[name, 'id']} rules={required(t)}>
                            <Input maxLength={32} style={{ width: 110 }} />
                          </Form.Item>
                          <Form.Item label={`${t('设施名称', 'Facility name')} ${name + 1}`} name={[name, 'name']} rules={required(t)}>
                            <Input maxLength={200} style={{ width: 200 }} />
                          </Form.Item>
                          <Form.Item label={`${t('类型', 'Kind')} ${name + 1}`} name={[name, 'kind']} rules={required(t)}>
                            <Select style={{ width: 120 }} options={optionsOf(FACILITY_KINDS, lang)} />
                          </Form.Item>
                          <Form.Item label={`${t('产能', 'Capacity')} ${name + 1}`} name={[name, 'capacity']} rules={required(t)}>
                            <InputNumber style={{ width: 110 }} />
                          </Form.Item>
                          <Form.Item label={`${t('单位', 'Unit')} ${name + 1}`} name={[name, 'unit']} rules={required(t)}>
                            <Input maxLength={32} style={{ width: 110 }} placeholder="万吨/年" />
                          </Form.Item>
                          {items.length > 1 && (
                            <Form.Item>
                              <Button onClick={() => remove(name)}>{`${t('删除设施', 'Remove facility')} ${name + 1}`}</Button>
                            </Form.Item>
                          )}
                        </Flex>
                      ))}
                      <Form.Item>
                        <Button type="dashed" onClick={() => add({ kind: 'equipment' })}>
                          {t('添加设施', 'Add a facility')}
                        </Button>
                      </Form.Item>
                    </>
                  )}
                </Form.List>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('登记企业', 'Register the enterprise')}
                </Button>
              </Form>
            </>
          )}
        </section>
      </Card>

      {registered && (
        <Card size="small" title={t('第二步：立案信息', 'Step 2: the case')}>
          <section aria-label={t('立案信息', 'The case')}>
            {alertFor(2)}
            <Form
              form={open}
              name="case"
              layout="vertical"
              initialValues={{ department: session?.principal.department, serious: false, facilityIds: registered.facilities.filter((f) => f.status === 'active').map((f) => f.id).slice(0, 1) }}
              onFinish={(v) => void openCase(v as Record<string, unknown>)}
              onValuesChange={() => setProblem(undefined)}
              style={{ maxWidth: 720 }}
            >
              <Flex gap={16} wrap>
                <Form.Item label={t('文书编号', 'Notice number')} name="caseNumber" rules={required(t)}>
                  <Input maxLength={40} style={{ width: 200 }} />
                </Form.Item>
                <Form.Item label={t('送达日期', 'Notice served on')} name="noticeServedOn" rules={required(t)}>
                  <Input type="date" style={{ width: 170 }} />
                </Form.Item>
              </Flex>
              <Flex gap={16} wrap>
                <Form.Item label={t('标准类别', 'Standard (dimension)')} name="dimension" rules={required(t)}>
                  <Select style={{ width: 160 }} options={DIMENSIONS.map((d) => ({ value: d, label: dimensionName(d, lang) }))} />
                </Form.Item>
                <Form.Item label={t('执法部门', 'Department')} name="department" rules={required(t)}>
                  <Select style={{ width: 240 }} options={DEPARTMENTS.map((d) => ({ value: d, label: departmentName(d, lang) }))} />
                </Form.Item>
              </Flex>
              <Form.Item label={t('法律依据', 'Legal basis')} name="legalBasis" rules={required(t)}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
              <Form.Item label={t('涉及设施', 'Facilities concerned')} name="facilityIds" rules={[{ required: true, message: t('请选择', 'Choose at least one') }]}>
                <Checkbox.Group options={registered.facilities.map((f) => ({ value: f.id, label: `${f.id} ${f.name}`, disabled: f.status !== 'active' }))} />
              </Form.Item>
              <Flex gap={16} wrap>
                <Form.Item label={t('整改措施（政策允许部门选择时）', 'Measure (where the department chooses)')} name="measure">
                  <Select allowClear style={{ width: 200 }} options={optionsOf(CASE_MEASURES, lang)} />
                </Form.Item>
                <Form.Item label={t('整改期限（月，环保、安全类）', 'Rectification period (months; environment, safety)')} name="rectificationMonths">
                  <InputNumber style={{ width: 120 }} />
                </Form.Item>
              </Flex>
              <Form.Item label={t('情节严重（仅环保类）', 'Serious (environment only)')} name="serious">
                <Radio.Group
                  options={[
                    { value: false, label: t('否', 'No') },
                    { value: true, label: t('是', 'Yes') },
                  ]}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                {t('立案并送达', 'Open the case')}
              </Button>
            </Form>
          </section>
        </Card>
      )}
    </section>
  );
}
