import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { DEPARTMENT_NAMES_ZH, DIMENSION_NAMES_ZH, INDUSTRY_NAMES_ZH } from '../../domain/model';
import { STAGE_NAMES_ZH } from '../../domain/stages';
import type { CaseSummary } from './case-list';
import { BOM, csvLine } from './public-lists';

/**
 * The officials' case list as they read it in Excel: a CSV (UTF-8 with BOM) and an XLSX of one
 * sheet, the same columns in both, defined once here (as the campaign's ledger export does).
 */

type Summary = z.infer<typeof CaseSummary>;
type Cell = string | number | null;

const zh = (table: Record<string, string>, code: string) => table[code] ?? code;

const COLUMNS: { zh: string; width: number; cell: (c: Summary) => Cell }[] = [
  { zh: '案号', width: 20, cell: (c) => c.caseNumber },
  { zh: '企业名称', width: 32, cell: (c) => c.enterpriseName },
  { zh: '统一社会信用代码', width: 22, cell: (c) => c.creditCode },
  { zh: '行政区划代码', width: 12, cell: (c) => c.regionCode },
  { zh: '行业', width: 10, cell: (c) => zh(INDUSTRY_NAMES_ZH, c.industry) },
  { zh: '维度', width: 10, cell: (c) => zh(DIMENSION_NAMES_ZH, c.dimension) },
  { zh: '主管部门', width: 14, cell: (c) => zh(DEPARTMENT_NAMES_ZH, c.department) },
  { zh: '阶段', width: 14, cell: (c) => zh(STAGE_NAMES_ZH, c.stage) },
  { zh: '期限', width: 12, cell: (c) => c.deadline },
  { zh: '是否逾期', width: 8, cell: (c) => (c.overdue ? '是' : '否') },
  { zh: '重点行业', width: 8, cell: (c) => (c.focusIndustry ? '是' : '否') },
  { zh: '立案时间', width: 20, cell: (c) => c.openedAt },
  { zh: '案件编号', width: 48, cell: (c) => c.caseId },
];

/** The column headings, in order (tests read them back). */
export const CASE_EXPORT_HEADINGS = COLUMNS.map((c) => c.zh);

export function casesCsv(cases: Summary[]): Buffer {
  const lines = [CASE_EXPORT_HEADINGS, ...cases.map((c) => COLUMNS.map((col) => String(col.cell(c) ?? '')))];
  return Buffer.concat([BOM, Buffer.from(lines.map(csvLine).join(''), 'utf8')]);
}

export const CASES_SHEET = '案件清单';

export async function casesXlsx(cases: Summary[], asOf: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = asOf;
  const ws = wb.addWorksheet(CASES_SHEET);
  ws.columns = COLUMNS.map((c) => ({ header: c.zh, width: c.width }));
  for (const c of cases) ws.addRow(COLUMNS.map((col) => col.cell(c)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
