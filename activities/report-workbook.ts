import ExcelJS from 'exceljs';
import type { Ledger } from '../db/ledger';
import { EXIT_METHOD_NAMES_ZH, type ExitMethod } from '../domain/capacity-exit';
import { INDUSTRY_NAMES_ZH, type Industry } from '../domain/model';
import { type ProgressLine, reasonZh } from '../domain/progress';
import { STAGE_NAMES_ZH, type Stage } from '../domain/stages';

/**
 * A report upward (报送) as stored with its draft, and the one workbook made of it: the XLSX the mail
 * carries and the API serves are the same bytes' worth of figures, drawn from what the draft stored
 * (never recomputed, so the report reads as it did on the day it was sent).
 */

/** One facility (设备/生产线) whose capacity exited. */
export interface ExitedFacility {
  id: string;
  name: string;
  kind: string;
  capacity: number;
  unit: string;
}

/** The case a row of the report is about: both the exits and the open cases name it so. */
export interface ReportCase {
  caseId: string;
  caseNumber: string;
  enterprise: string;
  creditCode: string;
  region: string;
  regionName: string;
  industry: string;
}

/** Capacity of one case that exited by the cut-off, in one unit. */
export interface ReportExit extends ReportCase {
  unit: string;
  capacity: number;
  /** As it stood on the cut-off (dismantled later: still sealed then). */
  how: ExitMethod;
  exitedOn: string;
  facilities: ExitedFacility[];
}

/** A case still open at the cut-off, and why: where it stood and whether its deadline had passed. */
export interface ReportOpenCase extends ReportCase {
  /** Its stage at the end of the cut-off day. */
  stage: string;
  deadline: string | null;
  overdue: boolean;
}

/** Everything a draft shows, stored with it (campaign_report_drafts.figures). */
export interface ReportFigures {
  campaignId: string;
  reportId: string;
  nameZh: string;
  division: string;
  divisionName: string;
  year: number;
  draft: number;
  cutOff: string;
  draftedOn: string;
  policy: { id: string; version: string };
  ledger: Ledger;
  exits: ReportExit[];
  openCases: ReportOpenCase[];
}

export const REPORT_SHEETS = { totals: '汇总', subdivisions: '分地区', exits: '退出企业及设备', openCases: '未办结案件', basis: '报告说明' } as const;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const industryZh = (industry: string) => INDUSTRY_NAMES_ZH[industry as Industry] ?? industry;
const stageZh = (stage: string) => STAGE_NAMES_ZH[stage as Stage] ?? stage;
const KIND_ZH: Record<string, string> = { equipment: '设备', production_line: '生产线' };

type Cell = string | number | null;

const TOTAL_COLUMNS: { zh: string; cell: (l: ProgressLine) => Cell }[] = [
  { zh: '行业', cell: (l) => industryZh(l.industry) },
  { zh: '计量单位', cell: (l) => l.unit },
  { zh: '目标产能', cell: (l) => l.target?.capacity ?? null },
  { zh: '已退出产能', cell: (l) => l.retired.capacity },
  { zh: `其中${EXIT_METHOD_NAMES_ZH.dismantled}`, cell: (l) => l.retired.byHow.dismantled },
  { zh: `其中${EXIT_METHOD_NAMES_ZH.sealed}`, cell: (l) => l.retired.byHow.sealed },
  { zh: `其中${EXIT_METHOD_NAMES_ZH.emergency_backup}`, cell: (l) => l.retired.byHow.emergency_backup },
  { zh: '剩余产能', cell: (l) => l.remaining?.capacity ?? null },
  { zh: '已退出企业数', cell: (l) => l.retired.enterprises },
  { zh: '已退出设备数', cell: (l) => l.retired.facilities },
  { zh: '完成比例', cell: (l) => l.share },
];

/** A sheet with Chinese headers, bold and frozen, and its rows. */
function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Cell[][], widths: Record<number, number> = {}): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((header, i) => ({ header, width: widths[i] ?? 12 }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  return ws;
}

/** The report's workbook: totals, sub-divisions, exited enterprises and their facilities, open cases, and what it is. */
export async function reportWorkbook(f: ReportFigures): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  // Dated by the draft, not by the moment it is drawn: the same draft makes the same workbook.
  wb.created = wb.modified = new Date(`${f.draftedOn}T00:00:00+08:00`);
  wb.creator = 'exitflow';

  const totals = sheet(wb, REPORT_SHEETS.totals, TOTAL_COLUMNS.map((c) => c.zh), f.ledger.totals.map((l) => TOTAL_COLUMNS.map((c) => c.cell(l))));
  totals.getColumn(TOTAL_COLUMNS.length).numFmt = '0.0%';

  const regionRows = f.ledger.subdivisions.flatMap((s) => {
    const tail = [s.cases.open, s.cases.overdue, s.lagging ? '是' : '否', s.reasons.map(reasonZh).join('；')];
    if (!s.lines.length) return [[s.division, s.name, null, null, null, null, null, null, ...tail]];
    return s.lines.map((l) => [s.division, s.name, industryZh(l.industry), l.unit, l.target?.capacity ?? null, l.retired.capacity, l.remaining?.capacity ?? null, l.share, ...tail]);
  });
  const regions = sheet(wb, REPORT_SHEETS.subdivisions, ['行政区划代码', '地区', '行业', '计量单位', '目标产能', '已退出产能', '剩余产能', '完成比例', '未办结案件数', '逾期案件数', '进展较慢', '原因'], regionRows, { 1: 16, 11: 60 });
  regions.getColumn(8).numFmt = '0.0%';

  const exitRows = f.exits.flatMap((e) =>
    e.facilities.map((x) => [e.enterprise, e.creditCode, e.region, e.regionName, industryZh(e.industry), x.id, x.name, KIND_ZH[x.kind] ?? x.kind, x.capacity, x.unit, EXIT_METHOD_NAMES_ZH[e.how], e.exitedOn, e.caseNumber]),
  );
  sheet(wb, REPORT_SHEETS.exits, ['企业名称', '统一社会信用代码', '行政区划代码', '地区', '行业', '设备/生产线编号', '设备/生产线名称', '类型', '产能', '计量单位', '退出方式', '退出日期', '案件编号'], exitRows, { 0: 28, 1: 22, 6: 20 });

  const caseRows = f.openCases.map((c) => [c.caseNumber, c.enterprise, c.creditCode, c.region, c.regionName, industryZh(c.industry), stageZh(c.stage), c.deadline, c.overdue ? '是' : '否']);
  sheet(wb, REPORT_SHEETS.openCases, ['案件编号', '企业名称', '统一社会信用代码', '行政区划代码', '地区', '行业', '所处阶段', '办理期限', '是否逾期'], caseRows, { 1: 28, 2: 22 });

  sheet(
    wb,
    REPORT_SHEETS.basis,
    ['项目', '内容'],
    [
      ['报告', f.nameZh],
      ['报送单位', `${f.divisionName}（${f.division}）`],
      ['工作', `${f.divisionName} ${f.year}年度淘汰落后产能工作（${f.campaignId}）`],
      ['统计截止日期', f.cutOff],
      ['稿次', `第${f.draft}稿`],
      ['起草日期', f.draftedOn],
      ['适用政策', f.policy.version],
      ['口径', `按设备计量单位分别统计，不同单位不相加；${EXIT_METHOD_NAMES_ZH.sealed}、${EXIT_METHOD_NAMES_ZH.emergency_backup}均计为已退出（30号文（九））；数据为统计截止日期当日结束时的状态，随报告保存，不再重新计算`],
    ],
    { 1: 90 },
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The file name the mail and the download give the workbook (ASCII: every mail client keeps it). */
export const reportFileName = (f: Pick<ReportFigures, 'campaignId' | 'reportId' | 'draft'>) => `report-${f.campaignId}-${f.reportId}-draft${f.draft}.xlsx`;
