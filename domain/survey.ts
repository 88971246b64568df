import { z } from 'zod';
import { enforcingDepartments, measureRefusal } from './authority';
import { futureFact } from './calendar';
import { OpenCase } from './case';
import { creditCodeCheckCharacter } from './credit-code';
import { RegisterEnterprise, type RuleParams } from './enterprise';
import { covers } from './jurisdiction';
import { DEPARTMENT_NAMES_ZH, DEPARTMENTS, DIMENSION_NAMES_ZH, DIMENSIONS, INDUSTRIES, INDUSTRY_NAMES_ZH } from './model';
import { policyFor } from './policy';
import type { Decision, Principal } from './roles';

/**
 * The campaign's survey (摸底排查): one row per surveyed facility, with its enterprise, the finding
 * and the proposed treatment. A row is checked by the very schemas of `POST /enterprises`
 * (RegisterEnterprise) and `POST /cases` (OpenCase), so a surveyed case is no different from one an
 * official opens.
 */

/** 处置: rectify (整改) or exit this year (当年退出); only exits count towards the target list. */
export const TREATMENTS = ['rectify', 'exit'] as const;
export type Treatment = (typeof TREATMENTS)[number];
const TREATMENT_NAMES_ZH: Record<Treatment, string> = { rectify: '整改', exit: '当年退出' };

const KIND_NAMES_ZH = { equipment: '设备', production_line: '生产线' } as const;
const MEASURE_NAMES_ZH = { restrict_production: '限制生产', suspend_production: '停产整治' } as const;

/** A column of the survey sheet: its key (the English header), its Chinese header, and an example. */
export interface SurveyColumn {
  key: string;
  zh: string;
  required: boolean;
  example: string | number;
  note: string;
}

export const SURVEY_COLUMNS = [
  { key: 'creditCode', zh: '统一社会信用代码', required: true, example: '91410100MA4000X7QR', note: '18位 (GB 32100-2015)' },
  { key: 'name', zh: '企业名称', required: true, example: '开封市某某钢铁有限公司', note: '' },
  { key: 'regionCode', zh: '行政区划代码', required: true, example: '410202', note: '6位 (GB/T 2260)，须在本次工作的地区内' },
  { key: 'industry', zh: '行业', required: true, example: '钢铁', note: `代码或中文：${INDUSTRIES.map((i) => `${i}/${INDUSTRY_NAMES_ZH[i]}`).join('，')}` },
  { key: 'contactName', zh: '联系人', required: true, example: '王经理', note: '' },
  { key: 'contactEmail', zh: '联系邮箱', required: true, example: 'compliance@steel.example.cn', note: '' },
  { key: 'facilityId', zh: '设施编号', required: true, example: 'BF-2', note: '字母、数字、_或-，至多32位' },
  { key: 'facilityName', zh: '设施名称', required: true, example: '2号高炉 450m³', note: '' },
  { key: 'facilityKind', zh: '类型', required: true, example: 'equipment', note: 'equipment/设备，production_line/生产线' },
  { key: 'capacity', zh: '产能', required: true, example: 40, note: '正数' },
  { key: 'unit', zh: '单位', required: true, example: '万吨/年', note: '' },
  { key: 'dimension', zh: '不达标类别', required: true, example: 'energy', note: `代码或中文：${DIMENSIONS.map((d) => `${d}/${DIMENSION_NAMES_ZH[d]}`).join('，')}` },
  { key: 'department', zh: '执法部门', required: true, example: 'industry_it', note: `代码或中文：${DEPARTMENTS.map((d) => `${d}/${DEPARTMENT_NAMES_ZH[d]}`).join('，')}` },
  { key: 'legalBasis', zh: '法律依据', required: true, example: '《节约能源法》; 工信部联产业〔2017〕30号', note: '' },
  { key: 'serious', zh: '是否情节严重', required: false, example: '否', note: '是/否（仅环保类）' },
  { key: 'measure', zh: '措施', required: false, example: '', note: '政策由部门选择时必填：restrict_production/限制生产，suspend_production/停产整治' },
  { key: 'caseNumber', zh: '文书编号', required: true, example: 'KFGX-2027-001', note: '同一企业同一文书编号的多行为一个案件' },
  { key: 'noticeServedOn', zh: '送达日期', required: true, example: '2027-03-02', note: 'YYYY-MM-DD，不晚于今日' },
  { key: 'treatment', zh: '处置', required: true, example: '当年退出', note: 'rectify/整改，exit/当年退出' },
] as const satisfies readonly SurveyColumn[];

export type SurveyKey = (typeof SURVEY_COLUMNS)[number]['key'];
const COLUMN_BY_KEY = new Map<string, SurveyColumn>(SURVEY_COLUMNS.map((c) => [c.key, c]));
/**
 * The template's example row for a campaign: the campaign's own division and a credit code registered
 * there (valid check character), served today, so the template re-uploads as a valid dry run.
 */
export function exampleRow(division: string, today: string): (string | number)[] {
  const first17 = `91${division}MA4000X7Q`;
  const own: Partial<Record<SurveyKey, string>> = { creditCode: first17 + creditCodeCheckCharacter(first17), regionCode: division, noticeServedOn: today };
  return SURVEY_COLUMNS.map((c) => own[c.key] ?? c.example);
}

const KEY_BY_HEADER = new Map<string, SurveyKey>(SURVEY_COLUMNS.flatMap((c) => [[c.zh, c.key], [c.key.toLowerCase(), c.key]] as const));

/** The column a header names (Chinese or the English key, case and spaces ignored), or undefined. */
export function columnOfHeader(header: string): SurveyKey | undefined {
  const h = header.trim();
  return KEY_BY_HEADER.get(h) ?? KEY_BY_HEADER.get(h.toLowerCase().replace(/\s+/g, ''));
}

export const columnZh = (key: string) => COLUMN_BY_KEY.get(key)?.zh ?? key;

/** A cell as read from the sheet: text, a number, a boolean or a date. */
export type Cell = string | number | boolean | Date | null | undefined;
export type SurveyCells = Partial<Record<SurveyKey, Cell>>;

/** One broken rule in one row and column. */
export interface RowError {
  /** The row of the sheet (1-based, as the spreadsheet shows it). */
  row: number;
  /** The key of the column (English); `column` is its Chinese header. */
  field: string;
  column: string;
  rule: string;
  message: string;
  messageZh?: string;
}

/** A row that passed every rule of its own: the enterprise and the finding as the API takes them. */
export interface SurveyRow {
  row: number;
  enterprise: RegisterEnterprise;
  finding: OpenCase;
  treatment: Treatment;
}

function asText(v: Cell): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString().slice(0, 10);
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** A code, or its Chinese name, as the code (the text unchanged when it is neither: the schema then names the rule). */
function codeOf<C extends string>(v: string | undefined, names: Record<C, string>): string | undefined {
  if (v === undefined) return undefined;
  if (v in names) return v;
  const byName = (Object.entries(names) as [C, string][]).find(([, zh]) => zh === v || zh.replace(/(部门|机构)$/, '') === v);
  return byName ? byName[0] : v;
}

function booleanOf(v: Cell): boolean | string | undefined {
  if (typeof v === 'boolean') return v;
  const s = asText(v);
  if (s === undefined) return undefined;
  if (['是', 'true', 'yes', 'y', '1'].includes(s.toLowerCase())) return true;
  if (['否', 'false', 'no', 'n', '0'].includes(s.toLowerCase())) return false;
  return s;
}

function numberOf(v: Cell): number | string | undefined {
  if (typeof v === 'number') return v;
  const s = asText(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) && s !== '' ? n : s;
}

/** The schema's path (`contact.email`, `facilities.0.id`, `facilityIds.0`) as the survey's column. */
const COLUMN_OF_PATH: Record<string, SurveyKey> = {
  'contact.name': 'contactName',
  'contact.email': 'contactEmail',
  'facilities.0.id': 'facilityId',
  'facilities.0.name': 'facilityName',
  'facilities.0.kind': 'facilityKind',
  'facilities.0.capacity': 'capacity',
  'facilities.0.unit': 'unit',
  'facilityIds.0': 'facilityId',
};

function issuesOf(row: number, error: z.ZodError, input: Record<string, unknown>): RowError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = COLUMN_OF_PATH[path] ?? path;
    const params = (issue as { params?: Partial<RuleParams> }).params;
    let value: unknown = input;
    for (const k of issue.path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
    if (value === undefined && issue.code !== 'custom') return { row, field, column: columnZh(field), rule: 'required', message: 'is required', messageZh: '必填' };
    return { row, field, column: columnZh(field), rule: params?.rule ?? issue.code, message: issue.message, ...(params?.zh ? { messageZh: params.zh } : {}) };
  });
}

const ruleError = (row: number, field: SurveyKey, rule: string, message: string, messageZh: string): RowError => ({ row, field, column: columnZh(field), rule, message, messageZh });

/**
 * Check one row by itself: the enterprise and finding schemas of the API, the treatment, and the
 * rules openCase applies that need no database (the department enforces the dimension in the row's
 * region, the measure, a notice not served in the future), and that the row lies in the campaign's
 * division.
 */
export function checkRow(row: number, cells: SurveyCells, campaignDivision: string, today: string): { ok: SurveyRow } | { errors: RowError[] } {
  const t = (k: SurveyKey) => asText(cells[k]);
  const enterpriseInput = {
    creditCode: t('creditCode'),
    name: t('name'),
    regionCode: t('regionCode'),
    industry: codeOf(t('industry'), INDUSTRY_NAMES_ZH),
    contact: { name: t('contactName'), email: t('contactEmail') },
    facilities: [{ id: t('facilityId'), name: t('facilityName'), kind: codeOf(t('facilityKind'), KIND_NAMES_ZH), capacity: numberOf(cells.capacity), unit: t('unit') }],
  };
  const findingInput = {
    creditCode: t('creditCode'),
    caseNumber: t('caseNumber'),
    dimension: codeOf(t('dimension'), DIMENSION_NAMES_ZH),
    department: codeOf(t('department'), DEPARTMENT_NAMES_ZH),
    legalBasis: t('legalBasis'),
    noticeServedOn: t('noticeServedOn'),
    serious: booleanOf(cells.serious) ?? false,
    ...(t('measure') ? { measure: codeOf(t('measure'), MEASURE_NAMES_ZH) } : {}),
    facilityIds: [t('facilityId')],
  };
  const enterprise = RegisterEnterprise.safeParse(enterpriseInput);
  const finding = OpenCase.safeParse(findingInput);
  const errors: RowError[] = [];
  if (!enterprise.success) errors.push(...issuesOf(row, enterprise.error, enterpriseInput));
  // The credit code and facility id are checked once, as the enterprise's.
  if (!finding.success) errors.push(...issuesOf(row, finding.error, findingInput).filter((e) => e.field !== 'creditCode' && e.field !== 'facilityId'));
  const treatment = codeOf(t('treatment'), TREATMENT_NAMES_ZH);
  if (treatment === undefined) errors.push(ruleError(row, 'treatment', 'required', 'is required', '必填'));
  else if (!(TREATMENTS as readonly string[]).includes(treatment)) errors.push(ruleError(row, 'treatment', 'treatment_known', 'must be rectify (整改) or exit (当年退出)', '处置应为整改或当年退出'));
  if (enterprise.success && !covers(campaignDivision, enterprise.data.regionCode)) {
    errors.push(ruleError(row, 'regionCode', 'within_campaign_division', `${enterprise.data.regionCode} is outside the campaign's division ${campaignDivision}`, `行政区划不在本次工作的地区（${campaignDivision}）内`));
  }
  if (enterprise.success && finding.success) {
    const policy = policyFor(enterprise.data.regionCode);
    const enforcing = enforcingDepartments(policy, finding.data.dimension);
    if (!enforcing.includes(finding.data.department)) {
      errors.push(ruleError(row, 'department', 'department_enforces_dimension', `${finding.data.department} does not enforce the ${finding.data.dimension} standard in ${policy.nameZh} (allowed: ${enforcing.join(', ')})`, '该部门不负责此类标准的执法'));
    }
    const measure = measureRefusal(policy, finding.data);
    if (measure) errors.push(ruleError(row, 'measure', measure.rule, measure.message, measure.messageZh));
    const later = futureFact('noticeServedOn', finding.data.noticeServedOn, today);
    if (later) errors.push(ruleError(row, 'noticeServedOn', later.rule, later.message, later.messageZh));
  }
  if (errors.length || !enterprise.success || !finding.success) return { errors };
  return { ok: { row, enterprise: enterprise.data, finding: finding.data, treatment: treatment as Treatment } };
}

/** The columns a header row lacks (a required column missing is one error for the sheet, not one per row). */
export function missingColumns(present: ReadonlySet<string>, headerRow: number): RowError[] {
  return SURVEY_COLUMNS.filter((c) => c.required && !present.has(c.key)).map((c) => ({ row: headerRow, field: c.key, column: c.zh, rule: 'column_required', message: `the column ${c.key} (${c.zh}) is missing`, messageZh: `缺少必填列「${c.zh}」` }));
}

/**
 * The rows of one enterprise agree on the enterprise (name, division, industry, contact), and a
 * notice (文书编号) covering several facilities states one finding; each facility is surveyed once.
 */
export function crossRowErrors(rows: readonly SurveyRow[]): RowError[] {
  const errors: RowError[] = [];
  const firstOf = new Map<string, SurveyRow>();
  const facilities = new Map<string, number>();
  const cases = new Map<string, SurveyRow>();
  const sameEnterprise = (a: RegisterEnterprise, b: RegisterEnterprise) =>
    a.name === b.name && a.regionCode === b.regionCode && a.industry === b.industry && a.contact.name === b.contact.name && a.contact.email === b.contact.email;
  const sameFinding = (a: SurveyRow, b: SurveyRow) =>
    a.finding.dimension === b.finding.dimension && a.finding.department === b.finding.department && a.finding.legalBasis === b.finding.legalBasis &&
    a.finding.noticeServedOn === b.finding.noticeServedOn && a.finding.serious === b.finding.serious && a.finding.measure === b.finding.measure && a.treatment === b.treatment;
  for (const r of rows) {
    const code = r.enterprise.creditCode;
    const first = firstOf.get(code);
    if (!first) firstOf.set(code, r);
    else if (!sameEnterprise(first.enterprise, r.enterprise)) {
      errors.push(ruleError(r.row, 'name', 'enterprise_rows_agree', `the enterprise differs from row ${first.row} with the same credit code (name, division, industry or contact)`, `与第${first.row}行同一信用代码的企业信息不一致`));
    }
    const facilityKey = `${code}/${r.enterprise.facilities[0]!.id}`;
    const seen = facilities.get(facilityKey);
    if (seen !== undefined) errors.push(ruleError(r.row, 'facilityId', 'facility_surveyed_once', `the facility is already in row ${seen}`, `该设施已在第${seen}行`));
    else facilities.set(facilityKey, r.row);
    const caseKey = `${code}/${r.finding.caseNumber}`;
    const sameCase = cases.get(caseKey);
    if (!sameCase) cases.set(caseKey, r);
    else if (!sameFinding(sameCase, r)) {
      errors.push(ruleError(r.row, 'caseNumber', 'case_rows_agree', `the notice is in row ${sameCase.row} with another finding or treatment`, `与第${sameCase.row}行同一文书编号的认定或处置不一致`));
    }
  }
  return errors;
}

/** The survey is uploaded, and the targets set, by the coordination office of the campaign's division or one above it. */
export function mayManageSurvey(p: Pick<Principal, 'role' | 'jurisdiction'>, division: string): Decision {
  if (p.role !== 'coordination_office') return { allowed: false, reason: `role ${p.role} may not upload a survey or set targets (the coordination office does)` };
  if (!p.jurisdiction || !covers(p.jurisdiction, division)) return { allowed: false, reason: `division ${division} is outside jurisdiction ${p.jurisdiction ?? '(none)'}` };
  return { allowed: true };
}

/**
 * A case found by the survey is opened by the office that committed it, on the enforcing department's
 * finding (the row names the department); the enterprise must lie in the campaign's division.
 */
export function mayOpenSurveyedCase(p: Pick<Principal, 'role' | 'jurisdiction'>, campaignDivision: string, region: string): Decision {
  const office = mayManageSurvey(p, campaignDivision);
  if (!office.allowed) return office;
  if (!covers(campaignDivision, region)) return { allowed: false, reason: `${region} is outside the campaign's division ${campaignDivision}` };
  return { allowed: true };
}

/**
 * A large survey is committed in the background (a survey job): its id is the file's SHA-256 prefix
 * and its workflow's id follows from the campaign and the job, so the same file uploaded again is
 * the same job (nothing new is opened).
 */
export const surveyJobId = (fileSha256: string) => fileSha256.slice(0, 16);
export const surveyImportWorkflowId = (campaignId: string, jobId: string) => `survey-import-${campaignId}-${jobId}`;

/** What the survey-import workflow is started with: the stored file, and who committed it when. */
export interface SurveyImportInput {
  campaignId: string;
  /** The campaign's division: every case is opened within it (mayOpenSurveyedCase). */
  division: string;
  jobId: string;
  fileSha256: string;
  format: 'xlsx' | 'csv';
  /** The office that uploaded the file: the cases are opened in its name, as in a synchronous commit. */
  actor: Principal;
  requestId: string;
  command?: string;
}

export type SurveyJobStatus = 'running' | 'completed' | 'failed';
