import { z } from 'zod';
import { lazy } from '../lazy';
import { Department, Dimension, FacilityCategory, Industry } from '../model';
import { PeriodSchema } from '../deadlines';
import { PLATFORMS } from '../platforms';

/**
 * One region's rules for retiring backward capacity (落后产能退出), as data the case and campaign
 * workflows read. A policy is pinned to a case by `version`; changing a rule means a new version.
 * The national base follows 工信部联产业〔2017〕30号 (30号文); regions override it (domain/policy/regions).
 */

/** Who takes a decision. Regions name different bodies for the same step. */
export const Authority = lazy(() =>
  z.enum([
    'department', // the enforcing department itself (执法部门)
    'approving_government', // 有批准权的人民政府
    'local_government', // 当地/属地人民政府
    'county_or_above_government', // 县级及以上人民政府
    'city_government', // 省辖市人民政府、示范区管委会或省直管县（市）人民政府 (Henan)
  ]),
);
export type Authority = z.infer<typeof Authority>;

/** Bodies that must be informed (报备/抄送) of a decision. */
export const FilingBody = lazy(() =>
  z.enum([
    'provincial_development_reform', // 省发展改革委
    'provincial_industry_it', // 省工业和信息化厅
  ]),
);
export type FilingBody = z.infer<typeof FilingBody>;

export const SourceRef = lazy(() =>
  z.object({
    seed: z.string().regex(/\.txt$/), // file in /work/shared/seeds
    clause: z.string().min(1), // e.g. '二、（二）1.能耗方面'
  }),
);

/** Whether production stops at once when a case opens (停产/停业). */
export const Suspension = lazy(() =>
  z.enum([
    'immediate', // 立即停产停业整顿 / 责令停产整改
    'department_decides', // 限制生产、停产整治 or 限期整改: the department chooses per case
    'none', // production continues while rectifying
  ]),
);

export const ExtensionRule = lazy(() =>
  z.object({
    /** 延期 at most this many calendar months, measured from the original calendar deadline. */
    capMonths: z.number().int().positive(),
    maxCount: z.number().int().positive(),
    /** The application must reach the decider before the rectification deadline ends. */
    mustApplyBeforeDeadline: z.boolean(),
    decider: Authority,
    filings: z.array(FilingBody),
    /**
     * How long the decider has to answer an application. Seeds are silent; policies use working days,
     * as administrative decision periods are counted (cf. 行政许可法 第八十二条: 以工作日计算，不含法定节假日).
     */
    decisionWithin: PeriodSchema,
  }),
);

export const DimensionRule = lazy(() =>
  z.object({
    departments: z.array(Department).min(1),
    suspension: Suspension,
    /** 整改期限; null where the dimension has no rectification (technology: dismantle or seal). */
    rectification: z
      .object({
        /** `policy`: fixed by the policy; `department`: set per case, `months` being the default. */
        setBy: z.enum(['policy', 'department']),
        months: z.number().int().positive(),
      })
      .nullable(),
    extension: ExtensionRule.nullable(),
    /** 情节严重的 … 责令停业、关闭: a serious case goes to closure without a rectification period. */
    seriousGoesToClosure: z.boolean(),
    /**
     * Whether a rectification period that lapses is proposed for closure at once. Where the plan names
     * closure only for serious cases (environment, 30号文 (五)), a lapse is escalated and the case stays
     * with the department, which may propose closure or re-inspect.
     */
    lapseGoesToClosure: z.boolean().default(true),
    /** Who closes the capacity when it is overdue or still fails; null where closure is not the end. */
    closureBy: Authority.nullable(),
    /** 吊销相关证照 on closure. */
    revokeLicences: z.boolean(),
  }),
);

export const SealMeasure = lazy(() =>
  z.enum([
    'cut_water', // 断水
    'cut_power', // 断电
    'remove_power_units', // 拆除动力装置
    'seal_main_equipment', // 封存主体设备（生产线）
  ]),
);

export const CoalPowerOption = lazy(() =>
  z.enum([
    'extended_operation', // 延寿运行
    'emergency_backup', // "关而不拆"转应急备用
    'dismantle', // 关停拆除
  ]),
);

export const AnnouncementSite = lazy(() =>
  z.enum([
    'provincial', // 省级人民政府或省级主管部门网站
    'city', // 市级人民政府门户网站或市级主管部门网站
    'government_or_department', // 政府或部门网站
  ]),
);

export const TechnologyRule = lazy(() =>
  z.object({
    dismantleImmediatelyWhenPossible: z.boolean(),
    /** What "sealed" means when it cannot be dismantled yet: all four at once. */
    sealMeasures: z.array(SealMeasure).min(1),
    publicCommitment: z.boolean(), // 企业向社会公开承诺不再恢复生产
    announcementOn: AnnouncementSite,
    /** 限时拆除: sealed equipment is dismantled within this many months of sealing. */
    dismantleWithinMonths: z.number().int().positive(),
    /**
     * Where the year's plan fixes the date equipment must be gone by (Henan 二(一) 10月底前拆除完毕,
     * Liaoning 二(二) 6月1日–9月30日, Fuzhou 三(二) 12月底前), sealed equipment is dismantled by the
     * campaign's `exitBy` on or after its sealing instead of within `dismantleWithinMonths`.
     */
    dismantleByCampaignExit: z.boolean().default(false),
    /**
     * 立即拆除 / 立即断水断电…封存 (30号文 (八)): the time an eliminated unit has to be dismantled or
     * sealed once the case is opened, or once its extended operation ends.
     */
    exitWithinMonths: z.number().int().positive().default(1),
    /** 定期复查: how often sealed capacity is re-inspected so it cannot revive. */
    sealedReinspectionEveryMonths: z.number().int().positive(),
    /** Equipment that is dismantled and never merely sealed (30号文 (八) 依法全面拆除生产建筑用钢的工频炉、中频炉). */
    mustDismantle: z.array(FacilityCategory).default([]),
    /** Guangdong coal power: one option is chosen per case; null where not applicable. */
    coalPowerOptions: z.array(CoalPowerOption).min(1).nullable(),
    /**
     * Who approves extended operation (延寿运行) of a coal-power unit, where `coalPowerOptions` offers
     * it: Guangdong 二(五)1 has the departments 提出分类处置意见.
     */
    extendedOperationBy: Authority.default('department'),
  }),
);

/** A day of the campaign year, written MM-DD; `nextYear` for reports due in January. */
export const CampaignDate = lazy(() =>
  z.object({
    monthDay: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/),
    nextYear: z.boolean().default(false),
  }),
);
export type CampaignDate = z.infer<typeof CampaignDate>;

export const CampaignReport = lazy(() =>
  z.object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    nameZh: z.string(),
    by: CampaignDate,
    from: z.string(), // who reports
    to: z.string(), // to whom
    /** 抄报/抄送: who receives a copy of the report, as the plan names them; none where it names none. */
    copyTo: z.array(z.string()).default([]),
    /** Only inside this division-code prefix (e.g. '4101' Zhengzhou), when narrower than the policy. */
    withinDivision: z.string().regex(/^\d{2,6}$/).optional(),
    /**
     * Whose campaign sends it: the plan's `from`, read as division levels. A county the province
     * administers directly (省直管县（市）, `directlyAdministered`) reports as a city does (domain/campaign-reports.ts).
     */
    levels: z.array(z.enum(['province', 'city', 'county'])).min(1),
    /**
     * Who receives it: the coordination office one level up (各市 → 省办); the division's own office (a
     * member department's report to the same level, 30号文 (十九) 函告同级工业和信息化主管部门); or the
     * ministries, outside exitflow (省 → 工业和信息化部、国家能源局), whose addresses the directory keeps
     * under division 000000.
     */
    recipient: z.enum(['office_above', 'own_office', 'ministries']),
    /**
     * 经…人民政府同意: the division's own people's government approves it before it is sent (30号文 (十九)
     * 「报经省级人民政府同意后」; Liaoning 「报市政府同意后」); `seal`: and stamps it (昌吉 「同意后盖章」).
     */
    approval: z.object({ seal: z.boolean() }).nullable().default(null),
  }),
);

export const CampaignCalendar = lazy(() =>
  z.object({
    /** The year the plan was written for; the month-days repeat yearly until a new version. */
    planYear: z.number().int(),
    plansFiledBy: CampaignDate.nullable(), // 工作方案、联系人报送
    surveyBy: CampaignDate, // 摸底排查, target list published
    exitFrom: CampaignDate.nullable(), // 组织退出 starts
    exitBy: CampaignDate, // dismantled or sealed
    acceptanceBy: CampaignDate, // 验收
    /** 全年执法监管: enforcement runs all year rather than in stages (Guangdong). */
    enforcementAllYear: z.boolean(),
    /**
     * A sub-division lags (进展较慢, 30号文 (二十) 通报、约谈) when the share of its target that has exited
     * is below this fraction of the share the elapsed exit window expects (domain/progress.ts).
     */
    laggingBelowPaceShare: z.number().gt(0).max(1),
    reports: z.array(CampaignReport).min(1),
  }),
);

/**
 * 联合惩戒 and the bodies told when capacity is closed or does not exit on time: which platforms a
 * region's enterprises are pushed to (domain/authority.ts punishmentTargets reads it).
 */
export const JointPunishment = lazy(() =>
  z.object({
    /** 全国信用信息共享平台 / 信用中国, and the region's own credit platform where its plan names one. */
    creditPlatforms: z.array(z.enum(PLATFORMS)).min(1),
    /** Told on every closure order besides the credit platforms and the licences (LN 三(八): 排污许可证, 停止供电). */
    onClosure: z.array(z.enum(PLATFORMS)),
    /** Told when an exit deadline lapses (30号文 (十三): 对未按期退出落后产能的企业，严控新增授信). */
    onLateExit: z.array(z.enum(PLATFORMS)),
  }),
);

export const PublicList = lazy(() =>
  z.object({
    kind: z.enum([
      'target_list', // 年度淘汰目标计划 (enterprises, equipment, capacity)
      'yellow', // 黄牌: not compliant, must rectify by a deadline
      'red', // 红牌: still failing after rectification, closed by law
      'over_standard', // 超标排放企业名单
      'serious_over_standard', // 超标排放情节严重的企业名单
      'environment_penalties', // 超标排放企业的处罚信息 (Guangdong)
      'exit_announcement', // 年度落后产能退出企业名单、设备（生产线）和产能
    ]),
    publishedBy: z.array(Department).min(1),
    /**
     * What the list may show; nothing else about the enterprise is published. `exit_method`: how the
     * capacity exited (拆除, 封存, 关而不拆转应急备用), on the exit announcement.
     */
    shows: z.array(z.enum(['enterprise', 'region', 'industry', 'dimension', 'equipment', 'capacity', 'deadline', 'exit_method'])).min(1),
  }),
);

/** An escalation step when an official lets a decision deadline pass (督办: 通报、约谈, 30号文 (二十)). */
export const EscalationStep = lazy(() =>
  z.object({
    level: z.enum(['county', 'city', 'province']),
    afterOverdue: PeriodSchema, // counted from the missed deadline
    /** Who is told at this level: the enforcing department's officials, the coordination office, the government. */
    notify: z.array(z.enum(['official', 'coordination_office', 'government'])).min(1),
  }),
);

export const PolicySchema = lazy(() =>
  z
    .object({
      id: z.string().regex(/^[a-z][a-z0-9-]*$/),
      version: z.string().regex(/^[a-z][a-z0-9-]*-\d{4}\.\d+$/), // henan-2021.1
      /** Division-code prefix the policy covers: '' national, '41' Henan, '3501' Fuzhou city. */
      region: z.string().regex(/^(\d{2}){0,3}$/),
      name: z.string().min(1),
      nameZh: z.string().min(1),
      basedOn: z.string().nullable(), // version of the national base; null for the base itself
      sources: z.array(SourceRef).min(1),
      focusIndustries: z.array(Industry).min(1), // 重点行业
      /**
       * County-level units the province administers directly (省直管县（市）): they answer for
       * themselves where a plan names the city level ('city_government'). Division codes, with the
       * source in a comment where the data is written.
       */
      directlyAdministered: z.array(z.string().regex(/^\d{6}$/)).default([]),
      dimensions: z.object({
        energy: DimensionRule,
        environment: DimensionRule,
        quality: DimensionRule,
        safety: DimensionRule,
        technology: DimensionRule,
      }),
      technology: TechnologyRule,
      officialDeadlines: z.object({
        reinspectionAfterReport: PeriodSchema, // 复查 after the enterprise reports rectification done
        closureDecision: PeriodSchema, // the approving government decides on closure
        reportVerification: PeriodSchema, // 举报 限期核查
      }),
      /** Days before each kind of deadline when the responsible party is reminded. */
      reminders: z.object({
        rectification: z.array(z.number().int().nonnegative()),
        extensionDecision: z.array(z.number().int().nonnegative()),
        reinspection: z.array(z.number().int().nonnegative()),
        closureDecision: z.array(z.number().int().nonnegative()),
        dismantling: z.array(z.number().int().nonnegative()),
        /** Before each milestone of the annual campaign (domain/campaign.ts), to the division's coordination office. */
        campaign: z.array(z.number().int().nonnegative()),
      }),
      escalation: z.array(EscalationStep).min(1),
      jointPunishment: JointPunishment,
      campaign: CampaignCalendar,
      acceptance: z.object({
        /**
         * Who checks on site (domain/authority.ts deciderFor 'acceptance'): the coordination office of
         * the enterprise's county or city; the city office (Fuzhou); the provincial departments
         * (Liaoning); the 省辖市/示范区/省直管县 government (Henan).
         */
        by: z.enum(['city_or_county_office', 'city_office', 'provincial_departments', 'city_government']),
        writtenOpinionPerEnterprise: z.boolean(), // 逐户出具书面验收意见
        form: z.string().nullable(), // Fuzhou: 《验收意见表》
        evidence: z.array(z.enum(['before', 'during', 'after'])), // 拆除前、中、后影像及文字资料
      }),
      publicLists: z.array(PublicList).min(1),
      /**
       * Settings the seeds are silent on, where exitflow chose a default (默认值，文件未规定).
       * `path` is a dotted path into this policy; a test checks every path exists.
       */
      defaults: z.array(z.object({ path: z.string(), why: z.string() })),
    })
    .refine((p) => p.version.startsWith(`${p.id}-`), { message: 'version must start with the id', path: ['version'] })
    .refine((p) => (p.basedOn === null) === (p.region === ''), {
      message: 'only the national policy (region "") has no basedOn',
      path: ['basedOn'],
    })
    .refine(
      (p) => Dimension.options.every((d) => p.dimensions[d].rectification !== null || p.dimensions[d].extension === null),
      { message: 'an extension needs a rectification period', path: ['dimensions'] },
    ),
);

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type DimensionRule = z.infer<typeof DimensionRule>;
export type ExtensionRule = z.infer<typeof ExtensionRule>;
