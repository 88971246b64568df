import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Select, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { DIMENSION_NAMES_ZH } from '../../../domain/model';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { showFieldErrors } from '../components/problemFields';
import { useSession } from '../components/useSession';
import { useLang, useT } from '../i18n';
import { departmentName, dimensionName, industryName, reportChannelName, reportOutcomeName, reportStatusName, verificationMethodName } from '../labels';
import { assignedTo } from './PublicReportListPage';
import { beijingTime } from '../time';
import { FormProblemAlert, type FormProblem } from '../components/FormParts';

type Report = Schemas['Report'];
type Verification = { verifiedOn?: string; method?: string; findings?: string; recordedBy?: { name?: string } };

const HISTORY: Record<string, [string, string]> = {
  received: ['受理', 'Received'],
  routed: ['分办', 'Routed'],
  verified: ['登记核查', 'Verified'],
  transferred: ['转办', 'Transferred'],
  concluded: ['办结', 'Concluded'],
  reminder: ['催办提醒', 'Reminder'],
  overdue: ['核查逾期', 'Overdue'],
  escalated: ['逾期上报', 'Escalated'],
};

/** One 举报 for the official who verifies it: what was reported, the deadline, and the forms to verify, hand over or conclude it. */
export function PublicReportPage() {
  const { reportId = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const principal = useSession()?.principal;
  const [report, setReport] = useState<Report>();
  const [problem, setProblem] = useState<Problem>();

  const load = useCallback(() => {
    must(api.GET('/api/v1/reports/{reportId}', { params: { path: { reportId } } })).then(setReport, (e) => setProblem(asProblem(e)));
  }, [reportId]);
  useEffect(load, [load]);

  if (problem) return <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} />;
  if (!report) return <Spin />;
  const mayAct = assignedTo(principal, report.assignee) && report.status !== 'closed';
  const verifications = report.verifications as Verification[];
  return (
    <section aria-labelledby="report-title">
      <Typography.Title level={2} id="report-title" style={{ fontSize: 20 }}>
        {t('举报', 'Report')} {report.reportId}
      </Typography.Title>
      <Typography.Paragraph>
        <Link to="/console/reports">{t('返回举报列表', 'Back to the reports')}</Link>
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('状态', 'Status')}>
            <Tag color={report.status === 'closed' ? 'green' : 'blue'} data-testid="report-status">
              {reportStatusName(report.status, lang)}
            </Tag>
            {report.outcome && <Tag>{reportOutcomeName(report.outcome, lang)}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('核查期限', 'Verify by')}>
            <span data-testid="report-due">{report.dueDate ?? '—'}</span> {report.overdue && report.status !== 'closed' && <Tag color="red">{t('已逾期', 'overdue')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('受理日期', 'Received')}>{report.receivedOn}</Descriptions.Item>
          <Descriptions.Item label={t('来源', 'Channel')}>
            {reportChannelName(report.channel, lang)}
            {report.externalRef ? ` ${report.externalRef}` : ''}
            {report.realName ? t('（实名）', ' (real name)') : t('（匿名）', ' (anonymous)')}
          </Descriptions.Item>
          <Descriptions.Item label={t('被举报企业', 'Enterprise')}>
            {report.enterpriseName}
            {report.creditCode ? ` ${report.creditCode}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('地区', 'Region')}>{report.regionName}</Descriptions.Item>
          <Descriptions.Item label={t('地址', 'Address')}>{report.address}</Descriptions.Item>
          <Descriptions.Item label={t('行业 · 维度', 'Industry · dimension')}>
            {report.industry ? industryName(report.industry, lang) : '—'} · {report.dimension ? dimensionName(report.dimension, lang) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('设备 · 产能', 'Equipment · capacity')}>
            {report.equipment ?? '—'} · {report.capacity !== null ? `${report.capacity} ${report.unit ?? ''}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('核查部门', 'Verified by')}>
            {report.assignee ? `${report.assignee.department ? departmentName(report.assignee.department, lang) : report.assignee.role} · ${report.assignee.jurisdiction}` : t('分办中', 'being routed')}
          </Descriptions.Item>
          {report.reporter !== undefined && (
            <Descriptions.Item label={t('举报人', 'Reporter')}>{report.reporter ? [report.reporter.name, report.reporter.phone, report.reporter.email].filter(Boolean).join(' · ') : t('匿名', 'anonymous')}</Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>{report.description}</Typography.Paragraph>
        {report.reply && (
          <Alert type="info" title={t('答复', 'Reply')} description={<span style={{ whiteSpace: 'pre-wrap' }}>{report.reply}</span>} />
        )}
      </Card>
      {report.evidence.length > 0 && (
        <Card size="small" title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('举报人提供的材料', 'Evidence from the reporter')}</h3>} style={{ marginBottom: 12 }}>
          <Table
            size="small"
            rowKey="evidenceId"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={report.evidence}
            columns={[
              { key: 'name', title: t('文件', 'File'), render: (_, e) => e.filename ?? e.evidenceId },
              { key: 'type', title: t('类型', 'Type'), dataIndex: 'contentType' },
              { key: 'sha', title: 'SHA-256', render: (_, e) => <Typography.Text code>{e.sha256.slice(0, 16)}…</Typography.Text> },
              { key: 'at', title: t('上传时间', 'Uploaded'), render: (_, e) => beijingTime(e.uploadedAt) },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('核查与办理经过', 'Verification and history')}</h3>} style={{ marginBottom: 12 }}>
        {verifications.map((v, i) => (
          <Typography.Paragraph key={i}>
            <Tag color="blue">{t('核查', 'Verified')}</Tag> {v.verifiedOn} · {verificationMethodName(String(v.method), lang)} · {v.recordedBy?.name}：{v.findings}
          </Typography.Paragraph>
        ))}
        <Timeline
          items={[...report.history]
            .sort((a, b) => b.at.localeCompare(a.at))
            .map((h) => ({ content: `${beijingTime(h.at)} ${HISTORY[h.kind]?.[lang === 'zh' ? 0 : 1] ?? h.kind}${actorName(h.actor)}` }))}
        />
      </Card>
      {mayAct && <ReportForms report={report} onDone={load} />}
    </section>
  );
}

function actorName(actor: unknown): string {
  return actor && typeof actor === 'object' && 'name' in actor && typeof actor.name === 'string' ? ` · ${actor.name}` : '';
}

/** A form's answer: success reloads the report; a refusal shows its field errors beside the fields. */
function useAction(fields: readonly string[], onDone: () => void) {
  const { lang } = useLang();
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [rest, setRest] = useState<FormProblem>();
  const run = async (call: Promise<{ data?: Schemas['ReportResult']; error?: unknown; response: Response }>) => {
    setBusy(true);
    setRest(undefined);
    try {
      const r = await must(call);
      message.success(t(`已提交：${reportStatusName(r.status, 'zh')}`, `Done: ${reportStatusName(r.status, 'en')}`));
      form.resetFields();
      onDone();
    } catch (e) {
      const problem = asProblem(e);
      setRest({ problem, errors: showFieldErrors(form, problem, fields, lang) });
    } finally {
      setBusy(false);
    }
  };
  const alert = <FormProblemAlert rest={rest} />;
  return { form, busy, run, alert };
}

function FormCard({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} style={{ marginBottom: 12 }}>
      <Card size="small" title={<h3 id={id} style={{ margin: 0, fontSize: 16 }}>{title}</h3>}>
        {children}
      </Card>
    </section>
  );
}

function ReportForms({ report, onDone }: { report: Report; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const path = { reportId: report.reportId };
  const verify = useAction(['verifiedOn', 'method', 'findings'], onDone);
  const conclude = useAction(['outcome', 'reasons', 'caseId', 'replyNote'], onDone);
  const transfer = useAction(['dimension', 'reason'], onDone);
  const outcome = Form.useWatch('outcome', conclude.form) as string | undefined;
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

  return (
    <>
      <FormCard id="verify-title" title={t('登记核查情况', 'Record the verification')}>
        <Form form={verify.form} name="verify" layout="vertical" initialValues={{ verifiedOn: today, method: 'on_site' }} onFinish={(v) => void verify.run(api.POST('/api/v1/reports/{reportId}/verifications', { params: { path }, body: v as Schemas['ReportVerification'] }))}>
          <Form.Item label={t('核查日期', 'Verified on')} name="verifiedOn" rules={[{ required: true }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item label={t('核查方式', 'Method')} name="method">
            <Select options={(['on_site', 'documents', 'remote_monitoring', 'interview'] as const).map((m) => ({ value: m, label: verificationMethodName(m, lang) }))} />
          </Form.Item>
          <Form.Item label={t('核查情况', 'Findings')} name="findings" rules={[{ required: true, message: t('请填写核查情况', 'Say what was found') }]}>
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
          {verify.alert}
          <Button type="primary" htmlType="submit" loading={verify.busy}>
            {t('提交核查情况', 'Record')}
          </Button>
        </Form>
      </FormCard>
      <FormCard id="conclude-title" title={t('办结', 'Conclude')}>
        <Typography.Paragraph type="secondary">{t('举报属实需立案查处的，请在案件页立案后以“已在查处中”关联案件。', 'A confirmed report: open the case, then conclude as “already being handled” with its case id.')}</Typography.Paragraph>
        <Form
          form={conclude.form}
          name="conclude"
          layout="vertical"
          initialValues={{ outcome: 'unfounded' }}
          onFinish={(v) => void conclude.run(api.POST('/api/v1/reports/{reportId}/conclusions', { params: { path }, body: clean(v) as Schemas['ReportConclusion'] }))}
        >
          <Form.Item label={t('办结结果', 'Outcome')} name="outcome">
            <Radio.Group
              options={(['unfounded', 'already_known', 'not_pursued'] as const).map((o) => ({ value: o, label: reportOutcomeName(o, lang), disabled: o === 'not_pursued' && report.realName }))}
            />
          </Form.Item>
          {outcome === 'already_known' ? (
            <Form.Item label={t('关联案件编号', 'Case id')} name="caseId" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          ) : (
            <Form.Item label={t('办结理由', 'Reasons')} name="reasons" rules={[{ required: true, message: t('请填写办结理由', 'Give the reasons') }]}>
              <Input.TextArea rows={3} maxLength={5000} />
            </Form.Item>
          )}
          <Form.Item label={t('答复补充说明（选填，举报人可见）', 'Note in the reply (optional; the reporter reads it)')} name="replyNote">
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          {conclude.alert}
          <Button type="primary" htmlType="submit" loading={conclude.busy}>
            {t('办结', 'Conclude')}
          </Button>
        </Form>
      </FormCard>
      <FormCard id="transfer-title" title={t('转办', 'Hand over')}>
        <Form form={transfer.form} name="transfer" layout="vertical" onFinish={(v) => void transfer.run(api.POST('/api/v1/reports/{reportId}/transfers', { params: { path }, body: v as Schemas['ReportTransfer'] }))}>
          <Form.Item label={t('应适用的标准（维度）', 'The standard it concerns')} name="dimension" rules={[{ required: true }]}>
            <Select options={Object.keys(DIMENSION_NAMES_ZH).map((d) => ({ value: d, label: dimensionName(d, lang) }))} />
          </Form.Item>
          <Form.Item label={t('转办理由', 'Reason')} name="reason" rules={[{ required: true }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          {transfer.alert}
          <Button htmlType="submit" loading={transfer.busy}>
            {t('转办', 'Hand over')}
          </Button>
        </Form>
      </FormCard>
    </>
  );
}
