import { Alert, Card, Descriptions, Flex, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, asProblem, must, type Problem, type Schemas } from '../api/client';
import { ActionForms } from '../components/actions/ActionForms';
import { EvidenceUpload } from '../components/EvidenceUpload';
import { useSession } from '../components/useSession';
import { useLang, useT } from '../i18n';
import { actionName, clockKindName, decisionKindName, departmentName, dimensionName, escalationName, industryName, mailKindName, phaseName, platformName, roleName, stageName } from '../labels';
import { beijingTime } from '../time';

type CaseView = Schemas['Case'];
type AuditEntry = Schemas['AuditPage']['items'][number];
type Evidence = Schemas['Evidence'];
type Decision = Schemas['PendingDecision'];
type Enterprise = Schemas['Enterprise'];
type Messages = Schemas['CaseMessages'];

interface Loaded {
  view: CaseView;
  audit: AuditEntry[];
  evidence: Evidence[];
  decisions: Decision[];
  enterprise?: Enterprise;
  messages: Messages;
}

/** Reads what the caller may see of a case; parts an enterprise may not read (the audit trail) are left empty. */
async function load(caseId: string): Promise<Loaded> {
  const view = await must(api.GET('/api/v1/cases/{caseId}', { params: { path: { caseId } } }));
  const optional = async <T,>(call: Promise<{ data?: T }>, fallback: T) => (await call.catch(() => ({ data: undefined }))).data ?? fallback;
  const [audit, evidence, decisions, enterprise, messages] = await Promise.all([
    optional(api.GET('/api/v1/cases/{caseId}/audit', { params: { path: { caseId } } }), { items: [] as AuditEntry[] } as Schemas['AuditPage']),
    optional(api.GET('/api/v1/cases/{caseId}/evidence', { params: { path: { caseId } } }), { items: [] as Evidence[] }),
    optional(api.GET('/api/v1/decisions', { params: { query: { caseId } } }), { items: [] as Decision[] } as Schemas['DecisionPage']),
    optional(api.GET('/api/v1/enterprises/{creditCode}', { params: { path: { creditCode: view.creditCode } } }), undefined),
    optional(api.GET('/api/v1/cases/{caseId}/messages', { params: { path: { caseId } } }), { mails: [], acknowledgements: [], escalations: [] } as Messages),
  ]);
  return { view, audit: audit.items, evidence: evidence.items, decisions: decisions.items, enterprise, messages };
}

/** 案件详情: the enterprise and its facilities, the stage and deadline, the timeline, what is pending, and the caller's forms. */
export function CasePage() {
  const { caseId = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const session = useSession();
  const [data, setData] = useState<Loaded>();
  const [problem, setProblem] = useState<Problem>();

  const reload = useCallback(() => {
    load(caseId).then(setData, (e) => setProblem(asProblem(e)));
  }, [caseId]);
  useEffect(reload, [reload]);

  if (problem) return <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} />;
  if (!data) return <Spin aria-label={t('加载中', 'Loading')} />;
  const { view, enterprise } = data;

  return (
    <article aria-labelledby="case-title">
      <Typography.Title level={2} id="case-title" style={{ fontSize: 20 }}>
        {view.enterpriseName} · {view.caseNumber}
      </Typography.Title>
      {!view.live && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('工作流暂时无法应答，以下为数据库记录，可能滞后一步。', 'The workflow did not answer; showing the recorded state, which may lag by a step.')} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('阶段', 'Stage')}>
            <Tag color="blue" data-testid="case-stage">{stageName(view.stage, lang)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('期限', 'Deadline')}>
            <span data-testid="case-deadline">{view.deadline ?? '—'}</span> {view.overdue && <Tag color="red">{t('已逾期', 'overdue')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('通知送达日', 'Notice served')}>{view.noticeServedOn}</Descriptions.Item>
          <Descriptions.Item label={t('统一社会信用代码', 'Credit code')}>{view.creditCode}</Descriptions.Item>
          <Descriptions.Item label={t('地区', 'Region')}>{view.regionCode}</Descriptions.Item>
          <Descriptions.Item label={t('行业', 'Industry')}>{industryName(view.industry, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('维度', 'Dimension')}>{dimensionName(view.dimension, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('主管部门', 'Department')}>{departmentName(view.department, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('适用政策', 'Policy')}>{view.policy.version}</Descriptions.Item>
        </Descriptions>
        {session?.principal.role === 'operator' && (
          <a href={view.links.temporalUi} target="_blank" rel="noreferrer">
            {t('在 Temporal UI 中查看工作流', 'Open the workflow in Temporal UI')}
          </a>
        )}
      </Card>

      <Flex gap={12} wrap align="start">
        <div style={{ flex: '1 1 360px', minWidth: 0 }}>
          <Card size="small" title={t('办理', 'Act')} style={{ marginBottom: 12 }}>
            <ActionForms caseId={view.caseId} actions={view.actions} evidence={data.evidence} onDone={reload} />
          </Card>
          {data.decisions.length > 0 && (
            <Card size="small" title={t('待我决定', 'Waiting for my decision')} style={{ marginBottom: 12 }}>
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {data.decisions.map((d) => (
                  <li key={d.decisionId}>
                    {decisionKindName(d.kind, lang)} · {t('期限', 'due')} {d.dueDate} {d.overdue && <Tag color="red">{t('已逾期', 'overdue')}</Tag>}
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {enterprise && (
            <Card size="small" title={t('企业与设施', 'Enterprise and facilities')} style={{ marginBottom: 12 }}>
              <Typography.Paragraph>{enterprise.address}</Typography.Paragraph>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={enterprise.facilities}
                columns={[
                  { key: 'id', title: t('编号', 'Id'), dataIndex: 'id' },
                  { key: 'name', title: t('设施', 'Facility'), dataIndex: 'name' },
                  { key: 'capacity', title: t('产能', 'Capacity'), render: (_, f) => `${f.capacity} ${f.unit}` },
                ]}
              />
            </Card>
          )}
        </div>
        <div style={{ flex: '1 1 360px', minWidth: 0 }}>
          <Card size="small" title={t('办理经过', 'Timeline')} style={{ marginBottom: 12 }}>
            <Deadlines deadlines={view.deadlines} clockSuspended={view.clockSuspended} />
            <section aria-label={t('办理经过', 'Timeline')} data-testid="case-timeline">
              <Timeline items={timeline(data, lang)} />
            </section>
          </Card>
          <Card size="small" title={t('证据材料', 'Evidence')}>
            <Table<Evidence>
              size="small"
              rowKey="evidenceId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={data.evidence}
              locale={{ emptyText: t('暂无证据', 'No evidence yet') }}
              columns={[
                { key: 'phase', title: t('阶段', 'Phase'), render: (_, e) => phaseName(e.phase, lang) },
                { key: 'file', title: t('文件', 'File'), render: (_, e) => e.filename ?? e.contentType },
                { key: 'sha', title: 'SHA-256', render: (_, e) => <Typography.Text code title={e.sha256}>{e.sha256.slice(0, 12)}…</Typography.Text> },
              ]}
            />
            {view.mayAttachEvidence && <EvidenceUpload caseId={view.caseId} onDone={reload} />}
          </Card>
        </div>
      </Flex>
    </article>
  );
}

/** The deadlines the case runs, each with the date it rolled forward from (节假日顺延), if it did. */
function Deadlines({ deadlines, clockSuspended }: { deadlines: CaseView['deadlines']; clockSuspended: boolean }) {
  const t = useT();
  const { lang } = useLang();
  if (!deadlines.length && !clockSuspended) return null;
  return (
    <ul aria-label={t('期限', 'Deadlines')} data-testid="case-deadlines" style={{ margin: '0 0 12px', paddingLeft: 20 }}>
      {clockSuspended && (
        <li>
          <Tag color="orange">{t('计时已中止（行政复议/诉讼）', 'Clock stopped (review or litigation)')}</Tag>
        </li>
      )}
      {deadlines.map((d) => (
        <li key={d.kind}>
          {clockKindName(d.kind, lang)}：{d.date}
          {d.rolledFrom && <Typography.Text type="secondary">{t(`（原为 ${d.rolledFrom}，遇休息日顺延）`, ` (from ${d.rolledFrom}, rolled off a rest day)`)}</Typography.Text>}
          {d.provisional && <Tag style={{ marginLeft: 4 }}>{t('暂定（节假日安排未公布）', 'provisional')}</Tag>}
          {d.suspendedOn && <Tag color="orange" style={{ marginLeft: 4 }}>{t(`${d.suspendedOn} 起中止`, `stopped since ${d.suspendedOn}`)}</Tag>}
          {d.lapsed && <Tag color="red" style={{ marginLeft: 4 }}>{t('已届满', 'lapsed')}</Tag>}
          {d.remindersSent.length > 0 && <Typography.Text type="secondary">{t(`；已提醒：${d.remindersSent.join('、')}`, `; reminded ${d.remindersSent.join(', ')}`)}</Typography.Text>}
        </li>
      ))}
    </ul>
  );
}


/**
 * Everything that happened to the case, newest first: the stages it went through, the actions taken
 * on it (who, when, why), its escalations (督办), the mails it sent (to whom, delivered or waiting)
 * and the platforms' acknowledgements.
 */
function timeline({ view, audit, messages }: Loaded, lang: 'zh' | 'en') {
  const zh = lang === 'zh';
  const entries: { at: string; color: string; text: string }[] = [
    ...view.history.map((h) => ({ at: h.at, color: 'blue', text: `${zh ? '阶段' : 'Stage'}：${stageName(h.stage, lang)}${h.deadline ? (zh ? `（期限 ${h.deadline}）` : ` (due ${h.deadline})`) : ''}` })),
    ...audit.map((a) => ({
      at: a.at,
      color: a.result < 300 ? 'green' : 'red',
      text: `${actionName(a.action.replace(/^case\./, ''), lang)} · ${a.actor.name ?? a.actor.sub}（${roleName(String(a.actor.role ?? ''), lang)}）${a.reason ? `：${a.reason}` : ''}`,
    })),
    ...messages.escalations.map((e) => ({
      at: e.at,
      color: 'red',
      text: `${zh ? '督办' : 'Escalated'}：${escalationName(e.what, lang)}${e.lapsedOn ? (zh ? `（${e.lapsedOn} 到期）` : ` (due ${e.lapsedOn})`) : ''}${e.up ? (zh ? `，报 ${e.up}` : `, to ${e.up}`) : ''}`,
    })),
    ...messages.mails.map((m) => ({
      at: m.sentAt ?? m.createdAt,
      color: m.status === 'sent' ? 'gray' : 'orange',
      text: `${zh ? '邮件' : 'Mail'}（${mailKindName(m.kind, lang)}）《${m.subject}》→ ${m.recipients.join('、') || (zh ? '无收件地址' : 'no address on file')} · ${m.status === 'sent' ? (zh ? '已发送' : 'sent') : zh ? '待发送' : 'waiting'}`,
    })),
    ...messages.acknowledgements.map((p) => ({
      at: p.acknowledgedAt ?? p.pushedAt,
      color: p.status === 'acknowledged' ? 'green' : 'orange',
      text: `${zh ? '平台推送' : 'Pushed to'}：${platformName(p.platform, lang)} · ${p.status === 'acknowledged' ? `${zh ? '回执' : 'acknowledged'} ${p.acknowledgement}` : zh ? '待回执' : 'awaiting acknowledgement'}`,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return entries.map((e) => ({ color: e.color, content: `${beijingTime(e.at)} ${e.text}` }));
}
