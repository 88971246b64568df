/**
 * The paths the drill's cases take, each driven only through the HTTP API the way officials and
 * enterprises would, and each with the final state it must reach whatever faults happen meanwhile.
 * None waits for a month-long timer: the overdue path is served a notice dated months ago, so its
 * deadline has lapsed when it opens and the escalation runs at once.
 */
import { addCalendarMonths, toLegalDate } from '../../domain/deadlines';
import { evidenceUri } from '../../domain/inputs';
import type { Principal } from '../../domain/roles';
import { sleep } from '../../scripts/lib/processes';
import { creditCode } from '../lib';
import { DrillFailure, type DrillClient } from './client';

const CITY = '410100'; // Zhengzhou (Henan policy)
const DISTRICT = '410102';

export const operator: Principal = { sub: 'drill-ops', name: '演练 运维', role: 'operator' };
const official = (department: Principal['department']): Principal => ({ sub: `drill-${department}`, name: `演练 ${department}`, role: 'enforcement_official', department, jurisdiction: CITY });
const office: Principal = { sub: 'drill-office', name: '郑州市淘汰落后产能办公室', role: 'coordination_office', jurisdiction: CITY };

/** What a finished path leaves behind, for the final count. */
export interface CaseOutcome {
  scenario: string;
  caseId: string;
  expected: { stage: string; overdue: boolean };
  /** Every command that got a 2xx: the audit trail must hold one row for each. */
  commands: { target: string; action: string }[];
}

export interface ScenarioContext {
  client: DrillClient;
  run: string;
  index: number;
}

interface Scenario {
  name: string;
  weight: number;
  run(ctx: ScenarioContext): Promise<CaseOutcome>;
}

const today = () => toLegalDate(new Date().toISOString());
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex');

/** One case's conversation with the API, keeping the list of commands that took effect. */
class CaseDriver {
  readonly commands: CaseOutcome['commands'] = [];
  caseId = '';
  readonly enterprise: Principal;
  private step = 0;

  constructor(private readonly ctx: ScenarioContext, readonly code: string, readonly by: Principal) {
    this.enterprise = { sub: `ent-${code}`, name: `演练企业${ctx.index}`, role: 'enterprise', creditCode: code };
  }

  private key(what: string): string {
    return `drill-${this.ctx.run}-${this.ctx.index}-${++this.step}-${what}`;
  }

  async register(): Promise<void> {
    await this.ctx.client.command(this.by, '/api/v1/enterprises', {
      creditCode: this.code, name: `演练企业${this.ctx.index}`, regionCode: DISTRICT, industry: 'steel',
      contact: { name: '王经理', email: `ent${this.ctx.index}@drill.example.cn` },
      facilities: [{ id: 'L1', name: '1号生产线', kind: 'production_line', capacity: 30, unit: '万吨/年' }],
    }, this.key('register'));
    this.commands.push({ target: this.code, action: 'enterprise.register' });
  }

  async open(dimension: string, extra: Record<string, unknown> = {}): Promise<void> {
    const a = await this.ctx.client.command(this.by, '/api/v1/cases', {
      creditCode: this.code, caseNumber: `DRILL-${this.ctx.run}-${this.ctx.index}`, dimension, department: this.by.department,
      legalBasis: '演练：工信部联产业〔2017〕30号', noticeServedOn: today(), serious: false, facilityIds: ['L1'], ...extra,
    }, this.key('open'), { Prefer: 'respond-async' });
    this.caseId = a.body.caseId;
    this.commands.push({ target: this.caseId, action: 'case.open' });
  }

  async act(who: Principal, path: string, action: string, body: object): Promise<string> {
    const a = await this.ctx.client.command(who, `/api/v1/cases/${encodeURIComponent(this.caseId)}/${path}`, body, this.key(path));
    this.commands.push({ target: this.caseId, action: `case.${action}` });
    return a.body.stage;
  }

  /** Poll the case (live workflow state through the API) until it is in one of `stages`. */
  async reach(...stages: string[]): Promise<void> {
    const until = Date.now() + 10 * 60_000;
    for (;;) {
      const a = await this.ctx.client.get(operator, `/api/v1/cases/${encodeURIComponent(this.caseId)}`);
      if (a.status === 200 && stages.includes(a.body.stage)) return;
      if (Date.now() > until) throw new DrillFailure(`${this.caseId} did not reach ${stages.join('/')} (last: ${a.status} ${a.body?.stage ?? JSON.stringify(a.body)})`);
      await sleep(1000);
    }
  }

  /** Take the case's open decision of `kind` as whoever the inbox says it is assigned to. */
  async decide(kind: string, path: string, action: string, body: object): Promise<string> {
    const until = Date.now() + 10 * 60_000;
    for (;;) {
      const a = await this.ctx.client.get(operator, `/api/v1/decisions?kind=${kind}&caseId=${encodeURIComponent(this.caseId)}`);
      const d = a.status === 200 ? a.body.items[0] : undefined;
      if (d) {
        const who: Principal = { sub: `drill-${d.assigneeRole}-${d.jurisdiction}`, name: d.assigneeRole, role: d.assigneeRole, jurisdiction: d.jurisdiction, ...(d.assigneeDepartment ? { department: d.assigneeDepartment } : {}) };
        return this.act(who, path, action, body);
      }
      if (Date.now() > until) throw new DrillFailure(`${this.caseId}: no open ${kind} decision`);
      await sleep(1000);
    }
  }

  async photos(who: Principal): Promise<{ phase: string; uri: string; sha256: string }[]> {
    const refs = [];
    for (const phase of ['before', 'during', 'after']) {
      const data = Buffer.concat([PNG, Buffer.from(`${this.caseId} ${phase}`)]);
      const a = await this.ctx.client.send(who, 'POST', `/api/v1/cases/${encodeURIComponent(this.caseId)}/evidence?phase=${phase}`, { raw: { type: 'image/png', data }, key: this.key(`evidence-${phase}`) });
      if (a.status >= 300) throw new DrillFailure(`evidence upload: ${a.status} ${JSON.stringify(a.body)}`);
      this.commands.push({ target: this.caseId, action: 'case.evidence' });
      refs.push({ phase, uri: evidenceUri(this.caseId, a.body.evidenceId as string), sha256: a.body.sha256 as string });
    }
    return refs;
  }

  outcome(scenario: string, stage: string, overdue = false): CaseOutcome {
    return { scenario, caseId: this.caseId, expected: { stage, overdue }, commands: this.commands };
  }
}

async function begin(ctx: ScenarioContext, department: Principal['department']): Promise<CaseDriver> {
  // Every drill has a database of its own: the case's index makes the credit code unique.
  const c = new CaseDriver(ctx, creditCode(ctx.index, 'D'), official(department));
  await c.register();
  return c;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'energy rectified, compliant',
    weight: 2,
    async run(ctx) {
      const c = await begin(ctx, 'industry_it');
      await c.open('energy');
      await c.reach('rectification');
      await c.act(c.enterprise, 'rectification-reports', 'reportRectificationDone', {});
      await c.act(c.by, 'reinspections', 'recordReinspection', { passed: true, findings: '能耗达标' });
      return c.outcome(this.name, 'compliant');
    },
  },
  {
    name: 'quality suspended, rectified, compliant',
    weight: 1,
    async run(ctx) {
      const c = await begin(ctx, 'market_regulation');
      await c.open('quality');
      await c.reach('suspended_production');
      await c.act(c.enterprise, 'rectification-reports', 'reportRectificationDone', {});
      await c.act(c.by, 'reinspections', 'recordReinspection', { passed: true });
      return c.outcome(this.name, 'compliant');
    },
  },
  {
    name: 'energy extension granted',
    weight: 1,
    async run(ctx) {
      const c = await begin(ctx, 'industry_it');
      await c.open('energy');
      await c.reach('rectification');
      await c.act(c.enterprise, 'extension-requests', 'requestExtension', { months: 3, reason: '改造工期' });
      await c.decide('extension', 'extension-decisions', 'decideExtension', { approve: true });
      return c.outcome(this.name, 'rectification');
    },
  },
  {
    name: 'environment serious: closure, joint punishment, dismantled, accepted, exited',
    weight: 2,
    async run(ctx) {
      const c = await begin(ctx, 'ecology_environment');
      await c.open('environment', { serious: true, rectificationMonths: 3 });
      await c.reach('closure_proposed');
      await c.decide('closure', 'closure-decisions', 'decideClosure', { outcome: 'approve', reason: '情节严重，依法关闭' });
      await c.reach('exit_in_progress');
      await c.act(office, 'resettlement-plans', 'submitResettlementPlan', { workers: 40, planRef: '演练安置方案' });
      const evidence = await c.photos(c.by);
      await c.act(c.by, 'dismantlings', 'recordDismantling', { dismantledOn: today(), evidence });
      await c.reach('acceptance');
      // The body the policy names accepts (Henan: the city government, 二(二)6), from the to-do list.
      await c.decide('acceptance', 'acceptances', 'recordAcceptance', { opinion: '主体设备已拆除，同意验收', evidence });
      return c.outcome(this.name, 'exited');
    },
  },
  {
    name: 'environment serious: closure declined with reasons',
    weight: 1,
    async run(ctx) {
      const c = await begin(ctx, 'ecology_environment');
      await c.open('environment', { serious: true, rectificationMonths: 3 });
      await c.reach('closure_proposed');
      await c.decide('closure', 'closure-decisions', 'decideClosure', { outcome: 'close_with_reasons', reason: '已整改到位，不予关闭' });
      return c.outcome(this.name, 'closed_with_reasons');
    },
  },
  {
    name: 'technology sealed',
    weight: 1,
    async run(ctx) {
      const c = await begin(ctx, 'industry_it');
      await c.open('technology');
      await c.reach('exit_in_progress');
      await c.act(c.by, 'sealings', 'recordSealing', {
        sealedOn: today(), measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'],
        commitmentRef: 'https://www.zhengzhou.gov.cn/commitment/drill', announcementUrl: 'https://www.zhengzhou.gov.cn/announcement/drill',
      });
      return c.outcome(this.name, 'sealed');
    },
  },
  {
    name: 'energy deadline lapsed: escalated, closure proposed',
    weight: 1,
    async run(ctx) {
      const c = await begin(ctx, 'industry_it');
      await c.open('energy', { noticeServedOn: addCalendarMonths(today(), -8) });
      await c.reach('closure_proposed');
      return c.outcome(this.name, 'closure_proposed', true);
    },
  },
  {
    name: 'voluntary exit',
    weight: 1,
    async run(ctx) {
      const c = await begin(ctx, 'industry_it');
      await c.open('energy');
      await c.reach('rectification');
      const stage = await c.act(c.enterprise, 'voluntary-exits', 'declareVoluntaryExit', { reason: '企业主动退出' });
      return c.outcome(this.name, stage === 'rectification' ? 'exit_in_progress' : stage);
    },
  },
];

/** The scenario for the i-th case: a fixed rotation by weight, so every path is taken. */
export function scenarioFor(i: number): Scenario {
  const wheel = SCENARIOS.flatMap((s) => Array.from({ length: s.weight }, () => s));
  return wheel[i % wheel.length]!;
}
