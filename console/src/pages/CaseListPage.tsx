import { Button, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { DIMENSION_NAMES_ZH, INDUSTRY_NAMES_ZH } from '../../../domain/model';
import { STAGES } from '../../../domain/stages';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { useLang, useT } from '../i18n';
import { dimensionName, industryName, stageName } from '../labels';
import { FilterBar, ProblemAlert, YesNoFilter } from '../components/ListFilters';
import { useSession } from '../components/useSession';

type Summary = Schemas['CaseSummary'];
type Query = NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>;
interface Filters {
  region?: string;
  industry?: Query['industry'];
  dimension?: Query['dimension'];
  deadlineBefore?: string;
  stage?: string;
  overdue?: 'true' | 'false';
  q?: string;
}
const PAGE_SIZE = 20;

/** The filters as the API reads them: those left empty are not sent. */
const asQuery = (filters: Filters) => Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as Filters;

/**
 * Download the filtered list as the API exports it (every case, not one page): an authenticated
 * fetch whose answer is handed to the browser as a file, so the token is never put in a URL.
 */
async function download(query: Query, format: 'csv' | 'xlsx'): Promise<Problem | undefined> {
  const { data, error } = await api.GET('/api/v1/cases', { params: { query: { ...query, format } }, parseAs: 'blob' });
  if (error !== undefined || !data) return asProblem(error);
  const url = URL.createObjectURL(data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `案件清单-${new Date().toISOString().slice(0, 10)}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return undefined;
}

/** 案件: the cases the caller may see, filtered as the API filters them, newest first or by deadline. */
export function CaseListPage() {
  const t = useT();
  const { lang } = useLang();
  const [filters, setFilters] = useState<Filters>({});
  const [sort, setSort] = useState<'deadline' | '-openedAt'>('-openedAt');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Schemas['CasePage']>();
  const [problem, setProblem] = useState<Problem>();
  const [exporting, setExporting] = useState<'csv' | 'xlsx'>();
  const session = useSession();
  const navigate = useNavigate();

  useEffect(() => {
    setProblem(undefined);
    must(api.GET('/api/v1/cases', { params: { query: { ...asQuery(filters), sort, page, pageSize: PAGE_SIZE } } })).then(
      (d) => setData(d as Schemas['CasePage']),
      (e) => setProblem(asProblem(e)),
    );
  }, [filters, sort, page]);

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    setProblem(await download({ ...asQuery(filters), sort }, format));
    setExporting(undefined);
  };

  return (
    <section aria-labelledby="cases-title">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} id="cases-title" style={{ fontSize: 20 }}>
          {t('案件', 'Cases')}
        </Typography.Title>
        {/* Only enforcement officials open cases (domain/roles.ts mayOpenCase). */}
        {session?.principal.role === 'enforcement_official' && (
          <Button type="primary" onClick={() => navigate('/console/cases/new')}>
            {t('立案', 'Open a case')}
          </Button>
        )}
      </Flex>
      <FilterBar<Filters>
        onSearch={(v) => {
          setPage(1);
          setFilters(v);
        }}
      >
        <Form.Item label={t('地区代码', 'Region')} name="region">
          <Input inputMode="numeric" maxLength={6} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item label={t('行业', 'Industry')} name="industry">
          <Select allowClear style={{ width: 140 }} options={Object.keys(INDUSTRY_NAMES_ZH).map((i) => ({ value: i, label: industryName(i, lang) }))} />
        </Form.Item>
        <Form.Item label={t('维度', 'Dimension')} name="dimension">
          <Select allowClear style={{ width: 110 }} options={Object.keys(DIMENSION_NAMES_ZH).map((d) => ({ value: d, label: dimensionName(d, lang) }))} />
        </Form.Item>
        <Form.Item label={t('期限不晚于', 'Deadline by')} name="deadlineBefore">
          <Input type="date" style={{ width: 150 }} />
        </Form.Item>
        <Form.Item label={t('阶段', 'Stage')} name="stage">
          <Select allowClear style={{ width: 160 }} options={STAGES.map((s) => ({ value: s, label: stageName(s, lang) }))} />
        </Form.Item>
        <YesNoFilter label={t('逾期', 'Overdue')} name="overdue" />
        <Form.Item label={t('企业名称', 'Name')} name="q">
          <Input style={{ width: 160 }} />
        </Form.Item>
      </FilterBar>
      <Flex gap={8} wrap justify="end" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('按当前筛选条件导出全部案件：', 'Export every case of the filtered list:')}</Typography.Text>
        <Button onClick={() => void exportAs('csv')} loading={exporting === 'csv'}>
          {t('导出 CSV', 'Export CSV')}
        </Button>
        <Button onClick={() => void exportAs('xlsx')} loading={exporting === 'xlsx'}>
          {t('导出 Excel', 'Export Excel')}
        </Button>
      </Flex>
      {problem && <ProblemAlert problem={problem} />}
      <Table<Summary>
        size="small"
        rowKey="caseId"
        scroll={{ x: 'max-content' }}
        dataSource={data?.items ?? []}
        loading={!data && !problem}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(s?.order ? 'deadline' : '-openedAt');
        }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'case', title: t('案号', 'Case'), render: (_, c) => <Link to={`/console/cases/${encodeURIComponent(c.caseId)}`}>{c.caseNumber}</Link> },
          { key: 'enterprise', title: t('企业', 'Enterprise'), dataIndex: 'enterpriseName' },
          { key: 'region', title: t('地区', 'Region'), dataIndex: 'regionCode' },
          { key: 'stage', title: t('阶段', 'Stage'), render: (_, c) => <Tag>{stageName(c.stage, lang)}</Tag> },
          {
            key: 'deadline',
            title: t('期限', 'Deadline'),
            sorter: true,
            render: (_, c) => (
              <span>
                {c.deadline ?? '—'} {c.overdue && <Tag color="red">{t('已逾期', 'overdue')}</Tag>}
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
