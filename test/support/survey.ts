import ExcelJS from 'exceljs';
import { SURVEY_COLUMNS, type SurveyKey } from '../../domain/survey';
import { toLegalDate } from '../../domain/deadlines';
import { randomCreditCode } from './fixtures';

/** One row of a survey upload, keyed by the template's column keys. */
export type SurveyRow = Partial<Record<SurveyKey, string | number | boolean>>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A good row: one facility of a steel enterprise in `regionCode` (a county of `city`), an energy
 * finding served today, to exit this year; `over` changes what a test is about.
 */
export function surveyRow(place: { city: string; regionCode: string; name: string; caseNumberPrefix: string }, over: SurveyRow = {}): SurveyRow {
  return {
    creditCode: randomCreditCode(place.city),
    name: place.name,
    regionCode: place.regionCode,
    industry: 'steel',
    contactName: '王经理',
    contactEmail: 'compliance@steel.example.cn',
    facilityId: 'BF-1',
    facilityName: '1号高炉 400m³',
    facilityKind: 'equipment',
    capacity: 30,
    unit: '万吨/年',
    dimension: 'energy',
    department: 'industry_it',
    legalBasis: '《节约能源法》; 工信部联产业〔2017〕30号',
    serious: '否',
    caseNumber: `${place.caseNumberPrefix}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    noticeServedOn: toLegalDate(new Date().toISOString()),
    treatment: 'exit',
    ...over,
  };
}

/** The sheet of `rows` under Chinese headers (or the given keys' headers), as a real XLSX or CSV written by exceljs. */
export async function surveySheet(rows: SurveyRow[], format: 'xlsx' | 'csv', keys: SurveyKey[] = SURVEY_COLUMNS.map((c) => c.key)): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('摸底排查');
  ws.addRow(keys.map((k) => SURVEY_COLUMNS.find((c) => c.key === k)!.zh));
  for (const r of rows) ws.addRow(keys.map((k) => r[k] ?? null));
  return Buffer.from(format === 'xlsx' ? await wb.xlsx.writeBuffer() : await wb.csv.writeBuffer({ formatterOptions: { writeBOM: true } }));
}
