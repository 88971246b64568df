import { Alert, Flex, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, Navigate } from 'react-router-dom';
import { useSession } from '../components/useSession';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { useLang, useT } from '../i18n';
import { decisionKindName } from '../labels';

type Decision = Schemas['PendingDecision'];

/** 待办: the decisions the caller may take, soonest due first (the API's order), overdue marked, counted by kind. */
export function InboxPage() {
  const t = useT();
  const { lang } = useLang();
  const [items, setItems] = useState<Decision[]>([]);
  const [total, setTotal] = useState(0);
  const [kind, setKind] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [loading, setLoading] = useState(true);
  const enterprise = useSession()?.principal.role === 'enterprise';

  useEffect(() => {
    if (enterprise) return;
    setLoading(true);
    must(api.GET('/api/v1/decisions', { params: { query: { pageSize: 200 } } }))
      .then((r) => {
        setItems(r.items);
        setTotal(r.total);
      }, (e) => setProblem(asProblem(e)))
      .finally(() => setLoading(false));
  }, [enterprise]);

  const counts = useMemo(() => {
    const byKind = new Map<string, number>();
    for (const d of items) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
    return [...byKind];
  }, [items]);
  const shown = kind ? items.filter((d) => d.kind === kind) : items;
  const overdue = items.filter((d) => d.overdue).length;
  // An enterprise decides nothing: its landing page is its own cases.
  if (enterprise) return <Navigate to="/console/cases" replace />;

  return (
    <section aria-labelledby="inbox-title">
      <Typography.Title level={2} id="inbox-title" style={{ fontSize: 20 }}>
        {t('待办事项', 'To do')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} style={{ marginBottom: 12 }} />}
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} role="status" aria-label={t('待办统计', 'Counts')}>
        <Tag color="blue">{t('共', 'Total')} {total}</Tag>
        {overdue > 0 && <Tag color="red">{t('已逾期', 'Overdue')} {overdue}</Tag>}
        {counts.map(([k, n]) => (
          <Tag key={k}>
            {decisionKindName(k, lang)} {n}
          </Tag>
        ))}
        <Select
          aria-label={t('按类型筛选', 'Filter by kind')}
          allowClear
          placeholder={t('全部类型', 'All kinds')}
          style={{ minWidth: 160 }}
          value={kind}
          onChange={setKind}
          options={counts.map(([k]) => ({ value: k, label: decisionKindName(k, lang) }))}
        />
      </Flex>
      <Table<Decision>
        size="small"
        loading={loading}
        rowKey="decisionId"
        scroll={{ x: 'max-content' }}
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { key: 'kind', title: t('事项', 'Decision'), render: (_, d) => decisionKindName(d.kind, lang) },
          { key: 'enterprise', title: t('企业', 'Enterprise'), dataIndex: 'enterpriseName' },
          { key: 'case', title: t('案号', 'Case'), render: (_, d) => d.caseNumber ?? '—' },
          { key: 'region', title: t('地区', 'Region'), dataIndex: 'regionCode' },
          {
            key: 'due',
            title: t('办理期限', 'Due'),
            render: (_, d) => (
              <span>
                {d.dueDate} {d.overdue && <Tag color="red">{t('已逾期', 'overdue')}</Tag>}
              </span>
            ),
          },
          {
            key: 'open',
            title: t('操作', 'Action'),
            render: (_, d) =>
              d.caseId ? (
                <Link to={`/console/cases/${encodeURIComponent(d.caseId)}`} aria-label={`${t('办理', 'Open')} ${d.enterpriseName} ${decisionKindName(d.kind, lang)}`}>
                  {t('办理', 'Open')}
                </Link>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </section>
  );
}
