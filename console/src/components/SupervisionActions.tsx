import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select } from 'antd';
import { INDUSTRIES } from '../../../domain/model';
import { useState } from 'react';
import { covers } from '../../../domain/jurisdiction';
import { api, asProblem, must, type Schemas } from '../api/client';
import { useLang, useT } from '../i18n';
import { accountabilityCategoryName, industryName, supervisionActionName, supervisionStatusName } from '../labels';
import { showFieldErrors } from './problemFields';
import { useSession } from './useSession';
import { DialogButtons, FormProblemAlert, type FormProblem } from './FormParts';

type Item = Schemas['SupervisionItem'];
export type SupervisionAction = 'issueNotice' | 'recordSummons' | 'reportFollowUp' | 'closeItem';

/** A fresh Idempotency-Key (randomUUID needs a secure context; getRandomValues does not). */
const newKey = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The actions the signed-in official may take on the item now, as the API authorises them
 * (api/routes/supervision.ts: maySupervise, mayReportFollowUp; the API decides again): the supervising
 * office or one above it notices, summons and closes; the region's own office reports its follow-up;
 * nothing once closed.
 */
export function supervisionActionsFor(p: { role: string; jurisdiction?: string } | undefined, item: Pick<Item, 'supervisor' | 'region' | 'status'>): SupervisionAction[] {
  if (!p || p.role !== 'coordination_office' || !p.jurisdiction || item.status === 'closed') return [];
  const out: SupervisionAction[] = [];
  if (covers(p.jurisdiction, item.supervisor)) out.push('issueNotice', 'recordSummons');
  if (p.jurisdiction === item.region) out.push('reportFollowUp');
  if (covers(p.jurisdiction, item.supervisor)) out.push('closeItem');
  return out;
}

/** The buttons of the item's actions, each opening its form. */
export function SupervisionActions({ item, onDone }: { item: Item; onDone(): void }) {
  const t = useT();
  const { lang } = useLang();
  const principal = useSession()?.principal;
  const [acting, setActing] = useState<SupervisionAction>();
  const actions = supervisionActionsFor(principal, item);
  if (!actions.length) return null;
  return (
    <Flex gap={8} wrap style={{ marginTop: 8 }} role="group" aria-label={t('督办操作', 'Supervision actions')}>
      {actions.map((a) => (
        <Button key={a} size="small" onClick={() => setActing(a)} aria-label={`${supervisionActionName(a, lang)} ${item.regionName}`}>
          {supervisionActionName(a, lang)}
        </Button>
      ))}
      {acting && (
        <SupervisionActionModal
          item={item}
          action={acting}
          onClose={() => setActing(undefined)}
          onDone={() => {
            setActing(undefined);
            onDone();
          }}
        />
      )}
    </Flex>
  );
}

interface Values {
  text?: string;
  publish?: boolean;
  heldOn?: string;
  summonedName?: string;
  summonedTitle?: string;
  minutesRef?: string;
  followUpBy?: string;
  conclusion?: string;
  accountabilityCategory?: string;
  accountabilityText?: string;
}
const FIELDS: Record<SupervisionAction, (keyof Values)[]> = {
  issueNotice: ['text', 'publish'],
  recordSummons: ['heldOn', 'summonedName', 'summonedTitle', 'minutesRef', 'followUpBy'],
  reportFollowUp: ['text'],
  closeItem: ['conclusion', 'accountabilityCategory', 'accountabilityText'],
};
/** The API's field paths as this form's fields (one summoned official; accountability flattened). */
const FORM_FIELD: Record<string, string> = {
  summoned: 'summonedName',
  'summoned.0.name': 'summonedName',
  'summoned.0.title': 'summonedTitle',
  accountability: 'accountabilityCategory',
  'accountability.category': 'accountabilityCategory',
  'accountability.text': 'accountabilityText',
};
const ACCOUNTABILITY = ['none', 'criticism', 'admonishment', 'organisational', 'disciplinary', 'referred'] as const;

function SupervisionActionModal({ item, action, onClose, onDone }: { item: Item; action: SupervisionAction; onClose(): void; onDone(): void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  // One key per filled-in form: a retry after a lost answer is taken once.
  const [key] = useState(newKey);
  const [rest, setRest] = useState<FormProblem>();
  const concealed = item.reason.kind === 'concealed_capacity';
  const name = `${supervisionActionName(action, lang)}：${item.regionName}`;

  const submit = async (v: Values) => {
    setBusy(true);
    setRest(undefined);
    const opts = { params: { path: { itemId: item.itemId } }, headers: { 'Idempotency-Key': key } };
    const opt = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);
    const call =
      action === 'issueNotice'
        ? api.POST('/api/v1/supervision-items/{itemId}/notices', { ...opts, body: { text: v.text ?? '', publish: Boolean(v.publish) } })
        : action === 'recordSummons'
          ? api.POST('/api/v1/supervision-items/{itemId}/summons', {
              ...opts,
              body: { heldOn: v.heldOn ?? '', summoned: [{ name: v.summonedName ?? '', title: v.summonedTitle ?? '' }], minutesRef: v.minutesRef ?? '', followUpBy: v.followUpBy ?? '' },
            })
          : action === 'reportFollowUp'
            ? api.POST('/api/v1/supervision-items/{itemId}/follow-ups', { ...opts, body: { text: v.text ?? '' } })
            : api.POST('/api/v1/supervision-items/{itemId}/closure', {
                ...opts,
                body: {
                  conclusion: v.conclusion ?? '',
                  ...(opt(v.accountabilityCategory) || opt(v.accountabilityText) ? { accountability: { category: (v.accountabilityCategory ?? '') as (typeof ACCOUNTABILITY)[number], text: v.accountabilityText ?? '' } } : {}),
                },
              });
    try {
      const r = await must(call);
      message.success(`${item.regionName}：${supervisionStatusName(r.status, lang)}`);
      onDone();
    } catch (e) {
      const problem = asProblem(e);
      const mapped = { ...problem, errors: problem.errors?.map((x) => ({ ...x, field: FORM_FIELD[x.field] ?? x.field })) };
      setRest({ problem, errors: showFieldErrors(form, mapped, FIELDS[action], lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={name} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" name={`supervision-${action}`} onFinish={submit} initialValues={{ publish: true }} aria-label={name}>
        {action === 'issueNotice' && (
          <>
            <Form.Item label={t('通报内容', 'Notice text')} name="text">
              <Input.TextArea rows={4} maxLength={10_000} />
            </Form.Item>
            <Form.Item name="publish" valuePropName="checked">
              <Checkbox>{t('向社会公开', 'Publish to the public')}</Checkbox>
            </Form.Item>
          </>
        )}
        {action === 'recordSummons' && (
          <>
            <Form.Item label={t('约谈日期', 'Held on')} name="heldOn">
              <Input type="date" />
            </Form.Item>
            <Form.Item label={t('被约谈人姓名', 'Name of the official summoned')} name="summonedName">
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item label={t('被约谈人职务', 'Title of the official summoned')} name="summonedTitle">
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item label={t('约谈纪要文号', 'Minutes reference')} name="minutesRef">
              <Input maxLength={500} />
            </Form.Item>
            <Form.Item label={t('整改报告期限', 'Follow-up due by')} name="followUpBy">
              <Input type="date" />
            </Form.Item>
          </>
        )}
        {action === 'reportFollowUp' && (
          <Form.Item label={t('整改情况', 'Rectification report')} name="text">
            <Input.TextArea rows={4} maxLength={20_000} />
          </Form.Item>
        )}
        {action === 'closeItem' && (
          <>
            <Form.Item label={t('办结结论', 'Conclusion')} name="conclusion">
              <Input.TextArea rows={3} maxLength={10_000} />
            </Form.Item>
            <Form.Item label={concealed ? t('问责方式', 'Accountability') : t('问责方式（选填）', 'Accountability (optional)')} name="accountabilityCategory">
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={ACCOUNTABILITY.map((c) => ({ value: c, label: accountabilityCategoryName(c, lang) }))} aria-label={t('问责方式', 'Accountability')} />
            </Form.Item>
            <Form.Item label={t('问责对象及处理情况', 'Who was held accountable and how')} name="accountabilityText">
              <Input.TextArea rows={2} maxLength={5000} />
            </Form.Item>
          </>
        )}
        <FormProblemAlert rest={rest} />
        <DialogButtons onClose={onClose} busy={busy} />
      </Form>
    </Modal>
  );
}

interface ConcealedValues {
  region?: string;
  creditCode?: string;
  enterpriseName?: string;
  industry?: string;
  facilityName?: string;
  facilityCapacity?: number;
  facilityUnit?: string;
  source?: 'public_report' | 'inspection' | 'other';
  reference?: string;
  foundOn?: string;
}
const CONCEALED_FIELDS: (keyof ConcealedValues)[] = ['region', 'creditCode', 'enterpriseName', 'industry', 'facilityName', 'facilityCapacity', 'facilityUnit', 'source', 'reference', 'foundOn'];
const CONCEALED_FIELD: Record<string, string> = {
  facilities: 'facilityName',
  'facilities.0.name': 'facilityName',
  'facilities.0.capacity': 'facilityCapacity',
  'facilities.0.unit': 'facilityUnit',
};

/**
 * 隐瞒产能: the coordination office of the campaign's division or above records capacity found concealed
 * (POST /campaigns/{id}/concealed-capacity); the item it opens closes only with 问责.
 */
export function ConcealedCapacity({ campaignId, division, onDone }: { campaignId: string; division: string; onDone(itemId: string): void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const p = useSession()?.principal;
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ConcealedValues>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey);
  const [rest, setRest] = useState<FormProblem>();
  if (p?.role !== 'coordination_office' || !p.jurisdiction || !covers(p.jurisdiction, division)) return null;
  const title = t('登记隐瞒产能', 'Record concealed capacity');

  const submit = async (v: ConcealedValues) => {
    setBusy(true);
    setRest(undefined);
    try {
      const opened = await must(
        api.POST('/api/v1/campaigns/{campaignId}/concealed-capacity', {
          params: { path: { campaignId } },
          headers: { 'Idempotency-Key': key },
          body: {
            region: v.region ?? '',
            creditCode: v.creditCode ?? '',
            enterpriseName: v.enterpriseName ?? '',
            industry: (v.industry ?? '') as (typeof INDUSTRIES)[number],
            facilities: [{ name: v.facilityName ?? '', capacity: v.facilityCapacity ?? 0, unit: v.facilityUnit ?? '' }],
            source: v.source ?? 'other',
            ...(v.reference ? { reference: v.reference } : {}),
            foundOn: v.foundOn ?? '',
          },
        }),
      );
      message.success(t('已登记隐瞒产能，督办事项已立项', 'Recorded; a supervision item is open'));
      setOpen(false);
      form.resetFields();
      setKey(newKey());
      onDone(opened.itemId);
    } catch (e) {
      const problem = asProblem(e);
      const mapped = { ...problem, errors: problem.errors?.map((x) => ({ ...x, field: CONCEALED_FIELD[x.field] ?? x.field })) };
      setRest({ problem, errors: showFieldErrors(form, mapped, CONCEALED_FIELDS, lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {title}
      </Button>
      <Modal open={open} title={title} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form<ConcealedValues> form={form} layout="vertical" name="concealed-capacity" onFinish={submit} initialValues={{ region: division, facilityUnit: '万吨/年', source: 'inspection' }} aria-label={title}>
          <Form.Item label={t('所在地区（行政区划代码）', 'Region (division code)')} name="region">
            <Input maxLength={6} inputMode="numeric" />
          </Form.Item>
          <Form.Item label={t('统一社会信用代码', 'Unified social credit code')} name="creditCode">
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item label={t('企业名称', 'Enterprise name')} name="enterpriseName">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={t('行业', 'Industry')} name="industry">
            <Select showSearch={{ optionFilterProp: 'label' }} aria-label={t('行业', 'Industry')} options={INDUSTRIES.map((i) => ({ value: i, label: industryName(i, lang) }))} />
          </Form.Item>
          <Form.Item label={t('设备名称', 'Facility')} name="facilityName">
            <Input maxLength={200} />
          </Form.Item>
          <Flex gap={8}>
            <Form.Item label={t('产能', 'Capacity')} name="facilityCapacity" style={{ flex: 1 }}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item label={t('单位', 'Unit')} name="facilityUnit" style={{ flex: 1 }}>
              <Input maxLength={40} />
            </Form.Item>
          </Flex>
          <Form.Item label={t('发现途径', 'Found through')} name="source">
            <Select
              aria-label={t('发现途径', 'Found through')}
              options={[
                { value: 'public_report', label: t('群众举报', 'Public report') },
                { value: 'inspection', label: t('检查发现', 'Inspection') },
                { value: 'other', label: t('其他', 'Other') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('依据（举报编号、检查记录，选填）', 'Reference (optional)')} name="reference">
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item label={t('发现日期', 'Found on')} name="foundOn">
            <Input type="date" />
          </Form.Item>
          <FormProblemAlert rest={rest} />
          <Flex gap={8} justify="end">
            <Button onClick={() => setOpen(false)}>{t('取消', 'Cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('确定', 'OK')}
            </Button>
          </Flex>
        </Form>
      </Modal>
    </>
  );
}
