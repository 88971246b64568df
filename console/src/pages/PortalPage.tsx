import { Alert, Button, Card, Flex, Form, Input, InputNumber, Layout, Table, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { PortalHeader } from '../components/PortalHeader';
import { useLang, useT } from '../i18n';
import { LIST_KINDS } from '../labels';

type Kind = (typeof LIST_KINDS)[number]['kind'];
type Published = Schemas['PublishedList'];
interface Query {
  region: string;
  year?: number;
}

const PAGE_SIZE = 20;

/** 公示: the published lists of a region and year, page by page, with their CSV download and editions. */
export function PortalPage() {
  const t = useT();
  const [query, setQuery] = useState<Query>(() => {
    const params = new URLSearchParams(window.location.search);
    const year = Number(params.get('year'));
    return { region: params.get('region') ?? '410000', ...(year ? { year } : {}) };
  });
  const [kind, setKind] = useState<Kind>('yellow');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <PortalHeader />
      <Layout.Content style={{ padding: 16, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <main>
          <RegionYearForm value={query} onChange={setQuery} />
          <Tabs
            activeKey={kind}
            onChange={(k) => setKind(k as Kind)}
            items={LIST_KINDS.map((l) => ({ key: l.kind, label: t(l.zh, l.en), children: kind === l.kind ? <PublishedListView kind={l.kind} query={query} /> : null }))}
          />
        </main>
      </Layout.Content>
    </Layout>
  );
}

function RegionYearForm({ value, onChange }: { value: Query; onChange(q: Query): void }) {
  const t = useT();
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Form
        layout="inline"
        initialValues={value}
        onFinish={(v: { region: string; year?: number | null }) => onChange({ region: v.region.trim(), ...(v.year ? { year: v.year } : {}) })}
        style={{ rowGap: 8 }}
      >
        <Form.Item label={t('地区（行政区划代码）', 'Region (division code)')} name="region" rules={[{ required: true, pattern: /^\d{6}$/, message: t('请输入6位行政区划代码，如 410000（河南省）', 'A 6-digit division code, e.g. 410000') }]}>
          <Input inputMode="numeric" maxLength={6} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item label={t('年度', 'Year')} name="year">
          <InputNumber min={2000} max={2100} placeholder={t('全部', 'any')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('查询', 'Show')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function csvHref(kind: Kind, query: Query): string {
  const params = new URLSearchParams({ region: query.region, format: 'csv', ...(query.year ? { year: String(query.year) } : {}) });
  return `/api/v1/public/lists/${kind}?${params.toString()}`;
}

function PublishedListView({ kind, query }: { kind: Kind; query: Query }) {
  const t = useT();
  const { lang } = useLang();
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Published>();
  const [problem, setProblem] = useState<Problem>();
  const [loading, setLoading] = useState(false);

  useEffect(() => setPage(1), [kind, query]);
  useEffect(() => {
    setLoading(true);
    setProblem(undefined);
    must(api.GET('/api/v1/public/lists/{kind}', { params: { path: { kind }, query: { ...query, page, pageSize: PAGE_SIZE } } }))
      .then((r) => setList(typeof r === 'string' ? undefined : r), (e) => {
        setList(undefined);
        setProblem(asProblem(e));
      })
      .finally(() => setLoading(false));
  }, [kind, query, page]);

  if (problem) return <Alert type={problem.status === 404 ? 'info' : 'error'} showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} />;
  return (
    <section aria-label={t('公示名单', 'Published list')}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Typography.Text>
          {list ? `${list.regionName}${list.year ? ` · ${list.year}${t('年', '')}` : ''} · ${t('共', 'total')} ${list.total} ${t('条', 'rows')}` : ''}
          {list?.publishedAt ? ` · ${t('公示日期', 'published')} ${list.publishedAt.slice(0, 10)}` : ''}
        </Typography.Text>
        <a href={csvHref(kind, query)} download>
          {t('下载 CSV', 'Download CSV')}
        </a>
      </Flex>
      <Table<Record<string, string>>
        size="small"
        loading={loading}
        scroll={{ x: 'max-content' }}
        rowKey="rowKey"
        columns={(list?.columns ?? []).map((c) => ({ key: c.key, dataIndex: c.key, title: lang === 'zh' ? c.zh : c.key }))}
        // A list's rows carry no id of their own (one enterprise may be listed twice): keyed by position on the page.
        dataSource={(list?.rows ?? []).map((r, i) => ({ ...r, rowKey: `${page}-${i}` }))}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      />
      <Editions kind={kind} query={query} />
    </section>
  );
}

/** 历次公示: the kept editions of the list, each downloadable as it was published. */
function Editions({ kind, query }: { kind: Kind; query: Query }) {
  const t = useT();
  const [items, setItems] = useState<Schemas['ListEditionSummary'][]>([]);
  useEffect(() => {
    must(api.GET('/api/v1/public/lists/{kind}/editions', { params: { path: { kind }, query } })).then((r) => setItems(r.items), () => setItems([]));
  }, [kind, query]);
  if (!items.length) return null;
  return (
    <Card size="small" title={t('历次公示版本', 'Editions')} style={{ marginTop: 16 }}>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {items.map((e) => (
          <li key={e.editionId}>
            <a href={`/api/v1/public/lists/${kind}/editions/${e.editionId}?format=csv`} download>
              {t('版本', 'Edition')} {e.publishedAt.slice(0, 10)}（{e.rowCount} {t('条', 'rows')}）{e.note ? ` ${e.note}` : ''}
            </a>
          </li>
        ))}
      </ul>
    </Card>
  );
}
