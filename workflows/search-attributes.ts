import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * exitflow's custom search attributes, so operators can filter every case in Temporal UI
 * ("Henan, steel, energy, overdue, deadline before June").
 * SQL visibility has fixed slots per type (Keyword 10, Datetime 3, Bool 3, KeywordList 3, …);
 * this list stays within them (Keyword: 9 of 10).
 */
export const SA = {
  /** 6-digit GB/T 2260 division code of the enterprise (行政区划代码). */
  region: defineSearchAttributeKey('ExitflowRegion', SearchAttributeType.KEYWORD),
  /** The division code and all its ancestors (county, city, province), to filter a province's cases. */
  regionPath: defineSearchAttributeKey('ExitflowRegionPath', SearchAttributeType.KEYWORD_LIST),
  industry: defineSearchAttributeKey('ExitflowIndustry', SearchAttributeType.KEYWORD),
  /** energy | environment | quality | safety | technology. */
  dimension: defineSearchAttributeKey('ExitflowDimension', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('ExitflowStage', SearchAttributeType.KEYWORD),
  /** The next legal deadline of the case (整改期限 and the like). */
  deadline: defineSearchAttributeKey('ExitflowDeadline', SearchAttributeType.DATETIME),
  /** Unified social credit code (统一社会信用代码). */
  creditCode: defineSearchAttributeKey('ExitflowCreditCode', SearchAttributeType.KEYWORD),
  overdue: defineSearchAttributeKey('ExitflowOverdue', SearchAttributeType.BOOL),
  department: defineSearchAttributeKey('ExitflowDepartment', SearchAttributeType.KEYWORD),
  policyVersion: defineSearchAttributeKey('ExitflowPolicyVersion', SearchAttributeType.KEYWORD),
  /** The enterprise's name (企业名称), set when a case starts (and a public report names one), to show and filter the list. */
  enterprise: defineSearchAttributeKey('ExitflowEnterprise', SearchAttributeType.KEYWORD),
  /** Who is awaited now: enterprise | department | government | office | none (workflows/ui-texts.ts AWAITING). */
  awaiting: defineSearchAttributeKey('ExitflowAwaiting', SearchAttributeType.KEYWORD),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

/** The type names `temporal server start-dev --search-attribute Name=Type` accepts. */
const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `Name=Type` pairs for the dev server's `--search-attribute` flags. */
export function searchAttributeCliArgs(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPE_NAMES[k.type]}`]);
}
