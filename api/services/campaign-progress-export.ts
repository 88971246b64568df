import ExcelJS from 'exceljs';
import { EXIT_METHOD_NAMES_ZH } from '../../domain/capacity-exit';
import { INDUSTRY_NAMES_ZH, type Industry } from '../../domain/model';
import { type Progress, type ProgressLine, reasonZh } from '../../domain/progress';
import { BOM, csvLine } from './public-lists';

/**
 * The progress ledger as the offices read it in Excel: a CSV (UTF-8 with BOM, one table) and an
 * XLSX (a sheet each for the totals, the sub-divisions, the lagging sub-divisions and the basis of
 * the figures). Column headers are defined once here for both.
 */

type Cell = string | number | null;

const industryZh = (industry: string) => INDUSTRY_NAMES_ZH[industry as Industry] ?? industry;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Why a sub-division lags, in the words of a 通报 (one wording, shared with the reports upward). */
export { reasonZh };

const LINE_COLUMNS: { zh: string; width: number; cell: (l: ProgressLine | undefined) => Cell; share?: true }[] = [
  { zh: '行业', width: 10, cell: (l) => (l ? industryZh(l.industry) : null) },
  { zh: '计量单位', width: 10, cell: (l) => l?.unit ?? null },
  { zh: '目标产能', width: 10, cell: (l) => l?.target?.capacity ?? null },
  { zh: '目标企业数', width: 10, cell: (l) => l?.target?.enterprises ?? null },
  { zh: '目标设备数', width: 10, cell: (l) => l?.target?.facilities ?? null },
  { zh: '已退出产能', width: 10, cell: (l) => l?.retired.capacity ?? null },
  { zh: `其中${EXIT_METHOD_NAMES_ZH.dismantled}`, width: 10, cell: (l) => l?.retired.byHow.dismantled ?? null },
  { zh: `其中${EXIT_METHOD_NAMES_ZH.sealed}`, width: 10, cell: (l) => l?.retired.byHow.sealed ?? null },
  { zh: `其中${EXIT_METHOD_NAMES_ZH.emergency_backup}`, width: 14, cell: (l) => l?.retired.byHow.emergency_backup ?? null },
  { zh: '已退出企业数', width: 10, cell: (l) => l?.retired.enterprises ?? null },
  { zh: '已退出设备数', width: 10, cell: (l) => l?.retired.facilities ?? null },
  { zh: '剩余产能', width: 10, cell: (l) => l?.remaining?.capacity ?? null },
  { zh: '剩余企业数', width: 10, cell: (l) => l?.remaining?.enterprises ?? null },
  { zh: '剩余设备数', width: 10, cell: (l) => l?.remaining?.facilities ?? null },
  { zh: '完成比例', width: 10, cell: (l) => l?.share ?? null, share: true },
];

const REGION_HEAD = ['行政区划代码', '地区'];
const REGION_TAIL = ['地区未结案件数', '地区逾期案件数', '进展较慢', '原因'];

/** Every line of a region, or one empty line for a region with neither target nor exit. */
const linesOrBlank = (lines: ProgressLine[]): (ProgressLine | undefined)[] => (lines.length ? lines : [undefined]);

/** The rows of the ledger as one table: the totals (合计), then each sub-division (分地区). */
function tableRows(p: Progress): { head: string[]; rows: Cell[][] } {
  const head = ['统计截止日期', '范围', ...REGION_HEAD, ...LINE_COLUMNS.map((c) => c.zh), ...REGION_TAIL];
  const line = (l: ProgressLine | undefined) => LINE_COLUMNS.map((c) => (c.share && typeof c.cell(l) === 'number' ? percent(c.cell(l) as number) : c.cell(l)));
  const totals = linesOrBlank(p.totals).map((l) => [p.asOf, '合计', p.division, p.name, ...line(l), p.cases.open, p.cases.overdue, null, null]);
  const regions = p.subdivisions.flatMap((s) =>
    linesOrBlank(s.lines).map((l) => [p.asOf, '分地区', s.division, s.name, ...line(l), s.cases.open, s.cases.overdue, s.lagging ? '是' : '否', s.reasons.map(reasonZh).join('；')]),
  );
  return { head, rows: [...totals, ...regions] };
}

export function progressCsv(p: Progress): Buffer {
  const { head, rows } = tableRows(p);
  const text = [head, ...rows].map((r) => csvLine(r.map((c) => (c === null ? '' : String(c))))).join('');
  return Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
}

export const SHEETS = { totals: '目标完成情况', subdivisions: '分地区进度', lagging: '进展较慢地区', basis: '统计口径' } as const;

export async function progressXlsx(p: Progress & { campaignId: string; policy: { version: string } }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(`${p.asOf}T00:00:00+08:00`);

  const lineCells = (l: ProgressLine | undefined) => LINE_COLUMNS.map((c) => c.cell(l));
  const shareFormat = (ws: ExcelJS.Worksheet, offset: number) => {
    ws.getColumn(offset + LINE_COLUMNS.findIndex((c) => c.share) + 1).numFmt = '0.0%';
  };

  const totals = wb.addWorksheet(SHEETS.totals);
  totals.columns = LINE_COLUMNS.map((c) => ({ header: c.zh, width: c.width }));
  for (const l of p.totals) totals.addRow(lineCells(l));
  shareFormat(totals, 0);

  const regions = wb.addWorksheet(SHEETS.subdivisions);
  regions.columns = [...REGION_HEAD, ...LINE_COLUMNS.map((c) => c.zh), ...REGION_TAIL].map((header, i) => ({ header, width: i === 1 ? 18 : i === REGION_HEAD.length + LINE_COLUMNS.length + 3 ? 60 : 10 }));
  for (const s of p.subdivisions) {
    for (const l of linesOrBlank(s.lines)) regions.addRow([s.division, s.name, ...lineCells(l), s.cases.open, s.cases.overdue, s.lagging ? '是' : '否', s.reasons.map(reasonZh).join('；')]);
  }
  shareFormat(regions, REGION_HEAD.length);

  const lagging = wb.addWorksheet(SHEETS.lagging);
  lagging.columns = [...REGION_HEAD, '原因'].map((header, i) => ({ header, width: i === 2 ? 80 : 18 }));
  for (const s of p.lagging) lagging.addRow([s.division, s.name, s.reasons.map(reasonZh).join('；')]);

  const basis = wb.addWorksheet(SHEETS.basis);
  basis.columns = [{ header: '项目', width: 24 }, { header: '内容', width: 80 }];
  for (const row of [
    ['工作', `${p.name} ${p.year}年度淘汰落后产能工作（${p.campaignId}）`],
    ['适用政策', p.policy.version],
    ['统计截止日期', p.asOf],
    ['退出期间', `${p.pace.from} 至 ${p.pace.by}`],
    ['截至统计日应完成比例', percent(p.pace.expectedShare)],
    ['进展较慢标准', `退出比例低于应完成比例的${percent(p.pace.factor)}（即${percent(p.pace.laggingBelow)}）${p.pace.isDefault ? '；系统默认值，文件未规定' : ''}，或有逾期未办结案件`],
    ['口径', `按设备计量单位分别统计，不同单位不相加；${EXIT_METHOD_NAMES_ZH.sealed}、${EXIT_METHOD_NAMES_ZH.emergency_backup}均计为已退出（30号文（九））`],
  ]) {
    basis.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
