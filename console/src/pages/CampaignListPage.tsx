import { Form, Input, Progress, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { useLang, useT } from '../i18n';
import { campaignStageName } from '../labels';
import { FilterBar, ProblemAlert, YesNoFilter } from '../components/ListFilters';

type Summary = Schemas['CampaignSummary'];
interface Filters {
  year?: string;
  division?: string;
  overdue?: 'true' | 'false';
}
const PAGE_SIZE = 20;

/** 年度工作: the campaigns of the caller's division and those inside it, the wider division first. */
export function CampaignListPage() {
  const t = useT();
  const { lang } = useLang();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Schemas['CampaignList']>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    setProblem(undefined);
    const query = {
      ...(filters.year ? { year: Number(filters.year) } : {}),
      ...(filters.division ? { division: filters.division } : {}),
      ...(filters.overdue ? { overdue: filters.overdue } : {}),
      page,
      pageSize: PAGE_SIZE,
    };
    must(api.GET('/api/v1/campaigns', { params: { query } })).then(setData, (e) => setProblem(asProblem(e)));
  }, [filters, page]);

  return (
    <section aria-labelledby="campaigns-title">
      <Typography.Title level={2} id="campaigns-title" style={{ fontSize: 20 }}>
        {t('年度淘汰落后产能工作', 'Annual campaigns')}
      </Typography.Title>
      <FilterBar<Filters>
        onSearch={(v) => {
          setPage(1);
          setFilters(v);
        }}
      >
        <Form.Item label={t('年度', 'Year')} name="year">
          <Input inputMode="numeric" maxLength={4} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item label={t('地区代码', 'Region')} name="division">
          <Input inputMode="numeric" maxLength={6} style={{ width: 110 }} />
        </Form.Item>
        <YesNoFilter label={t('有逾期节点', 'Lapsed milestones')} name="overdue" />
      </FilterBar>
      {problem && <ProblemAlert problem={problem} />}
      <Table<Summary>
        size="small"
        rowKey="campaignId"
        scroll={{ x: 'max-content' }}
        dataSource={data?.items ?? []}
        loading={!data && !problem}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          {
            key: 'name',
            title: t('地区 · 年度', 'Region · year'),
            render: (_, c) => (
              <Link to={`/console/campaigns/${encodeURIComponent(c.campaignId)}`}>
                {c.divisionName} {c.year}
                {t('年度', '')}
              </Link>
            ),
          },
          { key: 'stage', title: t('阶段', 'Stage'), render: (_, c) => <Tag>{campaignStageName(c.stage, lang)}</Tag> },
          {
            key: 'next',
            title: t('下一节点', 'Next milestone'),
            render: (_, c) =>
              c.next ? (
                <span>
                  {c.next.nameZh}（{c.next.due}）
                </span>
              ) : (
                '—'
              ),
          },
          {
            key: 'milestones',
            title: t('节点完成', 'Milestones done'),
            render: (_, c) => (
              <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
                <Progress
                  percent={c.milestones.total ? Math.round((c.milestones.completed / c.milestones.total) * 100) : 0}
                  size="small"
                  style={{ width: 100, margin: 0 }}
                  aria-label={t('节点完成比例', 'Share of milestones done')}
                />
                {c.milestones.completed}/{c.milestones.total}
                {c.milestones.overdue > 0 && (
                  <Tag color="red">
                    {t('逾期', 'overdue')} {c.milestones.overdue}
                  </Tag>
                )}
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
