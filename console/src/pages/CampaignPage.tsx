import { Alert, Button, Card, Checkbox, Descriptions, Flex, Form, Input, Modal, Radio, Spin, Table, Tag, Timeline, Typography, App } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { covers } from '../../../domain/jurisdiction';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import type { ChartOption } from '../components/ChartView';
import { showFieldErrors } from '../components/problemFields';
import { ConcealedCapacity, SupervisionActions } from '../components/SupervisionActions';
import { useSession } from '../components/useSession';
import { useLang, useT } from '../i18n';
import { campaignReportStatusName, campaignStageName, industryName, milestoneStatusName, supervisionReasonName, supervisionStatusName } from '../labels';
import { DialogButtons, FormProblemAlert, type FormProblem } from '../components/FormParts';

const ChartView = lazy(() => import('../components/ChartView'));

type Campaign = Schemas['Campaign'];
type Milestone = Schemas['CampaignMilestone'];
type Progress = Schemas['CampaignProgress'];
type Line = Schemas['ProgressLine'];
type Reason = Schemas['LagReason'];
type Report = Schemas['CampaignReport'];
type Item = Schemas['SupervisionItemSummary'];
type Lang = 'zh' | 'en';

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);
const lineName = (l: { industry: string; unit: string }, lang: Lang) => `${industryName(l.industry, lang)}（${l.unit}）`;

export function reasonText(r: Reason, lang: Lang): string {
  if (r.kind === 'pace') return lang === 'zh' ? `${lineName(r, lang)}完成 ${pct(r.share)}，低于进度要求 ${pct(r.laggingBelow)}` : `${lineName(r, lang)} at ${pct(r.share)}, below the pace of ${pct(r.laggingBelow)}`;
  if (r.kind === 'overdue') return lang === 'zh' ? `${r.cases} 件案件逾期` : `${r.cases} case(s) overdue`;
  return lang === 'zh' ? `节点逾期：${r.milestones.join('、')}` : `Milestones lapsed: ${r.milestones.join(', ')}`;
}

/** 年度工作: milestones, progress against the targets (charts and their figures), lagging regions, supervision, reports upward. */
export function CampaignPage() {
  const { campaignId = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const [campaign, setCampaign] = useState<Campaign>();
  const [progress, setProgress] = useState<Progress>();
  const [reports, setReports] = useState<Report[]>();
  const [items, setItems] = useState<Item[]>();
  const [problem, setProblem] = useState<Problem>();

  /** Items of the division and inside it, of the campaign's year; with `expect`, until that item is listed (its workflow records it a moment after it opens). */
  const loadItems = useCallback((c: Campaign, expect?: string, tries = 10) => {
    must(api.GET('/api/v1/supervision-items', { params: { query: { region: c.division, pageSize: 200 } } })).then(
      (p) => {
        const mine = p.items.filter((i) => i.year === c.year);
        setItems(mine);
        if (expect && tries > 1 && !mine.some((i) => i.itemId === expect)) setTimeout(() => loadItems(c, expect, tries - 1), 1000);
      },
      () => setItems([]),
    );
  }, []);
  const load = useCallback(() => {
    setProblem(undefined);
    const fail = (e: unknown) => setProblem(asProblem(e));
    const path = { campaignId };
    must(api.GET('/api/v1/campaigns/{campaignId}', { params: { path } })).then((c) => {
      setCampaign(c);
      loadItems(c);
    }, fail);
    must(api.GET('/api/v1/campaigns/{campaignId}/progress', { params: { path } })).then((p) => setProgress(p as Progress), fail);
    must(api.GET('/api/v1/campaigns/{campaignId}/reports', { params: { path } })).then((r) => setReports(r.reports), fail);
  }, [campaignId, loadItems]);
  useEffect(load, [load]);

  const title = progress ? `${progress.name} ${progress.year}${t('年度淘汰落后产能工作', ' campaign')}` : campaignId;
  return (
    <section aria-labelledby="campaign-title">
      <Typography.Title level={2} id="campaign-title" style={{ fontSize: 20 }}>
        {title}
      </Typography.Title>
      {problem && <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} style={{ marginBottom: 12 }} />}
      {!campaign && !problem && <Spin />}
      {campaign && <Overview campaign={campaign} />}
      {campaign && <Milestones milestones={campaign.milestones} />}
      {progress && <ProgressSection progress={progress} />}
      {campaign && <Supervision campaign={campaign} items={items} onChange={(expect) => loadItems(campaign, expect)} />}
      {campaign && reports && <Reports campaign={campaign} reports={reports} onChange={(r) => setReports((rs) => rs?.map((x) => (x.reportId === r.reportId ? r : x)))} />}
    </section>
  );
}

function Overview({ campaign }: { campaign: Campaign }) {
  const t = useT();
  const { lang } = useLang();
  const session = useSession();
  const p = session?.principal;
  const mayUpload = p?.role === 'coordination_office' && p.jurisdiction !== undefined && covers(p.jurisdiction, campaign.division);
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
        <Descriptions.Item label={t('阶段', 'Stage')}>
          <Tag data-testid="campaign-stage">{campaignStageName(campaign.stage, lang)}</Tag>
          {campaign.overdue && <Tag color="red">{t('有逾期节点', 'Milestone lapsed')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('下一节点', 'Next milestone')}>{campaign.next ? `${campaign.next.nameZh}（${campaign.next.due}）` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('适用政策', 'Policy')}>{campaign.policy.version}</Descriptions.Item>
      </Descriptions>
      <Flex gap={12} wrap>
        {mayUpload && <Link to={`/console/campaigns/${encodeURIComponent(campaign.campaignId)}/survey`}>{t('上传摸底排查表', 'Upload the survey')}</Link>}
        {p?.role === 'operator' && (
          <a href={campaign.links.temporalUi} target="_blank" rel="noreferrer">
            {t('在 Temporal UI 中查看工作流', 'Open the workflow in Temporal UI')}
          </a>
        )}
      </Flex>
    </Card>
  );
}

function Milestones({ milestones }: { milestones: Milestone[] }) {
  const t = useT();
  const { lang } = useLang();
  const items = milestones.map((m) => {
    const late = m.status === 'completed' && m.lapsedOn !== null;
    const color = m.status === 'overdue' ? 'red' : late ? 'orange' : m.status === 'completed' ? 'green' : 'gray';
    return {
      color,
      content: (
        <div>
          <Typography.Text strong>{m.nameZh}</Typography.Text> <Tag color={m.status === 'overdue' ? 'red' : m.status === 'completed' ? 'green' : undefined}>{milestoneStatusName(m.status, lang)}</Tag>
          {late && <Tag color="orange">{t('逾期完成', 'completed late')}</Tag>}
          <div>
            {t('期限', 'Due')} {m.due}
            {m.rolledFrom && <Typography.Text type="secondary">{t(`（原定 ${m.rolledFrom}，遇节假日顺延）`, ` (planned ${m.rolledFrom}, rolled forward off a rest day)`)}</Typography.Text>}
            {m.completedOn && ` · ${t('完成于', 'done on')} ${m.completedOn}${m.completedBy ? ` · ${m.completedBy.name}` : ''}`}
            {m.status === 'overdue' && m.lapsedOn && ` · ${t('逾期于', 'lapsed on')} ${m.lapsedOn}`}
          </div>
          {m.report && <Typography.Text type="secondary">{t(`报送：${m.report.to}`, `To: ${m.report.to}`)}</Typography.Text>}
          {m.note && <div>{m.note}</div>}
        </div>
      ),
    };
  });
  return (
    <Card size="small" title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('工作节点', 'Milestones')}</h3>} style={{ marginBottom: 12 }}>
      <Timeline items={items} />
    </Card>
  );
}

/** A chart and, on request, the same figures as a table (a chart alone says nothing to a screen reader). */
function ChartWithTable<R extends object>({ id, title, label, option, rows, columns, rowKey }: { id: string; title: string; label: string; option: ChartOption; rows: R[]; columns: { key: string; title: string; render: (r: R) => React.ReactNode }[]; rowKey: (r: R) => string }) {
  const t = useT();
  const [table, setTable] = useState(false);
  return (
    <section aria-labelledby={`${id}-title`} style={{ marginBottom: 16 }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <h4 id={`${id}-title`} style={{ margin: 0, fontSize: 15 }}>
          {title}
        </h4>
        <Button size="small" aria-expanded={table} aria-controls={`${id}-table`} onClick={() => setTable((v) => !v)}>
          {table ? t('隐藏数据表', 'Hide the data table') : t('显示数据表', 'Show the data table')}
        </Button>
      </Flex>
      <Suspense fallback={<Spin />}>
        <ChartView option={option} label={label} testId={`${id}-chart`} />
      </Suspense>
      <div id={`${id}-table`} hidden={!table}>
        {table && (
          <Table<R>
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            rowKey={rowKey}
            dataSource={rows}
            aria-label={title}
            columns={columns.map((c) => ({ key: c.key, title: c.title, render: (_: unknown, r: R) => c.render(r) }))}
          />
        )}
      </div>
    </section>
  );
}

function ProgressSection({ progress }: { progress: Progress }) {
  const t = useT();
  const { lang } = useLang();
  const fig = (n: number | undefined) => (n === undefined ? '—' : String(Math.round(n * 100) / 100));

  const industryOption = useMemo<ChartOption>(() => {
    const names = progress.totals.map((l) => lineName(l, lang));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0 } },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: t('目标产能', 'Target'), data: progress.totals.map((l) => l.target?.capacity ?? null) },
        { type: 'bar', name: t('已退出产能', 'Exited'), data: progress.totals.map((l) => l.retired.capacity) },
      ],
      animation: false,
    };
  }, [progress, lang, t]);

  const subdivisions = progress.subdivisions.filter((s) => s.lines.some((l) => l.target));
  const lines = useMemo(() => {
    const keys = new Map<string, { industry: string; unit: string }>();
    for (const s of subdivisions) for (const l of s.lines) if (l.target) keys.set(`${l.industry}/${l.unit}`, l);
    return [...keys.values()];
  }, [subdivisions]);
  const regionOption = useMemo<ChartOption>(() => {
    const shareOf = (lines: Line[], k: { industry: string; unit: string }) => {
      const l = lines.find((x) => x.industry === k.industry && x.unit === k.unit);
      return l?.share === null || l?.share === undefined ? null : Math.round(l.share * 1000) / 10;
    };
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)}%` },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: subdivisions.map((s) => s.name), axisLabel: { interval: 0, rotate: subdivisions.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: lines.map((k, i) => ({
        type: 'bar' as const,
        name: lineName(k, lang),
        data: subdivisions.map((s) => shareOf(s.lines, k)),
        ...(i === 0
          ? { markLine: { symbol: 'none', label: { position: 'insideEndTop' as const, formatter: t(`进度要求 ${pct(progress.pace.laggingBelow)}`, `Pace ${pct(progress.pace.laggingBelow)}`) }, lineStyle: { color: '#cf1322', type: 'dashed' as const }, data: [{ yAxis: Math.round(progress.pace.laggingBelow * 1000) / 10 }] } }
          : {}),
      })),
      animation: false,
    };
  }, [subdivisions, lines, progress.pace.laggingBelow, lang, t]);

  type SubRow = { key: string; name: string; line: Line; lagging: boolean };
  const subRows: SubRow[] = subdivisions.flatMap((s) => s.lines.filter((l) => l.target).map((l) => ({ key: `${s.division}/${l.industry}/${l.unit}`, name: s.name, line: l, lagging: s.lagging })));

  return (
    <Card size="small" title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('目标完成进度', 'Progress against the targets')}</h3>} style={{ marginBottom: 12 }}>
      <Typography.Paragraph type="secondary">
        {t(
          `统计截止 ${progress.asOf}；退出期限 ${progress.pace.from} 至 ${progress.pace.by}，应完成 ${pct(progress.pace.expectedShare)}，低于 ${pct(progress.pace.laggingBelow)} 为进展缓慢；未结案件 ${progress.cases.open} 件，逾期 ${progress.cases.overdue} 件。`,
          `As of ${progress.asOf}; exit window ${progress.pace.from} to ${progress.pace.by}, ${pct(progress.pace.expectedShare)} elapsed, lagging below ${pct(progress.pace.laggingBelow)}; ${progress.cases.open} open cases, ${progress.cases.overdue} overdue.`,
        )}
      </Typography.Paragraph>
      <ChartWithTable<Line>
        id="progress-industry"
        title={t('分行业：目标与已退出产能', 'By industry: target and exited capacity')}
        label={t('分行业目标与已退出产能柱状图，数据见数据表', 'Bar chart of target and exited capacity by industry; figures in the data table')}
        option={industryOption}
        rows={progress.totals}
        rowKey={(l) => `${l.industry}/${l.unit}`}
        columns={[
          { key: 'line', title: t('行业（单位）', 'Industry (unit)'), render: (l) => lineName(l, lang) },
          { key: 'target', title: t('目标产能', 'Target'), render: (l) => fig(l.target?.capacity) },
          { key: 'retired', title: t('已退出产能', 'Exited'), render: (l) => fig(l.retired.capacity) },
          { key: 'how', title: t('其中拆除 / 封存 / 应急备用', 'Dismantled / sealed / backup'), render: (l) => `${fig(l.retired.byHow.dismantled)} / ${fig(l.retired.byHow.sealed)} / ${fig(l.retired.byHow.emergency_backup)}` },
          { key: 'remaining', title: t('剩余产能', 'Remaining'), render: (l) => fig(l.remaining?.capacity) },
          { key: 'share', title: t('完成比例', 'Share done'), render: (l) => pct(l.share) },
        ]}
      />
      <ChartWithTable<SubRow>
        id="progress-region"
        title={t('分地区：完成比例', 'By region: share done')}
        label={t('分地区完成比例柱状图，虚线为进度要求，数据见数据表', 'Bar chart of the share done by region, the dashed line the pace; figures in the data table')}
        option={regionOption}
        rows={subRows}
        rowKey={(r) => r.key}
        columns={[
          { key: 'region', title: t('地区', 'Region'), render: (r) => r.name },
          { key: 'line', title: t('行业（单位）', 'Industry (unit)'), render: (r) => lineName(r.line, lang) },
          { key: 'target', title: t('目标产能', 'Target'), render: (r) => fig(r.line.target?.capacity) },
          { key: 'retired', title: t('已退出产能', 'Exited'), render: (r) => fig(r.line.retired.capacity) },
          { key: 'share', title: t('完成比例', 'Share done'), render: (r) => pct(r.line.share) },
          { key: 'lagging', title: t('进展较慢', 'Lagging'), render: (r) => (r.lagging ? <Tag color="red">{t('是', 'yes')}</Tag> : t('否', 'no')) },
        ]}
      />
      <section aria-labelledby="lagging-title">
        <h4 id="lagging-title" style={{ fontSize: 15 }}>
          {t('进展缓慢地区', 'Lagging regions')}
        </h4>
        {progress.lagging.length === 0 ? (
          <Typography.Text type="secondary">{t('无', 'None')}</Typography.Text>
        ) : (
          <ul data-testid="lagging-regions" style={{ paddingLeft: 0, listStyle: 'none', margin: 0 }}>
            {progress.lagging.map((l) => (
              <li key={l.division} style={{ padding: '4px 0' }}>
                <Tag color="red">{l.name}</Tag> {l.reasons.map((r) => reasonText(r, lang)).join('；')}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}

function Supervision({ campaign, items, onChange }: { campaign: Campaign; items: Item[] | undefined; onChange(expect?: string): void }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Card
      size="small"
      title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('督办事项（通报、约谈）', 'Supervision (notices, summons)')}</h3>}
      extra={<ConcealedCapacity campaignId={campaign.campaignId} division={campaign.division} onDone={onChange} />}
      style={{ marginBottom: 12 }}
    >
      <Table<Item>
        size="small"
        rowKey="itemId"
        loading={items === undefined}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        dataSource={items ?? []}
        locale={{ emptyText: t('无督办事项', 'No supervision items') }}
        expandable={{ expandedRowRender: (i) => <SupervisionDetail itemId={i.itemId} onChange={() => onChange()} />, expandRowByClick: false, columnTitle: t('详情', 'Details') }}
        columns={[
          { key: 'region', title: t('地区', 'Region'), dataIndex: 'regionName' },
          {
            key: 'reason',
            title: t('督办原因', 'Reason'),
            render: (_, i) => `${supervisionReasonName(String(i.reason.kind), lang)}${typeof i.reason.nameZh === 'string' ? `：${i.reason.nameZh}` : ''}`,
          },
          {
            key: 'status',
            title: t('状态', 'Status'),
            render: (_, i) => (
              <span>
                <Tag color={i.status === 'closed' ? 'green' : 'blue'}>{supervisionStatusName(i.status, lang)}</Tag>
                {i.overdue && <Tag color="red">{t('整改逾期', 'overdue')}</Tag>}
              </span>
            ),
          },
          { key: 'followUpBy', title: t('整改期限', 'Follow-up by'), render: (_, i) => i.followUpBy ?? '—' },
          { key: 'openedAt', title: t('立项时间', 'Opened'), render: (_, i) => i.openedAt.slice(0, 10) },
        ]}
      />
    </Card>
  );
}

type Rec = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));

/** One item's notices (通报), summons (约谈) with their follow-up deadlines, follow-ups and closure, read when its row is opened. */
function SupervisionDetail({ itemId, onChange }: { itemId: string; onChange(): void }) {
  const t = useT();
  const [item, setItem] = useState<Schemas['SupervisionItem']>();
  const [problem, setProblem] = useState<Problem>();
  const [version, setVersion] = useState(0);
  const { lang } = useLang();
  useEffect(() => {
    must(api.GET('/api/v1/supervision-items/{itemId}', { params: { path: { itemId } } })).then(setItem, (e) => setProblem(asProblem(e)));
  }, [itemId, version]);
  if (problem) return <Alert type="error" title={lang === 'zh' ? problem.titleZh : problem.title} />;
  if (!item) return <Spin size="small" />;
  const entries = [
    ...(item.notices as Rec[]).map((n) => ({ at: str(n.issuedOn), text: `${t('通报', 'Notice')}：${str(n.text)}${n.publish ? t('（已公开）', ' (published)') : ''}` })),
    ...(item.summons as Rec[]).map((m) => ({
      at: str(m.heldOn),
      text: `${t('约谈', 'Summons')}：${((m.summoned as Rec[] | undefined) ?? []).map((p) => `${str(p.name)}（${str(p.title)}）`).join('、')}${m.minutesRef ? ` · ${str(m.minutesRef)}` : ''} · ${t('整改期限', 'follow up by')} ${str(m.followUpBy)}${m.answeredOn ? ` · ${t('已于', 'answered on')} ${str(m.answeredOn)}${t(' 报告整改', '')}` : ''}`,
    })),
    ...(item.followUps as Rec[]).map((f) => ({ at: str(f.reportedOn ?? f.on), text: `${t('整改情况', 'Follow-up')}：${str(f.text ?? f.summary)}` })),
    ...(item.closure ? [{ at: str(item.closure.closedOn ?? item.closure.on), text: `${t('办结', 'Closed')}：${str(item.closure.conclusion)}` }] : []),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const done = () => {
    setVersion((v) => v + 1);
    onChange();
  };
  return (
    <div data-testid={`supervision-detail-${itemId}`}>
      {entries.length ? (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {entries.map((e, i) => (
            <li key={i}>
              {e.at} {e.text}
            </li>
          ))}
        </ul>
      ) : (
        <Typography.Text type="secondary">{t('尚未通报或约谈', 'No notice or summons yet')}</Typography.Text>
      )}
      <SupervisionActions item={item} onDone={done} />
    </div>
  );
}

type ReportAction = 'drafts' | 'submissions' | 'approvals' | 'receipts';
const ACTION_NAMES: Record<ReportAction, [string, string]> = {
  drafts: ['起草', 'Draft'],
  submissions: ['提交', 'Submit'],
  approvals: ['审定', 'Approve or return'],
  receipts: ['签收', 'Sign for it'],
};

/** The report commands the signed-in official may send now (the API decides again). */
function actionsFor(p: { role: string; jurisdiction?: string } | undefined, division: string, r: Report): ReportAction[] {
  if (!p) return [];
  const out: ReportAction[] = [];
  const office = p.role === 'coordination_office';
  if (office && p.jurisdiction === division) {
    if (r.status === 'pending' || r.status === 'drafted') out.push('drafts');
    if (r.status === 'drafted') out.push('submissions');
  }
  if (p.role === 'approving_government' && p.jurisdiction === division && r.status === 'awaiting_approval') out.push('approvals');
  if (office && r.recipientDivision !== null && p.jurisdiction === r.recipientDivision && r.status === 'sent') out.push('receipts');
  return out;
}

function Reports({ campaign, reports, onChange }: { campaign: Campaign; reports: Report[]; onChange(r: Report): void }) {
  const t = useT();
  const { lang } = useLang();
  const principal = useSession()?.principal;
  const [acting, setActing] = useState<{ report: Report; action: ReportAction }>();
  return (
    <Card size="small" title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('报送与审定', 'Reports upward')}</h3>} style={{ marginBottom: 12 }}>
      <Table<Report>
        size="small"
        rowKey="reportId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={reports}
        locale={{ emptyText: t('本年度工作无报送任务', 'No reports in this campaign') }}
        columns={[
          { key: 'name', title: t('报告', 'Report'), dataIndex: 'nameZh' },
          { key: 'due', title: t('报送期限', 'Due'), dataIndex: 'due' },
          {
            key: 'status',
            title: t('状态', 'Status'),
            render: (_, r) => (
              <span data-testid={`report-status-${r.reportId}`}>
                <Tag color={r.status === 'received' || r.status === 'sent' ? 'green' : r.status === 'awaiting_approval' ? 'gold' : undefined}>{campaignReportStatusName(r.status, lang)}</Tag>
                {r.returned && r.status === 'drafted' && <Tag color="orange">{t('已退回', 'returned')}</Tag>}
              </span>
            ),
          },
          {
            key: 'draft',
            title: t('草稿', 'Draft'),
            render: (_, r) => (r.draft ? t(`第${r.draft.draft}稿（截至 ${r.draft.cutOff}）`, `#${r.draft.draft} (as of ${r.draft.cutOff})`) : '—'),
          },
          {
            key: 'approval',
            title: t('审定', 'Approval'),
            render: (_, r) =>
              r.approved
                ? `${r.approved.by.name} ${r.approved.on}${r.approved.sealed ? t('（已盖章）', ' (sealed)') : ''}${r.approved.documentNumber ? ` ${r.approved.documentNumber}` : ''}`
                : r.returned
                  ? t(`退回：${r.returned.reason}`, `Returned: ${r.returned.reason}`)
                  : r.approval
                    ? t(r.approval.seal ? '须政府审定并盖章' : '须政府审定', r.approval.seal ? 'Government approval and seal' : 'Government approval')
                    : t('无需审定', 'None'),
          },
          { key: 'sent', title: t('报送 / 签收', 'Sent / received'), render: (_, r) => [r.sent?.on, r.received ? `${t('签收', 'received')} ${r.received.on}` : undefined].filter(Boolean).join(' · ') || '—' },
          {
            key: 'actions',
            title: t('操作', 'Action'),
            render: (_, r) => (
              <Flex gap={4} wrap>
                {actionsFor(principal, campaign.division, r).map((a) => (
                  <Button key={a} size="small" aria-label={`${t(ACTION_NAMES[a][0], ACTION_NAMES[a][1])} ${r.nameZh}`} onClick={() => setActing({ report: r, action: a })}>
                    {t(ACTION_NAMES[a][0], ACTION_NAMES[a][1])}
                  </Button>
                ))}
              </Flex>
            ),
          },
        ]}
      />
      {acting && (
        <ReportActionModal
          campaignId={campaign.campaignId}
          report={acting.report}
          action={acting.action}
          onClose={() => setActing(undefined)}
          onDone={(r) => {
            onChange(r);
            setActing(undefined);
          }}
        />
      )}
    </Card>
  );
}

interface ActionValues {
  cutOff?: string;
  note?: string;
  decision?: 'approve' | 'return';
  reason?: string;
  sealed?: boolean;
  documentNumber?: string;
}
const FIELDS: Record<ReportAction, (keyof ActionValues)[]> = {
  drafts: ['cutOff'],
  submissions: ['note'],
  approvals: ['decision', 'reason', 'sealed', 'documentNumber'],
  receipts: ['note'],
};

function ReportActionModal({ campaignId, report, action, onClose, onDone }: { campaignId: string; report: Report; action: ReportAction; onClose(): void; onDone(r: Report): void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  const [busy, setBusy] = useState(false);
  const [rest, setRest] = useState<FormProblem>();
  const decision = Form.useWatch('decision', form);
  const name = `${t(ACTION_NAMES[action][0], ACTION_NAMES[action][1])}：${report.nameZh}`;

  const submit = async (v: ActionValues) => {
    setBusy(true);
    setRest(undefined);
    const clean = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined && x !== '')) as T;
    const path = { campaignId, reportId: report.reportId };
    const call =
      action === 'drafts'
        ? api.POST('/api/v1/campaigns/{campaignId}/reports/{reportId}/drafts', { params: { path }, body: clean({ cutOff: v.cutOff }) })
        : action === 'submissions'
          ? api.POST('/api/v1/campaigns/{campaignId}/reports/{reportId}/submissions', { params: { path }, body: clean({ note: v.note }) })
          : action === 'approvals'
            ? api.POST('/api/v1/campaigns/{campaignId}/reports/{reportId}/approvals', {
                params: { path },
                body: clean({ decision: v.decision ?? 'approve', reason: v.reason, sealed: v.decision === 'approve' ? Boolean(v.sealed) : undefined, documentNumber: v.documentNumber }),
              })
            : api.POST('/api/v1/campaigns/{campaignId}/reports/{reportId}/receipts', { params: { path }, body: clean({ note: v.note }) });
    try {
      const { idempotencyKey: _k, ...r } = await must(call);
      message.success(t(`${report.nameZh}：${campaignReportStatusName(r.status, 'zh')}`, `${report.nameZh}: ${campaignReportStatusName(r.status, 'en')}`));
      onDone(r);
    } catch (e) {
      const problem = asProblem(e);
      setRest({ problem, errors: showFieldErrors(form, problem, FIELDS[action], lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={name} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<ActionValues> form={form} layout="vertical" name={`report-${action}`} onFinish={submit} initialValues={{ decision: 'approve', sealed: report.approval?.seal ?? false }} aria-label={name}>
        {action === 'drafts' && (
          <Form.Item label={t('统计截止日期（默认昨天）', 'Cut-off date (default: yesterday)')} name="cutOff">
            <Input type="date" />
          </Form.Item>
        )}
        {(action === 'submissions' || action === 'receipts') && (
          <Form.Item label={t('说明（选填）', 'Note (optional)')} name="note">
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {action === 'approvals' && (
          <>
            <Form.Item label={t('审定意见', 'Decision')} name="decision">
              <Radio.Group
                options={[
                  { value: 'approve', label: t('同意报送', 'Approve') },
                  { value: 'return', label: t('退回修改', 'Return') },
                ]}
              />
            </Form.Item>
            {decision === 'return' ? (
              <Form.Item label={t('退回理由', 'Reason')} name="reason" rules={[{ required: true, message: t('退回报告应说明理由', 'Say why') }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            ) : (
              <>
                <Form.Item name="sealed" valuePropName="checked">
                  <Checkbox>{t('已盖章', 'Sealed')}</Checkbox>
                </Form.Item>
                <Form.Item label={t('文号（选填）', 'Document number (optional)')} name="documentNumber">
                  <Input maxLength={100} />
                </Form.Item>
              </>
            )}
          </>
        )}
        <FormProblemAlert rest={rest} />
        <DialogButtons onClose={onClose} busy={busy} />
      </Form>
    </Modal>
  );
}
