import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnOfHeader, exampleRow, missingColumns, SURVEY_COLUMNS, type Cell, type RowError, type SurveyCells, type SurveyKey } from '../../domain/survey';
import { problems } from '../problem';

/**
 * The survey sheet (摸底排查表) as a file: the template the office fills in, and the rows of an
 * uploaded XLSX or CSV, read with exceljs. An XLSX is streamed (WorkbookReader: rows as they are
 * unzipped, no workbook model); a CSV is parsed by exceljs' reader (fast-csv) with every cell kept as text.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';
export type SheetFormat = 'xlsx' | 'csv';

const SHEET_NAME = '摸底排查';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Header, key row, example: the Chinese headers the office reads, the keys a program reads, one row to copy. */
function templateRows(division: string, today: string): (string | number)[][] {
  return [SURVEY_COLUMNS.map((c) => (c.required ? c.zh : `${c.zh}（选填）`)), SURVEY_COLUMNS.map((c) => c.key), exampleRow(division, today)];
}

/** The template for a campaign of `division` (its example row lies in the division), as XLSX or CSV (UTF-8 with a BOM). */
export async function surveyTemplate(format: SheetFormat, division: string, today: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET_NAME);
  for (const r of templateRows(division, today)) ws.addRow(r);
  if (format === 'csv') return Buffer.from(await wb.csv.writeBuffer({ formatterOptions: { writeBOM: true } }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(2).font = { italic: true, color: { argb: 'FF808080' } };
  SURVEY_COLUMNS.forEach((c, i) => {
    const column = ws.getColumn(i + 1);
    column.width = Math.max(14, c.zh.length * 2 + 4);
    // Codes and dates as text, so Excel neither rounds an all-digit credit code nor reformats a date.
    if (c.key !== 'capacity') column.numFmt = '@';
    ws.getCell(1, i + 1).note = c.note || c.key;
  });
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  const notes = wb.addWorksheet('填写说明');
  notes.addRow(['列', 'key', '必填', '说明']);
  for (const c of SURVEY_COLUMNS) notes.addRow([c.zh, c.key, c.required ? '是' : '否', c.note]);
  notes.addRow([]);
  notes.addRow(['第2行为英文列名，可保留或删除；示例行请替换为实际数据。每行一个设施；同一企业的多个设施各占一行，同一文书编号的多行为一个案件。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A cell's value as text, number, boolean or date (rich text joined, a formula's result, a hyperlink's text). */
function plain(v: unknown): Cell {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
  if (o.richText) return o.richText.map((t) => t.text).join('');
  if ('result' in o) return plain(o.result);
  if (o.text !== undefined) return plain(o.text);
  if (o.error) return o.error;
  return String(v);
}

export interface RawRow {
  number: number;
  values: Cell[];
}

async function* xlsxRows(content: Buffer): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let first = true;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      // Only the first sheet is the survey (the template's second explains the columns); the rest is read past.
      if (first) yield { number: row.number, values: (row.values as unknown[]).slice(1).map(plain) };
    }
    first = false;
  }
}

async function* csvRows(content: Buffer): AsyncGenerator<RawRow> {
  const body = content.subarray(0, 3).equals(BOM) ? content.subarray(3) : content;
  const wb = new ExcelJS.Workbook();
  // Every cell as text: the schemas decide what a value means (exceljs would turn 410202 into a number and 2027-03-02 into a Date).
  const ws = await wb.csv.read(Readable.from([body]), { map: (v: string) => v, parserOptions: { trim: false } } as Parameters<typeof wb.csv.read>[1]);
  for (let i = 1; i <= ws.rowCount; i++) {
    const row = ws.getRow(i);
    yield { number: i, values: (row.values as unknown[]).slice(1).map(plain) };
  }
}

/** The rows of the uploaded file; a file that is not what its type says is a 422 naming the body. */
export async function* sheetRows(content: Buffer, format: SheetFormat): AsyncGenerator<RawRow> {
  try {
    yield* format === 'xlsx' ? xlsxRows(content) : csvRows(content);
  } catch (err) {
    throw problems.validation([{ field: '(body)', rule: 'file_readable', message: `the ${format.toUpperCase()} file cannot be read: ${(err as Error).message}`.slice(0, 300), messageZh: `无法读取${format.toUpperCase()}文件` }]);
  }
}

const isBlank = (values: readonly Cell[]) => values.every((v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === ''));

/**
 * The survey rows of a file as cells by column key: the header row (Chinese headers or keys) is
 * found among the first rows, the key row under it is skipped, blank rows are ignored. A sheet
 * without a required column yields its errors (onHeader) and no rows.
 */
export async function* surveyCells(content: Buffer, format: SheetFormat, onHeader: (errors: RowError[]) => void): AsyncGenerator<{ row: number; cells: SurveyCells }> {
  let columns: (SurveyKey | undefined)[] | undefined;
  let afterHeader = false;
  for await (const raw of sheetRows(content, format)) {
    if (isBlank(raw.values)) continue;
    if (!columns) {
      const mapped = raw.values.map((v) => (v === undefined || v === null ? undefined : columnOfHeader(String(v).replace(/（选填）$/, ''))));
      if (!mapped.some(Boolean)) continue;
      const errors = missingColumns(new Set(mapped.filter(Boolean) as string[]), raw.number);
      onHeader(errors);
      if (errors.length) return;
      columns = mapped;
      afterHeader = true;
      continue;
    }
    const keyRow = afterHeader && raw.values.every((v, i) => v === undefined || v === null || v === '' || v === columns![i]);
    afterHeader = false;
    if (keyRow) continue;
    const cells: SurveyCells = {};
    columns.forEach((key, i) => {
      if (key) cells[key] = raw.values[i];
    });
    yield { row: raw.number, cells };
  }
  if (!columns) onHeader([{ row: 1, field: '(header)', column: '(表头)', rule: 'header_row', message: 'no header row with the survey’s columns was found', messageZh: '未找到表头行' }]);
}
