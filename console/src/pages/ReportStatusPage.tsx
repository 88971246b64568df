import { Alert, Button, Card, Descriptions, Form, Input, Layout, Typography } from 'antd';
import { useState } from 'react';
import { api, type Schemas } from '../api/client';
import { PortalHeader } from '../components/PortalHeader';
import { useLang, useT } from '../i18n';
import { reportOutcomeName, reportStatusName } from '../labels';

type Status = Schemas['PublicReportStatus'];
interface Lookup {
  trackingNumber: string;
  secret: string;
}

/**
 * 举报查询: the status and reply of a report, by its tracking number and secret. The secret goes in
 * the X-Report-Secret header only, never in the URL, and is kept nowhere but the form.
 */
export function ReportStatusPage() {
  const t = useT();
  const { lang } = useLang();
  const [status, setStatus] = useState<Status>();
  const [failure, setFailure] = useState<'not_found' | 'error'>();
  const [loading, setLoading] = useState(false);

  const lookUp = async ({ trackingNumber, secret }: Lookup) => {
    setStatus(undefined);
    setFailure(undefined);
    setLoading(true);
    try {
      const { data, response } = await api.GET('/api/v1/public/reports/{trackingNumber}', { params: { path: { trackingNumber: trackingNumber.trim() } }, headers: { 'X-Report-Secret': secret.trim() } });
      if (data) setStatus(data);
      // An unknown number, a wrong secret and a malformed one answer alike: nothing tells them apart.
      else setFailure(response.status === 404 || response.status === 422 ? 'not_found' : 'error');
    } catch {
      setFailure('error');
    } finally {
      setLoading(false);
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <PortalHeader />
      <Layout.Content style={{ padding: 16, maxWidth: 800, width: '100%', margin: '0 auto' }}>
          <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('举报办理查询', 'Report status')}</Typography.Title>}>
            <Form<Lookup> layout="vertical" onFinish={(v) => void lookUp(v)} aria-label={t('举报查询表单', 'Status lookup')} autoComplete="off">
              <Form.Item label={t('受理编号', 'Tracking number')} name="trackingNumber" rules={[{ required: true, whitespace: true, message: t('请输入受理编号', 'Enter the tracking number') }]}>
                <Input placeholder="JB-410122-20261130-0001" style={{ maxWidth: 320 }} />
              </Form.Item>
              <Form.Item label={t('查询密码', 'Secret')} name="secret" rules={[{ required: true, whitespace: true, message: t('请输入查询密码', 'Enter the secret') }]}>
                <Input.Password autoComplete="off" style={{ maxWidth: 320 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" disabled={loading}>
                {t('查询', 'Look up')}
              </Button>
            </Form>
          </Card>
          {failure && (
            <Alert
              type={failure === 'not_found' ? 'warning' : 'error'}
              showIcon
              role="alert"
              style={{ marginTop: 16 }}
              title={failure === 'not_found' ? t('未找到该举报：请核对受理编号和查询密码', 'No such report: check the tracking number and the secret') : t('查询失败，请稍后再试', 'The lookup failed; please try again later')}
            />
          )}
          {status && (
            <Card style={{ marginTop: 16 }} aria-label={t('办理情况', 'Status')}>
              <Descriptions column={1} size="small" bordered>
                <Descriptions.Item label={t('受理编号', 'Tracking number')}>{status.trackingNumber}</Descriptions.Item>
                <Descriptions.Item label={t('办理状态', 'Status')}>
                  <span data-testid="report-status">{reportStatusName(status.status, lang)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('受理日期', 'Received on')}>{status.receivedOn}</Descriptions.Item>
                <Descriptions.Item label={t('核查期限', 'Verification due')}>{status.verificationDueDate ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('办理结果', 'Outcome')}>{status.outcome ? reportOutcomeName(status.outcome, lang) : t('办理中', 'in progress')}</Descriptions.Item>
                <Descriptions.Item label={t('答复', 'Reply')}>
                  {status.reply ? <span style={{ whiteSpace: 'pre-wrap' }}>{status.reply}</span> : '—'}
                  {status.repliedOn ? ` （${status.repliedOn}）` : ''}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
      </Layout.Content>
    </Layout>
  );
}
