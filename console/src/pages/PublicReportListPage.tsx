import { Checkbox, Form, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { covers } from '../../../domain/jurisdiction';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { useSession } from '../components/useSession';
import { useLang, useT } from '../i18n';
import { departmentName, reportChannelName, reportStatusName, roleName } from '../labels';
import type { Principal } from '../session';
import { FilterBar, ProblemAlert, YesNoFilter } from '../components/ListFilters';

type Summary = Schemas['ReportSummary'];
interface Filters {
  status?: 'received' | 'verifying' | 'closed';
  overdue?: 'true' | 'false';
}
const PAGE_SIZE = 20;

/** Whether the report is the caller's to verify (as domain/public-reports.ts mayHandleReport decides; the API decides again). */
export function assignedTo(p: Principal | undefined, assignee: Summary['assignee']): boolean {
  if (!p || !assignee) return false;
  if (p.role !== assignee.role) return false;
  if (assignee.department && p.department !== assignee.department) return false;
  return Boolean(p.jurisdiction && covers(p.jurisdiction, assignee.jurisdiction));
}

/** 举报: the reports in the caller's jurisdiction, those assigned to them first in mind, with the verification deadline. */
export function PublicReportListPage() {
  const t = useT();
  const { lang } = useLang();
  const principal = useSession()?.principal;
  const [filters, setFilters] = useState<Filters>({ status: 'verifying' });
  const [mine, setMine] = useState(true);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Schemas['ReportPage']>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    setProblem(undefined);
    const query = { ...(filters.status ? { status: filters.status } : {}), ...(filters.overdue ? { overdue: filters.overdue } : {}), page, pageSize: mine ? 200 : PAGE_SIZE };
    must(api.GET('/api/v1/reports', { params: { query } })).then(setData, (e) => setProblem(asProblem(e)));
  }, [filters, page, mine]);

  const items = (data?.items ?? []).filter((r) => !mine || assignedTo(principal, r.assignee));
  return (
    <section aria-labelledby="reports-title">
      <Typography.Title level={2} id="reports-title" style={{ fontSize: 20 }}>
        {t('举报核查', 'Public reports')}
      </Typography.Title>
      <FilterBar<Filters>
        initialValues={filters}
        onSearch={(v) => {
          setPage(1);
          setFilters(v);
        }}
      >
        <Form.Item label={t('状态', 'Status')} name="status">
          <Select
            allowClear
            style={{ width: 120 }}
            options={(['received', 'verifying', 'closed'] as const).map((s) => ({ value: s, label: reportStatusName(s, lang) }))}
          />
        </Form.Item>
        <YesNoFilter label={t('核查逾期', 'Overdue')} name="overdue" />
        <Form.Item>
          <Checkbox
            checked={mine}
            onChange={(e) => {
              setPage(1);
              setMine(e.target.checked);
            }}
          >
            {t('只看分派给我的', 'Assigned to me only')}
          </Checkbox>
        </Form.Item>
      </FilterBar>
      {problem && <ProblemAlert problem={problem} />}
      <Table<Summary>
        size="small"
        rowKey="reportId"
        scroll={{ x: 'max-content' }}
        dataSource={items}
        loading={!data && !problem}
        locale={{ emptyText: t('没有举报', 'No reports') }}
        pagination={mine ? { pageSize: PAGE_SIZE, hideOnSinglePage: true } : { current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { key: 'id', title: t('受理编号', 'Tracking number'), render: (_, r) => <Link to={`/console/reports/${encodeURIComponent(r.reportId)}`}>{r.reportId}</Link> },
          { key: 'enterprise', title: t('被举报企业', 'Enterprise'), dataIndex: 'enterpriseName' },
          { key: 'region', title: t('地区', 'Region'), dataIndex: 'regionName' },
          { key: 'channel', title: t('来源', 'Channel'), render: (_, r) => `${reportChannelName(r.channel, lang)}${r.realName ? t('（实名）', ' (real name)') : ''}` },
          { key: 'received', title: t('受理日期', 'Received'), dataIndex: 'receivedOn' },
          {
            key: 'due',
            title: t('核查期限', 'Verify by'),
            render: (_, r) => (
              <span>
                {r.dueDate ?? '—'} {r.overdue && r.status !== 'closed' && <Tag color="red">{t('已逾期', 'overdue')}</Tag>}
              </span>
            ),
          },
          { key: 'status', title: t('状态', 'Status'), render: (_, r) => <Tag color={r.status === 'closed' ? 'green' : 'blue'}>{reportStatusName(r.status, lang)}</Tag> },
          {
            key: 'assignee',
            title: t('核查部门', 'Verified by'),
            render: (_, r) => (r.assignee ? `${r.assignee.department ? departmentName(r.assignee.department, lang) : roleName(r.assignee.role, lang)} · ${r.assignee.jurisdiction}` : t('分办中', 'being routed')),
          },
        ]}
      />
    </section>
  );
}
