import { Alert, Button, Card, Checkbox, Descriptions, Flex, Progress, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { fieldMessage } from '../components/problemFields';
import { currentSession } from '../session';
import { useLang, useT } from '../i18n';
import { industryName } from '../labels';

type Result = Schemas['SurveyResult'];
type Job = Schemas['SurveyJob'];
type Failure = NonNullable<Result['failures']>[number];
/** A row error as the table shows it: the API's field error, whose field is `rows.<n>.<key>` (the row's own number in the sheet). */
interface RowError {
  key: string;
  row: number | null;
  field: string;
  column: string;
  rule: string;
  message: string;
  messageZh?: string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPE = 'text/csv';
const typeOf = (file: File) => (/\.csv$/i.test(file.name) ? CSV_TYPE : XLSX_TYPE);

type Answer = { status: 200; body: Result } | { status: 202; body: Job };

/**
 * POST …/surveys with upload progress (fetch reports none, so XMLHttpRequest as for evidence); the
 * path, query and answers are the document's types. A refusal rejects with its problem+json.
 */
function uploadSurvey(campaignId: string, file: File, mode: 'dry-run' | 'commit', inBackground: boolean, onProgress: (percent: number) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/campaigns/${encodeURIComponent(campaignId)}/surveys?${new URLSearchParams({ mode }).toString()}`);
    const token = currentSession()?.token;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', typeOf(file));
    if (inBackground) xhr.setRequestHeader('Prefer', 'respond-async');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText || '{}');
      } catch {
        body = undefined;
      }
      if (xhr.status === 200 || xhr.status === 202) resolve({ status: xhr.status, body } as Answer);
      else reject(body ?? new Error(`HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

function rowErrors(problem: Problem): RowError[] {
  return (problem.errors ?? []).map((e, i) => {
    const m = /^rows\.(\d+)\.(.+)$/.exec(e.field);
    const extra = e as typeof e & { column?: string; row?: number };
    return { key: `${i}`, row: m ? Number(m[1]) : (extra.row ?? null), field: m ? m[2]! : e.field, column: extra.column ?? (m ? m[2]! : e.field), rule: e.rule, message: e.message, messageZh: e.messageZh };
  });
}

/** 摸底排查: download the template, upload the filled sheet, check it (dry run), see each bad row, then commit. */
export function SurveyUploadPage() {
  const { campaignId = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const [file, setFile] = useState<File>();
  const [inBackground, setInBackground] = useState(false);
  const [busy, setBusy] = useState<'dry-run' | 'commit'>();
  const [uploaded, setUploaded] = useState(0);
  const [checked, setChecked] = useState<Result>();
  const [committed, setCommitted] = useState<Result>();
  const [job, setJob] = useState<Job>();
  const [problem, setProblem] = useState<Problem>();
  const [errors, setErrors] = useState<RowError[]>();
  const poll = useRef<number>(undefined);

  useEffect(() => () => window.clearTimeout(poll.current), []);

  const reset = (f?: File) => {
    setFile(f);
    setChecked(undefined);
    setCommitted(undefined);
    setJob(undefined);
    setProblem(undefined);
    setErrors(undefined);
    setUploaded(0);
  };

  const follow = (jobId: string) => {
    must(api.GET('/api/v1/campaigns/{campaignId}/survey-jobs/{jobId}', { params: { path: { campaignId, jobId } } })).then(
      (j) => {
        setJob(j);
        if (j.status === 'running') poll.current = window.setTimeout(() => follow(jobId), 1_000);
      },
      (e) => setProblem(asProblem(e)),
    );
  };

  const run = async (mode: 'dry-run' | 'commit') => {
    if (!file) return;
    setBusy(mode);
    setProblem(undefined);
    setErrors(undefined);
    setUploaded(0);
    try {
      const answer = await uploadSurvey(campaignId, file, mode, mode === 'commit' && inBackground, setUploaded);
      if (answer.status === 202) {
        setJob(answer.body);
        follow(answer.body.jobId);
      } else if (mode === 'dry-run') setChecked(answer.body);
      else setCommitted(answer.body);
    } catch (e) {
      const p = asProblem(e);
      setProblem(p);
      if (p.code === 'survey_rows_invalid' || p.errors?.length) setErrors(rowErrors(p));
      setChecked(undefined);
    } finally {
      setBusy(undefined);
    }
  };

  const download = async (format: 'xlsx' | 'csv') => {
    const { data, error } = await api.GET('/api/v1/campaigns/{campaignId}/survey-template', { params: { path: { campaignId }, query: { format } }, parseAs: 'blob' });
    if (error !== undefined || !data) return setProblem(asProblem(error));
    const url = URL.createObjectURL(data as Blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `survey-${campaignId}.${format}`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const jobDone = job ? job.rows.done + job.rows.failed + job.rows.alreadyPresent : 0;
  return (
    <section aria-labelledby="survey-title">
      <Typography.Title level={2} id="survey-title" style={{ fontSize: 20 }}>
        {t('摸底排查表上传', 'Survey upload')}
      </Typography.Title>
      <Typography.Paragraph>
        <Link to={`/console/campaigns/${encodeURIComponent(campaignId)}`}>{t('返回年度工作', 'Back to the campaign')}</Link>
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 12 }} title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('1. 下载模板', '1. Download the template')}</h3>}>
        <Flex gap={8} wrap>
          <Button onClick={() => void download('xlsx')}>{t('下载 Excel 模板', 'Download the Excel template')}</Button>
          <Button onClick={() => void download('csv')}>{t('下载 CSV 模板', 'Download the CSV template')}</Button>
        </Flex>
      </Card>
      <Card size="small" style={{ marginBottom: 12 }} title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('2. 上传并检查', '2. Upload and check')}</h3>}>
        <section aria-label={t('选择摸底排查表', 'Choose the survey file')}>
          <Upload
            accept=".xlsx,.csv"
            maxCount={1}
            beforeUpload={(f) => {
              reset(f);
              return false;
            }}
            onRemove={() => reset(undefined)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <Button>{t('选择文件（Excel 或 CSV）', 'Choose a file (Excel or CSV)')}</Button>
          </Upload>
        </section>
        <Flex gap={8} wrap align="center" style={{ marginTop: 12 }}>
          <Button type="primary" disabled={!file} loading={busy === 'dry-run'} onClick={() => void run('dry-run')}>
            {t('检查（试运行，不保存）', 'Check (dry run, nothing stored)')}
          </Button>
          {busy && <Progress percent={uploaded} size="small" style={{ width: 160, margin: 0 }} aria-label={t('上传进度', 'Upload progress')} />}
        </Flex>
        {problem && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={lang === 'zh' ? problem.titleZh : problem.title}
            description={errors?.length ? t(`共 ${errors.length} 处错误，未保存任何数据。请修改后重新上传。`, `${errors.length} error(s); nothing was stored. Correct the file and upload it again.`) : problem.detail}
          />
        )}
        {errors && errors.length > 0 && (
          <Table<RowError>
            data-testid="survey-errors"
            style={{ marginTop: 12 }}
            size="small"
            rowKey="key"
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={errors}
            aria-label={t('错误行', 'Rows with errors')}
            columns={[
              { key: 'row', title: t('行号', 'Row'), render: (_, e) => e.row ?? '—' },
              { key: 'column', title: t('列', 'Column'), render: (_, e) => e.column },
              { key: 'rule', title: t('规则', 'Rule'), render: (_, e) => <Typography.Text code>{e.rule}</Typography.Text> },
              { key: 'message', title: t('说明', 'Message'), render: (_, e) => fieldMessage(e, lang) },
            ]}
          />
        )}
        {checked && <SurveySummary result={checked} />}
      </Card>
      {checked && (
        <Card size="small" style={{ marginBottom: 12 }} title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('3. 确认导入', '3. Commit')}</h3>}>
          <Typography.Paragraph>{t('检查通过。导入将登记企业、立案并生成年度淘汰目标；同一文件重复导入不会重复立案。', 'The check passed. Committing registers the enterprises, opens the cases and writes the target list; the same file again opens nothing new.')}</Typography.Paragraph>
          <Flex gap={12} wrap align="center">
            <Checkbox checked={inBackground} onChange={(e) => setInBackground(e.target.checked)}>
              {t('后台导入（适合大文件，可查看进度）', 'In the background (large files; shows progress)')}
            </Checkbox>
            <Button type="primary" disabled={Boolean(committed || job)} loading={busy === 'commit'} onClick={() => void run('commit')}>
              {t('确认导入', 'Commit')}
            </Button>
          </Flex>
        </Card>
      )}
      {committed && (
        <Card size="small" style={{ marginBottom: 12 }} title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('导入结果', 'Committed')}</h3>}>
          <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} data-testid="survey-committed">
            <Descriptions.Item label={t('已导入行', 'Rows done')}>{committed.done ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('立案', 'Cases opened')}>{committed.casesOpened ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('已存在', 'Already present')}>{committed.alreadyPresent ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('失败', 'Failed')}>{committed.failed ?? 0}</Descriptions.Item>
          </Descriptions>
          <Failures failures={committed.failures ?? []} />
        </Card>
      )}
      {job && (
        <Card size="small" style={{ marginBottom: 12 }} title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('后台导入任务', 'Background import')}</h3>}>
          <Flex gap={12} wrap align="center" role="status">
            <Tag color={job.status === 'completed' ? 'green' : job.status === 'failed' ? 'red' : 'blue'}>
              {job.status === 'running' ? t('导入中', 'Running') : job.status === 'completed' ? t('已完成', 'Completed') : t('失败', 'Failed')}
            </Tag>
            <Progress percent={job.rows.total ? Math.round((jobDone / job.rows.total) * 100) : 0} size="small" style={{ width: 200, margin: 0 }} aria-label={t('导入进度', 'Import progress')} />
            <span>
              {t(`已处理 ${jobDone} / ${job.rows.total ?? '?'} 行，立案 ${job.casesOpened} 件，失败 ${job.rows.failed} 行`, `${jobDone} of ${job.rows.total ?? '?'} rows, ${job.casesOpened} cases opened, ${job.rows.failed} failed`)}
            </span>
          </Flex>
          {job.error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={lang === 'zh' ? job.error.messageZh : job.error.message} />}
          <Failures failures={job.failures} />
        </Card>
      )}
    </section>
  );
}

function SurveySummary({ result }: { result: Result }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <div style={{ marginTop: 12 }} data-testid="survey-summary">
      <Alert type="success" showIcon title={t('检查通过，未发现错误', 'No errors found')} style={{ marginBottom: 12 }} />
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label={t('行数', 'Rows')}>{result.rows}</Descriptions.Item>
        <Descriptions.Item label={t('企业', 'Enterprises')}>{result.enterprises}</Descriptions.Item>
        <Descriptions.Item label={t('案件', 'Cases')}>{result.cases}</Descriptions.Item>
        <Descriptions.Item label={t('当年退出', 'Exits this year')}>{result.exits}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey={(l) => `${l.industry}/${l.unit}`}
        dataSource={result.targets}
        aria-label={t('淘汰目标', 'Targets')}
        columns={[
          { key: 'industry', title: t('行业', 'Industry'), render: (_, l) => industryName(l.industry, lang) },
          { key: 'capacity', title: t('目标产能', 'Capacity'), render: (_, l) => `${l.capacity} ${l.unit}` },
          { key: 'enterprises', title: t('企业', 'Enterprises'), dataIndex: 'enterprises' },
          { key: 'facilities', title: t('设备/生产线', 'Facilities'), dataIndex: 'facilities' },
        ]}
      />
    </div>
  );
}

function Failures({ failures }: { failures: Failure[] }) {
  const t = useT();
  const { lang } = useLang();
  if (!failures.length) return null;
  return (
    <Table<Failure>
      style={{ marginTop: 12 }}
      size="small"
      rowKey={(f) => `${f.row}/${f.field}/${f.rule}`}
      scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      dataSource={failures}
      aria-label={t('失败的行', 'Failed rows')}
      columns={[
        { key: 'row', title: t('行号', 'Row'), dataIndex: 'row' },
        { key: 'column', title: t('列', 'Column'), dataIndex: 'column' },
        { key: 'rule', title: t('规则', 'Rule'), render: (_, f) => <Typography.Text code>{f.rule}</Typography.Text> },
        { key: 'message', title: t('说明', 'Message'), render: (_, f) => (lang === 'zh' ? (f.messageZh ?? f.message) : f.message) },
      ]}
    />
  );
}
