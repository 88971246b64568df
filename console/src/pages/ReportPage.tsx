import { Alert, Button, Card, Form, Input, InputNumber, Layout, Progress, Select, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { DIMENSION_NAMES_ZH, INDUSTRY_NAMES_ZH } from '../../../domain/model';
import { api, asProblem, type Problem, type Schemas } from '../api/client';
import { uploadReportEvidence } from '../api/upload';
import { fieldMessage } from '../components/problemFields';
import { PortalHeader } from '../components/PortalHeader';
import { useLang, useT } from '../i18n';
import { dimensionName, industryName } from '../labels';

type Submission = Schemas['PublicReport'];
type Filed = Schemas['FiledReport'];
/** The form's values: the submission with the reporter's fields flat, every text possibly empty. */
interface Values {
  region: string;
  address: string;
  enterpriseName: string;
  creditCode?: string;
  industry?: Submission['industry'];
  dimension?: Submission['dimension'];
  equipment?: string;
  capacity?: number | null;
  unit?: string;
  description: string;
  reporterName?: string;
  reporterPhone?: string;
  reporterEmail?: string;
}

/** The API's field paths (problem+json) and the form's names for them. */
const FIELD_OF: Record<string, keyof Values> = {
  region: 'region',
  address: 'address',
  enterpriseName: 'enterpriseName',
  creditCode: 'creditCode',
  industry: 'industry',
  dimension: 'dimension',
  equipment: 'equipment',
  capacity: 'capacity',
  unit: 'unit',
  description: 'description',
  reporter: 'reporterName',
  'reporter.name': 'reporterName',
  'reporter.phone': 'reporterPhone',
  'reporter.email': 'reporterEmail',
};

const text = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

function submissionOf(v: Values): Submission {
  const reporter = { name: text(v.reporterName), phone: text(v.reporterPhone), email: text(v.reporterEmail) };
  const optional = {
    creditCode: text(v.creditCode)?.toUpperCase(),
    industry: v.industry,
    dimension: v.dimension,
    equipment: text(v.equipment),
    capacity: v.capacity ?? undefined,
    unit: text(v.unit),
    reporter: reporter.name || reporter.phone || reporter.email ? JSON.parse(JSON.stringify(reporter)) : undefined,
  };
  return {
    region: v.region.trim(),
    address: v.address.trim(),
    enterpriseName: v.enterpriseName.trim(),
    description: v.description.trim(),
    ...(Object.fromEntries(Object.entries(optional).filter(([, x]) => x !== undefined)) as Partial<Submission>),
  };
}

/** 我要举报: anyone files a report of backward capacity, anonymously or by name, and keeps its tracking number and secret. */
export function ReportPage() {
  const [filed, setFiled] = useState<Filed>();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <PortalHeader />
      <Layout.Content style={{ padding: 16, maxWidth: 800, width: '100%', margin: '0 auto' }}>
        {filed ? <FiledReceipt filed={filed} /> : <ReportForm onFiled={setFiled} />}
      </Layout.Content>
    </Layout>
  );
}

function ReportForm({ onFiled }: { onFiled(f: Filed): void }) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<{ title: string; detail?: string }>();
  const [sending, setSending] = useState(false);

  const showProblem = (p: Problem) => {
    if (p.status === 429) return setProblem({ title: t('提交过于频繁，请稍后再试', 'Too many reports from this address; please try again later'), detail: p.detail });
    const rest: string[] = [];
    const byField = new Map<keyof Values, string[]>();
    for (const e of p.errors ?? []) {
      const name = FIELD_OF[e.field];
      if (name) byField.set(name, [...(byField.get(name) ?? []), fieldMessage(e, lang)]);
      else rest.push(fieldMessage(e, lang));
    }
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    if (rest.length || !byField.size) setProblem({ title: lang === 'zh' ? p.titleZh : p.title, detail: rest.join('；') || p.detail });
  };

  const submit = async (v: Values) => {
    setProblem(undefined);
    setSending(true);
    try {
      const { data, error } = await api.POST('/api/v1/public/reports', { body: submissionOf(v) });
      if (data) onFiled(data);
      else showProblem(asProblem(error));
    } catch (e) {
      showProblem(asProblem(e));
    } finally {
      setSending(false);
    }
  };

  const required = { required: true, whitespace: true, message: t('必填', 'Required') };
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('举报落后产能', 'Report backward capacity')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">
        {t('可匿名举报；留下姓名即为实名举报，须留联系方式以便答复。提交后请保存受理编号和查询密码。', 'You may report anonymously; with your name it is a real-name report and needs a contact for the reply. Keep the tracking number and secret you get.')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problem.title} description={problem.detail} />}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} aria-label={t('举报表单', 'Report form')}>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 15 }}>{t('在哪里', 'Where')}</legend>
          <Form.Item label={t('所在地区（行政区划代码）', 'Region (division code)')} name="region" extra={t('6位代码，如 410122（河南省郑州市中牟县）', '6 digits, e.g. 410122')} rules={[required, { pattern: /^\d{6}$/, message: t('请输入6位行政区划代码', 'A 6-digit division code') }]}>
            <Input inputMode="numeric" maxLength={6} style={{ maxWidth: 160 }} />
          </Form.Item>
          <Form.Item label={t('详细地址', 'Address')} name="address" rules={[required]}>
            <Input maxLength={300} />
          </Form.Item>
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 15 }}>{t('哪家企业', 'Which enterprise')}</legend>
          <Form.Item label={t('企业名称', 'Enterprise name')} name="enterpriseName" rules={[required]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={t('统一社会信用代码（选填）', 'Credit code (optional)')} name="creditCode">
            <Input maxLength={18} style={{ maxWidth: 260 }} />
          </Form.Item>
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 15 }}>{t('举报内容', 'What')}</legend>
          <Form.Item label={t('行业（选填）', 'Industry (optional)')} name="industry">
            <Select allowClear style={{ maxWidth: 260 }} options={Object.keys(INDUSTRY_NAMES_ZH).map((i) => ({ value: i, label: industryName(i, lang) }))} />
          </Form.Item>
          <Form.Item label={t('违反的标准（选填）', 'Standard broken (optional)')} name="dimension">
            <Select allowClear style={{ maxWidth: 260 }} options={Object.keys(DIMENSION_NAMES_ZH).map((d) => ({ value: d, label: dimensionName(d, lang) }))} />
          </Form.Item>
          <Form.Item label={t('设备情况（选填）', 'Equipment (optional)')} name="equipment">
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item label={t('产能（选填）', 'Capacity (optional)')} name="capacity">
            <InputNumber min={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('产能单位', 'Capacity unit')} name="unit" extra={t('如 万吨/年', 'e.g. 万吨/年')}>
            <Input maxLength={40} style={{ maxWidth: 160 }} />
          </Form.Item>
          <Form.Item label={t('问题描述', 'Description')} name="description" rules={[required]}>
            <Input.TextArea rows={4} maxLength={5000} />
          </Form.Item>
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 15 }}>{t('举报人（选填，不填为匿名举报）', 'You (optional; leave empty to stay anonymous)')}</legend>
          <Form.Item label={t('真实姓名', 'Real name')} name="reporterName">
            <Input maxLength={100} autoComplete="name" />
          </Form.Item>
          <Form.Item label={t('联系电话', 'Phone')} name="reporterPhone">
            <Input inputMode="tel" autoComplete="tel" style={{ maxWidth: 260 }} />
          </Form.Item>
          <Form.Item label={t('电子邮箱', 'E-mail')} name="reporterEmail">
            <Input type="email" autoComplete="email" style={{ maxWidth: 320 }} />
          </Form.Item>
        </fieldset>
        <Button type="primary" htmlType="submit" disabled={sending}>
          {t('提交举报', 'File the report')}
        </Button>
      </Form>
    </Card>
  );
}

/** 受理回执: the tracking number and the secret, shown this once (only the secret's hash is kept), then photos. */
function FiledReceipt({ filed }: { filed: Filed }) {
  const t = useT();
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('举报已受理', 'Report received')}</Typography.Title>}>
      <Alert
        type="warning"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        title={t('查询密码只显示这一次，请立即抄写或复制保存', 'The secret is shown only this once: write it down or copy it now')}
        description={t('凭受理编号和查询密码查询办理进度和答复；密码遗失后无法找回。', 'With the tracking number and the secret you can read the status and the reply; a lost secret cannot be recovered.')}
      />
      <dl style={{ margin: 0 }}>
        <dt>{t('受理编号', 'Tracking number')}</dt>
        <dd style={{ marginInlineStart: 0, fontSize: 18 }}>
          <Typography.Text strong code copyable={{ text: filed.trackingNumber, tooltips: [t('复制受理编号', 'Copy the tracking number'), t('已复制', 'Copied')] }} data-testid="report-tracking-number">
            {filed.trackingNumber}
          </Typography.Text>
        </dd>
        <dt>{t('查询密码', 'Secret')}</dt>
        <dd style={{ marginInlineStart: 0, fontSize: 18 }}>
          <Typography.Text strong code copyable={{ text: filed.secret, tooltips: [t('复制查询密码', 'Copy the secret'), t('已复制', 'Copied')] }} data-testid="report-secret">
            {filed.secret}
          </Typography.Text>
        </dd>
        <dt>{t('受理日期', 'Received on')}</dt>
        <dd style={{ marginInlineStart: 0 }}>{filed.receivedOn}</dd>
      </dl>
      <ReportEvidenceUpload trackingNumber={filed.trackingNumber} secret={filed.secret} />
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link to="/report/status">{t('查询办理进度', 'Look up the status')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}

/** 补充照片: photos or documents for the report just filed, with their upload progress. */
function ReportEvidenceUpload({ trackingNumber, secret }: { trackingNumber: string; secret: string }) {
  const t = useT();
  const { lang } = useLang();
  const input = useRef<HTMLInputElement>(null);
  const [percent, setPercent] = useState<number>();
  const [problem, setProblem] = useState<Problem>();
  const [sent, setSent] = useState<string[]>([]);

  const send = async (file: File) => {
    setProblem(undefined);
    setPercent(0);
    try {
      await uploadReportEvidence(trackingNumber, secret, file, setPercent);
      setSent((s) => [...s, file.name]);
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setPercent(undefined);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <section aria-label={t('补充照片或材料', 'Add photos or documents')} style={{ marginTop: 16 }}>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('补充照片或材料（选填）', 'Photos or documents (optional)')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon role="alert" style={{ marginBottom: 8 }} title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.errors?.map((e) => fieldMessage(e, lang)).join('；') ?? problem.detail} />}
      <input ref={input} type="file" accept="image/jpeg,image/png,image/webp,application/pdf" hidden aria-label={t('选择照片或材料', 'Choose a file')} onChange={(e) => e.target.files?.[0] && void send(e.target.files[0])} />
      <Button onClick={() => input.current?.click()} disabled={percent !== undefined}>
        {t('选择文件并上传', 'Choose and upload')}
      </Button>
      {percent !== undefined && <Progress percent={percent} size="small" aria-label={t('上传进度', 'Upload progress')} />}
      {sent.length > 0 && (
        <ul aria-label={t('已上传', 'Uploaded')}>
          {sent.map((name, i) => (
            <li key={i}>
              {name} {t('已上传', 'uploaded')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
