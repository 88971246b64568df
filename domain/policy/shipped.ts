// Written by `npx tsx scripts/shipped-policies.ts` from domain/policy/regions: do not edit.
// The shipped policies as built, by version, for workflows (domain/policy/regions/derive.ts shippedPolicy).
// A function, so a workflow makes the objects only when it first reads a policy.
export function shippedPolicies(): Record<string, unknown> {
  return {
    "national-2017.1": {
      "id": "national",
      "version": "national-2017.1",
      "region": "",
      "name": "National guidance on retiring backward capacity by comprehensive standards (MIIT et al. 2017 No. 30)",
      "nameZh": "关于利用综合标准依法依规推动落后产能退出的指导意见（工信部联产业〔2017〕30号）",
      "basedOn": null,
      "sources": [
        {
          "seed": "miit-2017-30-guidance-changji.txt",
          "clause": "工信部联产业〔2017〕30号 二、主要任务 (四)–(九); 四、组织实施 (十九)–(二十一)"
        }
      ],
      "focusIndustries": [
        "steel",
        "coal",
        "cement",
        "electrolytic_aluminium",
        "flat_glass"
      ],
      "directlyAdministered": [],
      "dimensions": {
        "energy": {
          "departments": [
            "industry_it",
            "development_reform"
          ],
          "suspension": "none",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": {
            "capMonths": 3,
            "maxCount": 1,
            "mustApplyBeforeDeadline": true,
            "decider": "department",
            "filings": [],
            "decisionWithin": {
              "workingDays": 10
            }
          },
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "environment": {
          "departments": [
            "ecology_environment"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": true,
          "lapseGoesToClosure": false,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "quality": {
          "departments": [
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": false
        },
        "safety": {
          "departments": [
            "emergency_management",
            "coal_mine_safety"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "technology": {
          "departments": [
            "industry_it",
            "development_reform",
            "energy_bureau",
            "coal_industry",
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": null,
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": null,
          "revokeLicences": true
        }
      },
      "technology": {
        "dismantleImmediatelyWhenPossible": true,
        "sealMeasures": [
          "cut_water",
          "cut_power",
          "remove_power_units",
          "seal_main_equipment"
        ],
        "publicCommitment": true,
        "announcementOn": "provincial",
        "dismantleWithinMonths": 6,
        "dismantleByCampaignExit": false,
        "exitWithinMonths": 1,
        "sealedReinspectionEveryMonths": 3,
        "mustDismantle": [
          "induction_furnace_steel"
        ],
        "coalPowerOptions": null,
        "extendedOperationBy": "department"
      },
      "officialDeadlines": {
        "reinspectionAfterReport": {
          "workingDays": 10
        },
        "closureDecision": {
          "workingDays": 20
        },
        "reportVerification": {
          "workingDays": 15
        }
      },
      "reminders": {
        "rectification": [
          30,
          7,
          1
        ],
        "extensionDecision": [
          3,
          1
        ],
        "reinspection": [
          3,
          1
        ],
        "closureDecision": [
          5,
          1
        ],
        "dismantling": [
          30,
          7,
          1
        ],
        "campaign": [
          7,
          1
        ]
      },
      "escalation": [
        {
          "level": "county",
          "afterOverdue": {
            "workingDays": 0
          },
          "notify": [
            "official"
          ]
        },
        {
          "level": "city",
          "afterOverdue": {
            "workingDays": 5
          },
          "notify": [
            "coordination_office"
          ]
        },
        {
          "level": "province",
          "afterOverdue": {
            "workingDays": 10
          },
          "notify": [
            "coordination_office",
            "government"
          ]
        }
      ],
      "jointPunishment": {
        "creditPlatforms": [
          "credit_platform"
        ],
        "onClosure": [],
        "onLateExit": [
          "banks"
        ]
      },
      "campaign": {
        "planYear": 2017,
        "plansFiledBy": {
          "monthDay": "03-31",
          "nextYear": false
        },
        "surveyBy": {
          "monthDay": "03-31",
          "nextYear": false
        },
        "exitFrom": null,
        "exitBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "acceptanceBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "enforcementAllYear": true,
        "laggingBelowPaceShare": 0.8,
        "reports": [
          {
            "id": "closures_to_industry_it",
            "nameZh": "依法关闭退出的企业、设备及产能情况函告同级工业和信息化、能源、煤炭主管部门",
            "by": {
              "monthDay": "12-31",
              "nextYear": false
            },
            "from": "发展改革、环境保护、质量技术监督、安全生产监管主管部门",
            "to": "同级工业和信息化、能源、煤炭主管部门",
            "copyTo": [],
            "levels": [
              "province",
              "city",
              "county"
            ],
            "recipient": "own_office",
            "approval": null
          },
          {
            "id": "province_to_miit",
            "nameZh": "上年度落后产能退出情况报经省级人民政府同意后报工业和信息化部、国家能源局",
            "by": {
              "monthDay": "01-31",
              "nextYear": true
            },
            "from": "省级工业和信息化、能源、煤炭主管部门",
            "to": "工业和信息化部、国家能源局",
            "copyTo": [
              "国家发展改革委",
              "财政部",
              "人力资源社会保障部",
              "国土资源部",
              "环境保护部",
              "农业部",
              "商务部",
              "人民银行",
              "国务院国资委",
              "税务总局",
              "工商总局",
              "质检总局",
              "安全监管总局",
              "银监会"
            ],
            "levels": [
              "province"
            ],
            "recipient": "ministries",
            "approval": {
              "seal": false
            }
          }
        ]
      },
      "acceptance": {
        "by": "city_or_county_office",
        "writtenOpinionPerEnterprise": true,
        "form": null,
        "evidence": [
          "before",
          "during",
          "after"
        ]
      },
      "publicLists": [
        {
          "kind": "exit_announcement",
          "publishedBy": [
            "industry_it",
            "energy_bureau",
            "coal_industry"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity",
            "exit_method"
          ]
        },
        {
          "kind": "yellow",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension",
            "deadline"
          ]
        },
        {
          "kind": "red",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension"
          ]
        },
        {
          "kind": "over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        },
        {
          "kind": "serious_over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        }
      ],
      "defaults": [
        {
          "path": "dimensions.energy.extension.decider",
          "why": "30号文 (四) does not say who grants the extension; the enforcing department that set the period"
        },
        {
          "path": "dimensions.energy.extension.decisionWithin",
          "why": "seeds silent; 10 working days"
        },
        {
          "path": "dimensions.energy.closureBy",
          "why": "30号文 (四) says only 依法关停退出; the approving government, as the energy-conservation law and Liaoning spell out"
        },
        {
          "path": "dimensions.environment.rectification",
          "why": "限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.rectification",
          "why": "停产停业整顿 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.closureBy",
          "why": "30号文 (七) says only 予以关闭, naming no body; the government with the power to approve, as for the other standards (四)–(六) and as Liaoning 二(二)5, Guangdong 二(四)3 and Fuzhou 二(四) name a government"
        },
        {
          "path": "dimensions.energy.extension.maxCount",
          "why": "「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application"
        },
        {
          "path": "dimensions.energy.extension.mustApplyBeforeDeadline",
          "why": "「确需延长整改期限的」 read as: only a period still running can be extended"
        },
        {
          "path": "technology.exitWithinMonths",
          "why": "30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal"
        },
        {
          "path": "technology.dismantleWithinMonths",
          "why": "限时拆除 without a number; 6 months (regional campaigns set earlier dates)"
        },
        {
          "path": "technology.sealedReinspectionEveryMonths",
          "why": "定期复查 without an interval; quarterly"
        },
        {
          "path": "officialDeadlines",
          "why": "seeds set no time for re-inspection, closure decisions or report verification"
        },
        {
          "path": "reminders",
          "why": "seeds silent; reminder offsets chosen by exitflow"
        },
        {
          "path": "escalation",
          "why": "30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow"
        },
        {
          "path": "campaign.surveyBy",
          "why": "no national survey date; the plan due by end of March fixes the year's targets"
        },
        {
          "path": "campaign.acceptanceBy",
          "why": "no national acceptance date; closures count in the year they happen"
        },
        {
          "path": "campaign.laggingBelowPaceShare",
          "why": "30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects"
        },
        {
          "path": "campaign.exitBy",
          "why": "30号文 sets no exit date; its 12月底前 (十九) is the date the departments report the year's closures, so the year's end stands in"
        },
        {
          "path": "acceptance",
          "why": "30号文 has no acceptance step; the Henan/Fuzhou practice (written opinion, photos before/during/after)"
        }
      ]
    },
    "liaoning-2021.1": {
      "id": "liaoning",
      "version": "liaoning-2021.1",
      "region": "21",
      "name": "Liaoning 2021 work plan (draft)",
      "nameZh": "辽宁省2021年利用综合标准依法依规推动落后产能退出工作方案（征求意见稿）",
      "basedOn": "national-2017.1",
      "sources": [
        {
          "seed": "liaoning-2021-draft.txt",
          "clause": "二、落后产能退出工作步骤 (一)–(三)"
        },
        {
          "seed": "liaoning-2021-draft.txt",
          "clause": "四、有关要求 (二)(三)(七)"
        }
      ],
      "focusIndustries": [
        "steel",
        "coal",
        "cement",
        "electrolytic_aluminium",
        "flat_glass"
      ],
      "directlyAdministered": [],
      "dimensions": {
        "energy": {
          "departments": [
            "industry_it",
            "development_reform"
          ],
          "suspension": "none",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": {
            "capMonths": 3,
            "maxCount": 1,
            "mustApplyBeforeDeadline": true,
            "decider": "department",
            "filings": [],
            "decisionWithin": {
              "workingDays": 10
            }
          },
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "environment": {
          "departments": [
            "ecology_environment"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": true,
          "lapseGoesToClosure": false,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "quality": {
          "departments": [
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": false
        },
        "safety": {
          "departments": [
            "emergency_management",
            "coal_mine_safety"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "local_government",
          "revokeLicences": true
        },
        "technology": {
          "departments": [
            "industry_it",
            "development_reform"
          ],
          "suspension": "immediate",
          "rectification": null,
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": null,
          "revokeLicences": true
        }
      },
      "technology": {
        "dismantleImmediatelyWhenPossible": true,
        "sealMeasures": [
          "cut_water",
          "cut_power",
          "remove_power_units",
          "seal_main_equipment"
        ],
        "publicCommitment": true,
        "announcementOn": "city",
        "dismantleWithinMonths": 6,
        "dismantleByCampaignExit": true,
        "exitWithinMonths": 1,
        "sealedReinspectionEveryMonths": 3,
        "mustDismantle": [
          "induction_furnace_steel"
        ],
        "coalPowerOptions": null,
        "extendedOperationBy": "department"
      },
      "officialDeadlines": {
        "reinspectionAfterReport": {
          "workingDays": 10
        },
        "closureDecision": {
          "workingDays": 20
        },
        "reportVerification": {
          "workingDays": 15
        }
      },
      "reminders": {
        "rectification": [
          30,
          7,
          1
        ],
        "extensionDecision": [
          3,
          1
        ],
        "reinspection": [
          3,
          1
        ],
        "closureDecision": [
          5,
          1
        ],
        "dismantling": [
          30,
          7,
          1
        ],
        "campaign": [
          7,
          1
        ]
      },
      "escalation": [
        {
          "level": "county",
          "afterOverdue": {
            "workingDays": 0
          },
          "notify": [
            "official"
          ]
        },
        {
          "level": "city",
          "afterOverdue": {
            "workingDays": 5
          },
          "notify": [
            "coordination_office"
          ]
        },
        {
          "level": "province",
          "afterOverdue": {
            "workingDays": 10
          },
          "notify": [
            "coordination_office",
            "government"
          ]
        }
      ],
      "jointPunishment": {
        "creditPlatforms": [
          "credit_platform",
          "credit_liaoning"
        ],
        "onClosure": [
          "discharge_permit",
          "power_supply"
        ],
        "onLateExit": [
          "banks"
        ]
      },
      "campaign": {
        "planYear": 2021,
        "plansFiledBy": {
          "monthDay": "04-15",
          "nextYear": false
        },
        "surveyBy": {
          "monthDay": "05-31",
          "nextYear": false
        },
        "exitFrom": {
          "monthDay": "06-01",
          "nextYear": false
        },
        "exitBy": {
          "monthDay": "09-30",
          "nextYear": false
        },
        "acceptanceBy": {
          "monthDay": "11-30",
          "nextYear": false
        },
        "enforcementAllYear": false,
        "laggingBelowPaceShare": 0.8,
        "reports": [
          {
            "id": "survey_to_province",
            "nameZh": "摸底排查结果、违法违规企业处理情况和拟淘汰企业名单函告省协调小组办公室",
            "by": {
              "monthDay": "05-31",
              "nextYear": false
            },
            "from": "省协调小组各成员单位、各市",
            "to": "省淘汰落后产能工作协调小组办公室",
            "copyTo": [],
            "levels": [
              "city"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "members_summary_to_province",
            "nameZh": "年度工作总结、已退出企业名单、设备清单、产能情况",
            "by": {
              "monthDay": "11-30",
              "nextYear": false
            },
            "from": "省协调小组各成员单位",
            "to": "省淘汰落后产能工作协调小组办公室",
            "copyTo": [],
            "levels": [
              "province"
            ],
            "recipient": "own_office",
            "approval": null
          },
          {
            "id": "cities_summary_to_province",
            "nameZh": "本地区工作总结、已退出企业名单、设备清单、产能情况（报市政府同意后）",
            "by": {
              "monthDay": "11-30",
              "nextYear": false
            },
            "from": "各市工信、发改部门",
            "to": "省工信厅、发改委",
            "copyTo": [
              "省财政厅",
              "省人社厅",
              "省自然资源厅",
              "省生态环境厅",
              "省市场监管局",
              "省应急管理厅",
              "省农委",
              "省商务厅",
              "人民银行沈阳分行",
              "省国资委",
              "省税务局",
              "辽宁银保监局",
              "国家能源局东北监管局",
              "省电力公司"
            ],
            "levels": [
              "city"
            ],
            "recipient": "office_above",
            "approval": {
              "seal": false
            }
          },
          {
            "id": "province_to_miit",
            "nameZh": "年度落后产能退出情况报经省人民政府同意后报工业和信息化部、国家能源局",
            "by": {
              "monthDay": "01-31",
              "nextYear": true
            },
            "from": "省工信厅、发改委",
            "to": "工业和信息化部、国家能源局",
            "copyTo": [
              "国家发展改革委",
              "财政部",
              "人力资源社会保障部",
              "自然资源部",
              "生态环境部",
              "农业农村部",
              "商务部",
              "人民银行",
              "国务院国资委",
              "税务总局",
              "市场监管总局",
              "应急管理厅",
              "银保监会"
            ],
            "levels": [
              "province"
            ],
            "recipient": "ministries",
            "approval": {
              "seal": false
            }
          }
        ]
      },
      "acceptance": {
        "by": "provincial_departments",
        "writtenOpinionPerEnterprise": false,
        "form": null,
        "evidence": []
      },
      "publicLists": [
        {
          "kind": "exit_announcement",
          "publishedBy": [
            "industry_it",
            "energy_bureau",
            "coal_industry",
            "development_reform",
            "ecology_environment",
            "emergency_management",
            "market_regulation"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity",
            "exit_method"
          ]
        },
        {
          "kind": "yellow",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management",
            "coal_mine_safety"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension",
            "deadline"
          ]
        },
        {
          "kind": "red",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension"
          ]
        },
        {
          "kind": "over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        },
        {
          "kind": "serious_over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        },
        {
          "kind": "target_list",
          "publishedBy": [
            "industry_it",
            "development_reform"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity"
          ]
        }
      ],
      "defaults": [
        {
          "path": "dimensions.energy.extension.decider",
          "why": "30号文 (四) does not say who grants the extension; the enforcing department that set the period"
        },
        {
          "path": "dimensions.energy.extension.decisionWithin",
          "why": "seeds silent; 10 working days"
        },
        {
          "path": "dimensions.environment.rectification",
          "why": "限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.rectification",
          "why": "停产停业整顿 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.energy.extension.maxCount",
          "why": "「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application"
        },
        {
          "path": "dimensions.energy.extension.mustApplyBeforeDeadline",
          "why": "「确需延长整改期限的」 read as: only a period still running can be extended"
        },
        {
          "path": "technology.exitWithinMonths",
          "why": "30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal"
        },
        {
          "path": "technology.dismantleWithinMonths",
          "why": "限时拆除 without a number; 6 months (regional campaigns set earlier dates)"
        },
        {
          "path": "technology.sealedReinspectionEveryMonths",
          "why": "定期复查 without an interval; quarterly"
        },
        {
          "path": "officialDeadlines",
          "why": "seeds set no time for re-inspection, closure decisions or report verification"
        },
        {
          "path": "reminders",
          "why": "seeds silent; reminder offsets chosen by exitflow"
        },
        {
          "path": "escalation",
          "why": "30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow"
        },
        {
          "path": "campaign.laggingBelowPaceShare",
          "why": "30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects"
        },
        {
          "path": "campaign.reports.2.by",
          "why": "四(七) gives the cities' summary no date of its own; read as the 11月底前 of the members' summary in the same paragraph"
        }
      ]
    },
    "henan-2021.1": {
      "id": "henan",
      "version": "henan-2021.1",
      "region": "41",
      "name": "Henan 2021 work plan, as applied by Zhengzhou",
      "nameZh": "河南省2021年利用综合标准依法依规推动落后产能退出工作方案（郑州市转发）",
      "basedOn": "national-2017.1",
      "sources": [
        {
          "seed": "henan-zhengzhou-2021.txt",
          "clause": "豫淘汰落后办〔2021〕10号 二、主要工作 (二) 1–6"
        },
        {
          "seed": "henan-zhengzhou-2021.txt",
          "clause": "豫淘汰落后办〔2021〕10号 四、组织实施 (二)(三)"
        },
        {
          "seed": "henan-zhengzhou-2021.txt",
          "clause": "郑淘汰落后办〔2021〕2号"
        }
      ],
      "focusIndustries": [
        "steel",
        "coal",
        "coking",
        "cement",
        "petrochemical",
        "chemical",
        "electrolytic_aluminium",
        "flat_glass"
      ],
      "directlyAdministered": [
        "410181",
        "410225",
        "410482",
        "410526",
        "410783",
        "411381",
        "411481",
        "411525",
        "411628",
        "411729"
      ],
      "dimensions": {
        "energy": {
          "departments": [
            "industry_it",
            "development_reform",
            "energy_bureau"
          ],
          "suspension": "none",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": {
            "capMonths": 3,
            "maxCount": 1,
            "mustApplyBeforeDeadline": true,
            "decider": "city_government",
            "filings": [
              "provincial_development_reform",
              "provincial_industry_it"
            ],
            "decisionWithin": {
              "workingDays": 10
            }
          },
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "environment": {
          "departments": [
            "ecology_environment"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": true,
          "lapseGoesToClosure": false,
          "closureBy": "local_government",
          "revokeLicences": true
        },
        "quality": {
          "departments": [
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "county_or_above_government",
          "revokeLicences": false
        },
        "safety": {
          "departments": [
            "emergency_management",
            "coal_mine_safety"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "technology": {
          "departments": [
            "industry_it",
            "development_reform",
            "energy_bureau",
            "coal_industry",
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": null,
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": null,
          "revokeLicences": true
        }
      },
      "technology": {
        "dismantleImmediatelyWhenPossible": true,
        "sealMeasures": [
          "cut_water",
          "cut_power",
          "remove_power_units",
          "seal_main_equipment"
        ],
        "publicCommitment": true,
        "announcementOn": "city",
        "dismantleWithinMonths": 6,
        "dismantleByCampaignExit": true,
        "exitWithinMonths": 1,
        "sealedReinspectionEveryMonths": 3,
        "mustDismantle": [
          "induction_furnace_steel"
        ],
        "coalPowerOptions": null,
        "extendedOperationBy": "department"
      },
      "officialDeadlines": {
        "reinspectionAfterReport": {
          "workingDays": 10
        },
        "closureDecision": {
          "workingDays": 20
        },
        "reportVerification": {
          "workingDays": 15
        }
      },
      "reminders": {
        "rectification": [
          30,
          7,
          1
        ],
        "extensionDecision": [
          3,
          1
        ],
        "reinspection": [
          3,
          1
        ],
        "closureDecision": [
          5,
          1
        ],
        "dismantling": [
          30,
          7,
          1
        ],
        "campaign": [
          7,
          1
        ]
      },
      "escalation": [
        {
          "level": "county",
          "afterOverdue": {
            "workingDays": 0
          },
          "notify": [
            "official"
          ]
        },
        {
          "level": "city",
          "afterOverdue": {
            "workingDays": 5
          },
          "notify": [
            "coordination_office"
          ]
        },
        {
          "level": "province",
          "afterOverdue": {
            "workingDays": 10
          },
          "notify": [
            "coordination_office",
            "government"
          ]
        }
      ],
      "jointPunishment": {
        "creditPlatforms": [
          "credit_platform"
        ],
        "onClosure": [],
        "onLateExit": [
          "banks"
        ]
      },
      "campaign": {
        "planYear": 2021,
        "plansFiledBy": {
          "monthDay": "06-30",
          "nextYear": false
        },
        "surveyBy": {
          "monthDay": "06-30",
          "nextYear": false
        },
        "exitFrom": null,
        "exitBy": {
          "monthDay": "10-31",
          "nextYear": false
        },
        "acceptanceBy": {
          "monthDay": "10-30",
          "nextYear": false
        },
        "enforcementAllYear": false,
        "laggingBelowPaceShare": 0.8,
        "reports": [
          {
            "id": "target_plan_to_province",
            "nameZh": "年度淘汰落后产能目标计划",
            "by": {
              "monthDay": "06-30",
              "nextYear": false
            },
            "from": "各省辖市、济源示范区、省直管县（市）",
            "to": "省淘汰落后产能工作领导小组办公室",
            "copyTo": [],
            "levels": [
              "city"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "summary_to_province",
            "nameZh": "依法依规推动落后产能退出年度工作总结",
            "by": {
              "monthDay": "10-31",
              "nextYear": false
            },
            "from": "各省辖市、济源示范区、省直管县（市）",
            "to": "省淘汰落后产能工作领导小组办公室",
            "copyTo": [],
            "levels": [
              "city"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "zhengzhou_survey_to_city",
            "nameZh": "摸排落后生产设备数量及产能情况",
            "by": {
              "monthDay": "06-27",
              "nextYear": false
            },
            "from": "各开发区管委会、各区县（市）人民政府、市领导小组成员单位",
            "to": "郑州市淘汰落后产能工作领导小组办公室",
            "copyTo": [],
            "withinDivision": "4101",
            "levels": [
              "county"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "zhengzhou_summary_to_city",
            "nameZh": "2021年度关闭退出落后产能工作总结",
            "by": {
              "monthDay": "10-27",
              "nextYear": false
            },
            "from": "各开发区管委会、各区县（市）人民政府、市领导小组成员单位",
            "to": "郑州市淘汰落后产能工作领导小组办公室",
            "copyTo": [],
            "withinDivision": "4101",
            "levels": [
              "county"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "closures_to_industry_it",
            "nameZh": "依法关闭退出的企业、设备及产能情况函告同级工业和信息化、能源、煤炭主管部门",
            "by": {
              "monthDay": "12-31",
              "nextYear": false
            },
            "from": "发展改革、环境保护、质量技术监督、安全生产监管主管部门",
            "to": "同级工业和信息化、能源、煤炭主管部门",
            "copyTo": [],
            "levels": [
              "province",
              "city",
              "county"
            ],
            "recipient": "own_office",
            "approval": null
          },
          {
            "id": "province_to_miit",
            "nameZh": "上年度落后产能退出情况报经省级人民政府同意后报工业和信息化部、国家能源局",
            "by": {
              "monthDay": "01-31",
              "nextYear": true
            },
            "from": "省级工业和信息化、能源、煤炭主管部门",
            "to": "工业和信息化部、国家能源局",
            "copyTo": [
              "国家发展改革委",
              "财政部",
              "人力资源社会保障部",
              "国土资源部",
              "环境保护部",
              "农业部",
              "商务部",
              "人民银行",
              "国务院国资委",
              "税务总局",
              "工商总局",
              "质检总局",
              "安全监管总局",
              "银监会"
            ],
            "levels": [
              "province"
            ],
            "recipient": "ministries",
            "approval": {
              "seal": false
            }
          }
        ]
      },
      "acceptance": {
        "by": "city_government",
        "writtenOpinionPerEnterprise": true,
        "form": null,
        "evidence": [
          "before",
          "during",
          "after"
        ]
      },
      "publicLists": [
        {
          "kind": "target_list",
          "publishedBy": [
            "industry_it"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity"
          ]
        },
        {
          "kind": "exit_announcement",
          "publishedBy": [
            "industry_it",
            "energy_bureau",
            "coal_industry"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity",
            "exit_method"
          ]
        },
        {
          "kind": "yellow",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension",
            "deadline"
          ]
        },
        {
          "kind": "red",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension"
          ]
        },
        {
          "kind": "over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        },
        {
          "kind": "serious_over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        }
      ],
      "defaults": [
        {
          "path": "dimensions.energy.extension.decisionWithin",
          "why": "seeds silent; 10 working days"
        },
        {
          "path": "dimensions.energy.closureBy",
          "why": "30号文 (四) says only 依法关停退出; the approving government, as the energy-conservation law and Liaoning spell out"
        },
        {
          "path": "dimensions.environment.rectification",
          "why": "限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.rectification",
          "why": "停产停业整顿 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.closureBy",
          "why": "30号文 (七) says only 予以关闭, naming no body; the government with the power to approve, as for the other standards (四)–(六) and as Liaoning 二(二)5, Guangdong 二(四)3 and Fuzhou 二(四) name a government"
        },
        {
          "path": "dimensions.energy.extension.maxCount",
          "why": "「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application"
        },
        {
          "path": "dimensions.energy.extension.mustApplyBeforeDeadline",
          "why": "「确需延长整改期限的」 read as: only a period still running can be extended"
        },
        {
          "path": "technology.exitWithinMonths",
          "why": "30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal"
        },
        {
          "path": "technology.dismantleWithinMonths",
          "why": "限时拆除 without a number; 6 months (regional campaigns set earlier dates)"
        },
        {
          "path": "technology.sealedReinspectionEveryMonths",
          "why": "定期复查 without an interval; quarterly"
        },
        {
          "path": "officialDeadlines",
          "why": "seeds set no time for re-inspection, closure decisions or report verification"
        },
        {
          "path": "reminders",
          "why": "seeds silent; reminder offsets chosen by exitflow"
        },
        {
          "path": "escalation",
          "why": "30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow"
        },
        {
          "path": "campaign.laggingBelowPaceShare",
          "why": "30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects"
        }
      ]
    },
    "guangdong-2023.1": {
      "id": "guangdong",
      "version": "guangdong-2023.1",
      "region": "44",
      "name": "Guangdong 2023 work plan",
      "nameZh": "广东省2023年推动落后产能退出工作方案",
      "basedOn": "national-2017.1",
      "sources": [
        {
          "seed": "guangdong-2023.txt",
          "clause": "二、主要任务和责任分工 (一)–(五)"
        },
        {
          "seed": "guangdong-2023.txt",
          "clause": "三、保障措施 (四); 四、工作进度 (一)–(三)"
        }
      ],
      "focusIndustries": [
        "steel",
        "cement",
        "electrolytic_aluminium",
        "flat_glass"
      ],
      "directlyAdministered": [],
      "dimensions": {
        "energy": {
          "departments": [
            "energy_bureau",
            "industry_it",
            "development_reform"
          ],
          "suspension": "none",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": {
            "capMonths": 3,
            "maxCount": 1,
            "mustApplyBeforeDeadline": true,
            "decider": "department",
            "filings": [],
            "decisionWithin": {
              "workingDays": 10
            }
          },
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "environment": {
          "departments": [
            "ecology_environment"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": true,
          "lapseGoesToClosure": false,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "quality": {
          "departments": [
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": false
        },
        "safety": {
          "departments": [
            "emergency_management",
            "coal_mine_safety"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "local_government",
          "revokeLicences": true
        },
        "technology": {
          "departments": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "ecology_environment",
            "natural_resources",
            "emergency_management",
            "energy_bureau"
          ],
          "suspension": "immediate",
          "rectification": null,
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": null,
          "revokeLicences": true
        }
      },
      "technology": {
        "dismantleImmediatelyWhenPossible": true,
        "sealMeasures": [
          "cut_water",
          "cut_power",
          "remove_power_units",
          "seal_main_equipment"
        ],
        "publicCommitment": true,
        "announcementOn": "provincial",
        "dismantleWithinMonths": 6,
        "dismantleByCampaignExit": false,
        "exitWithinMonths": 1,
        "sealedReinspectionEveryMonths": 3,
        "mustDismantle": [
          "induction_furnace_steel"
        ],
        "coalPowerOptions": [
          "extended_operation",
          "emergency_backup",
          "dismantle"
        ],
        "extendedOperationBy": "department"
      },
      "officialDeadlines": {
        "reinspectionAfterReport": {
          "workingDays": 10
        },
        "closureDecision": {
          "workingDays": 20
        },
        "reportVerification": {
          "workingDays": 15
        }
      },
      "reminders": {
        "rectification": [
          30,
          7,
          1
        ],
        "extensionDecision": [
          3,
          1
        ],
        "reinspection": [
          3,
          1
        ],
        "closureDecision": [
          5,
          1
        ],
        "dismantling": [
          30,
          7,
          1
        ],
        "campaign": [
          7,
          1
        ]
      },
      "escalation": [
        {
          "level": "county",
          "afterOverdue": {
            "workingDays": 0
          },
          "notify": [
            "official"
          ]
        },
        {
          "level": "city",
          "afterOverdue": {
            "workingDays": 5
          },
          "notify": [
            "coordination_office"
          ]
        },
        {
          "level": "province",
          "afterOverdue": {
            "workingDays": 10
          },
          "notify": [
            "coordination_office",
            "government"
          ]
        }
      ],
      "jointPunishment": {
        "creditPlatforms": [
          "credit_platform",
          "credit_guangdong"
        ],
        "onClosure": [],
        "onLateExit": [
          "banks"
        ]
      },
      "campaign": {
        "planYear": 2023,
        "plansFiledBy": {
          "monthDay": "04-30",
          "nextYear": false
        },
        "surveyBy": {
          "monthDay": "04-30",
          "nextYear": false
        },
        "exitFrom": null,
        "exitBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "acceptanceBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "enforcementAllYear": true,
        "laggingBelowPaceShare": 0.8,
        "reports": [
          {
            "id": "departments_half_year",
            "nameZh": "依法关闭退出的企业、设备及产能情况（上半年）",
            "by": {
              "monthDay": "06-30",
              "nextYear": false
            },
            "from": "省发展改革委、生态环境厅、市场监管局、应急管理厅、能源局",
            "to": "省工业和信息化厅",
            "copyTo": [],
            "levels": [
              "province"
            ],
            "recipient": "own_office",
            "approval": null
          },
          {
            "id": "departments_year_end",
            "nameZh": "依法关闭退出的企业、设备及产能情况（全年）",
            "by": {
              "monthDay": "12-31",
              "nextYear": false
            },
            "from": "省发展改革委、生态环境厅、市场监管局、应急管理厅、能源局",
            "to": "省工业和信息化厅",
            "copyTo": [],
            "levels": [
              "province"
            ],
            "recipient": "own_office",
            "approval": null
          },
          {
            "id": "local_summary_to_province",
            "nameZh": "推动落后产能退出工作总结",
            "by": {
              "monthDay": "01-10",
              "nextYear": true
            },
            "from": "各地各有关单位",
            "to": "省工业和信息化厅",
            "copyTo": [],
            "levels": [
              "city"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "province_to_miit",
            "nameZh": "全省落后产能退出情况报经省人民政府同意后上报工业和信息化部等部委",
            "by": {
              "monthDay": "01-31",
              "nextYear": true
            },
            "from": "省工业和信息化厅",
            "to": "工业和信息化部等部委",
            "copyTo": [],
            "levels": [
              "province"
            ],
            "recipient": "ministries",
            "approval": {
              "seal": false
            }
          }
        ]
      },
      "acceptance": {
        "by": "city_or_county_office",
        "writtenOpinionPerEnterprise": true,
        "form": null,
        "evidence": [
          "before",
          "during",
          "after"
        ]
      },
      "publicLists": [
        {
          "kind": "exit_announcement",
          "publishedBy": [
            "industry_it"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity",
            "exit_method"
          ]
        },
        {
          "kind": "yellow",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management",
            "energy_bureau"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension",
            "deadline"
          ]
        },
        {
          "kind": "red",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management",
            "energy_bureau"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension"
          ]
        },
        {
          "kind": "environment_penalties",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        }
      ],
      "defaults": [
        {
          "path": "dimensions.energy.extension.decider",
          "why": "30号文 (四) does not say who grants the extension; the enforcing department that set the period"
        },
        {
          "path": "dimensions.energy.extension.decisionWithin",
          "why": "seeds silent; 10 working days"
        },
        {
          "path": "dimensions.energy.closureBy",
          "why": "30号文 (四) says only 依法关停退出; the approving government, as the energy-conservation law and Liaoning spell out"
        },
        {
          "path": "dimensions.environment.rectification",
          "why": "限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.rectification",
          "why": "停产停业整顿 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.energy.extension.maxCount",
          "why": "「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application"
        },
        {
          "path": "dimensions.energy.extension.mustApplyBeforeDeadline",
          "why": "「确需延长整改期限的」 read as: only a period still running can be extended"
        },
        {
          "path": "technology.exitWithinMonths",
          "why": "30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal"
        },
        {
          "path": "technology.dismantleWithinMonths",
          "why": "限时拆除 without a number; 6 months (regional campaigns set earlier dates)"
        },
        {
          "path": "technology.sealedReinspectionEveryMonths",
          "why": "定期复查 without an interval; quarterly"
        },
        {
          "path": "officialDeadlines",
          "why": "seeds set no time for re-inspection, closure decisions or report verification"
        },
        {
          "path": "reminders",
          "why": "seeds silent; reminder offsets chosen by exitflow"
        },
        {
          "path": "escalation",
          "why": "30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow"
        },
        {
          "path": "campaign.laggingBelowPaceShare",
          "why": "30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects"
        },
        {
          "path": "acceptance",
          "why": "30号文 has no acceptance step; the Henan/Fuzhou practice (written opinion, photos before/during/after)"
        },
        {
          "path": "campaign.surveyBy",
          "why": "enforcement runs all year; the city plans due Apr 30 name the year's targets"
        },
        {
          "path": "campaign.acceptanceBy",
          "why": "验收 is part of all-year enforcement (四(二)); no date given"
        },
        {
          "path": "campaign.exitBy",
          "why": "exit is part of all-year enforcement (四(二)); no date given, the year's end stands in"
        }
      ]
    },
    "fuzhou-2021.1": {
      "id": "fuzhou",
      "version": "fuzhou-2021.1",
      "region": "3501",
      "name": "Fuzhou 2021 work plan",
      "nameZh": "福州市2021年落后产能退出工作方案",
      "basedOn": "national-2017.1",
      "sources": [
        {
          "seed": "fuzhou-2021.txt",
          "clause": "二、主要任务及责任分工 (一)–(六)"
        },
        {
          "seed": "fuzhou-2021.txt",
          "clause": "三、相关要求 (一)–(三)"
        }
      ],
      "focusIndustries": [
        "steel",
        "coal",
        "coal_power",
        "flat_glass",
        "paper",
        "dyeing",
        "foundry",
        "lead_acid_battery",
        "food"
      ],
      "directlyAdministered": [],
      "dimensions": {
        "energy": {
          "departments": [
            "industry_it"
          ],
          "suspension": "none",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": {
            "capMonths": 3,
            "maxCount": 1,
            "mustApplyBeforeDeadline": true,
            "decider": "department",
            "filings": [],
            "decisionWithin": {
              "workingDays": 10
            }
          },
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "local_government",
          "revokeLicences": true
        },
        "environment": {
          "departments": [
            "ecology_environment"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": true,
          "lapseGoesToClosure": false,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "quality": {
          "departments": [
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": false
        },
        "safety": {
          "departments": [
            "emergency_management",
            "coal_mine_safety"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "technology": {
          "departments": [
            "industry_it",
            "development_reform"
          ],
          "suspension": "immediate",
          "rectification": null,
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": null,
          "revokeLicences": true
        }
      },
      "technology": {
        "dismantleImmediatelyWhenPossible": true,
        "sealMeasures": [
          "cut_water",
          "cut_power",
          "remove_power_units",
          "seal_main_equipment"
        ],
        "publicCommitment": true,
        "announcementOn": "government_or_department",
        "dismantleWithinMonths": 6,
        "dismantleByCampaignExit": true,
        "exitWithinMonths": 1,
        "sealedReinspectionEveryMonths": 3,
        "mustDismantle": [
          "induction_furnace_steel"
        ],
        "coalPowerOptions": null,
        "extendedOperationBy": "department"
      },
      "officialDeadlines": {
        "reinspectionAfterReport": {
          "workingDays": 10
        },
        "closureDecision": {
          "workingDays": 20
        },
        "reportVerification": {
          "workingDays": 15
        }
      },
      "reminders": {
        "rectification": [
          30,
          7,
          1
        ],
        "extensionDecision": [
          3,
          1
        ],
        "reinspection": [
          3,
          1
        ],
        "closureDecision": [
          5,
          1
        ],
        "dismantling": [
          30,
          7,
          1
        ],
        "campaign": [
          7,
          1
        ]
      },
      "escalation": [
        {
          "level": "county",
          "afterOverdue": {
            "workingDays": 0
          },
          "notify": [
            "official"
          ]
        },
        {
          "level": "city",
          "afterOverdue": {
            "workingDays": 5
          },
          "notify": [
            "coordination_office"
          ]
        },
        {
          "level": "province",
          "afterOverdue": {
            "workingDays": 10
          },
          "notify": [
            "coordination_office",
            "government"
          ]
        }
      ],
      "jointPunishment": {
        "creditPlatforms": [
          "credit_platform",
          "credit_fuzhou"
        ],
        "onClosure": [],
        "onLateExit": [
          "banks"
        ]
      },
      "campaign": {
        "planYear": 2021,
        "plansFiledBy": null,
        "surveyBy": {
          "monthDay": "05-15",
          "nextYear": false
        },
        "exitFrom": null,
        "exitBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "acceptanceBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "enforcementAllYear": false,
        "laggingBelowPaceShare": 0.8,
        "reports": [
          {
            "id": "county_summary_to_city",
            "nameZh": "本年度本地区工作总结",
            "by": {
              "monthDay": "12-15",
              "nextYear": false
            },
            "from": "各县（市）、区人民政府",
            "to": "市淘汰落后产能工作领导小组办公室",
            "copyTo": [],
            "levels": [
              "county"
            ],
            "recipient": "office_above",
            "approval": null
          },
          {
            "id": "city_to_province",
            "nameZh": "本年度全市淘汰落后产能工作总结（报市政府批准后）",
            "by": {
              "monthDay": "12-31",
              "nextYear": false
            },
            "from": "市淘汰落后产能工作领导小组办公室",
            "to": "省工业行业化解落后产能工作办公室",
            "copyTo": [],
            "levels": [
              "city"
            ],
            "recipient": "office_above",
            "approval": {
              "seal": false
            }
          }
        ]
      },
      "acceptance": {
        "by": "city_office",
        "writtenOpinionPerEnterprise": true,
        "form": "验收意见表",
        "evidence": [
          "before",
          "during",
          "after"
        ]
      },
      "publicLists": [
        {
          "kind": "exit_announcement",
          "publishedBy": [
            "industry_it",
            "energy_bureau",
            "coal_industry"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity",
            "exit_method"
          ]
        },
        {
          "kind": "yellow",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension",
            "deadline"
          ]
        },
        {
          "kind": "red",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension"
          ]
        },
        {
          "kind": "over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        },
        {
          "kind": "serious_over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        }
      ],
      "defaults": [
        {
          "path": "dimensions.energy.extension.decider",
          "why": "30号文 (四) does not say who grants the extension; the enforcing department that set the period"
        },
        {
          "path": "dimensions.energy.extension.decisionWithin",
          "why": "seeds silent; 10 working days"
        },
        {
          "path": "dimensions.environment.rectification",
          "why": "限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.rectification",
          "why": "停产停业整顿 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.energy.extension.maxCount",
          "why": "「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application"
        },
        {
          "path": "dimensions.energy.extension.mustApplyBeforeDeadline",
          "why": "「确需延长整改期限的」 read as: only a period still running can be extended"
        },
        {
          "path": "technology.exitWithinMonths",
          "why": "30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal"
        },
        {
          "path": "technology.dismantleWithinMonths",
          "why": "限时拆除 without a number; 6 months (regional campaigns set earlier dates)"
        },
        {
          "path": "technology.sealedReinspectionEveryMonths",
          "why": "定期复查 without an interval; quarterly"
        },
        {
          "path": "officialDeadlines",
          "why": "seeds set no time for re-inspection, closure decisions or report verification"
        },
        {
          "path": "reminders",
          "why": "seeds silent; reminder offsets chosen by exitflow"
        },
        {
          "path": "escalation",
          "why": "30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow"
        },
        {
          "path": "campaign.laggingBelowPaceShare",
          "why": "30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects"
        },
        {
          "path": "campaign.acceptanceBy",
          "why": "acceptance by the city office has no date; the city reports to the province by Dec 31"
        },
        {
          "path": "campaign.surveyBy",
          "why": "三(一) 「5月中旬前」 read as May 15"
        },
        {
          "path": "campaign.reports.0.by",
          "why": "三(三) 「12月中旬前」 read as Dec 15"
        }
      ]
    },
    "changji-2017.1": {
      "id": "changji",
      "version": "changji-2017.1",
      "region": "6523",
      "name": "Changji prefecture forwarding the 2017 national guidance",
      "nameZh": "昌吉州转发《关于利用综合标准依法依规推动落后产能退出的指导意见》",
      "basedOn": "national-2017.1",
      "sources": [
        {
          "seed": "miit-2017-30-guidance-changji.txt",
          "clause": "昌州经信〔2017〕185号 二、2"
        },
        {
          "seed": "miit-2017-30-guidance-changji.txt",
          "clause": "工信部联产业〔2017〕30号"
        }
      ],
      "focusIndustries": [
        "steel",
        "coal",
        "cement",
        "electrolytic_aluminium",
        "flat_glass"
      ],
      "directlyAdministered": [],
      "dimensions": {
        "energy": {
          "departments": [
            "industry_it",
            "development_reform"
          ],
          "suspension": "none",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": {
            "capMonths": 3,
            "maxCount": 1,
            "mustApplyBeforeDeadline": true,
            "decider": "department",
            "filings": [],
            "decisionWithin": {
              "workingDays": 10
            }
          },
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "environment": {
          "departments": [
            "ecology_environment"
          ],
          "suspension": "department_decides",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": true,
          "lapseGoesToClosure": false,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "quality": {
          "departments": [
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "policy",
            "months": 6
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": false
        },
        "safety": {
          "departments": [
            "emergency_management",
            "coal_mine_safety"
          ],
          "suspension": "immediate",
          "rectification": {
            "setBy": "department",
            "months": 3
          },
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": "approving_government",
          "revokeLicences": true
        },
        "technology": {
          "departments": [
            "industry_it",
            "development_reform",
            "energy_bureau",
            "coal_industry",
            "market_regulation"
          ],
          "suspension": "immediate",
          "rectification": null,
          "extension": null,
          "seriousGoesToClosure": false,
          "lapseGoesToClosure": true,
          "closureBy": null,
          "revokeLicences": true
        }
      },
      "technology": {
        "dismantleImmediatelyWhenPossible": true,
        "sealMeasures": [
          "cut_water",
          "cut_power",
          "remove_power_units",
          "seal_main_equipment"
        ],
        "publicCommitment": true,
        "announcementOn": "provincial",
        "dismantleWithinMonths": 6,
        "dismantleByCampaignExit": false,
        "exitWithinMonths": 1,
        "sealedReinspectionEveryMonths": 3,
        "mustDismantle": [
          "induction_furnace_steel"
        ],
        "coalPowerOptions": null,
        "extendedOperationBy": "department"
      },
      "officialDeadlines": {
        "reinspectionAfterReport": {
          "workingDays": 10
        },
        "closureDecision": {
          "workingDays": 20
        },
        "reportVerification": {
          "workingDays": 15
        }
      },
      "reminders": {
        "rectification": [
          30,
          7,
          1
        ],
        "extensionDecision": [
          3,
          1
        ],
        "reinspection": [
          3,
          1
        ],
        "closureDecision": [
          5,
          1
        ],
        "dismantling": [
          30,
          7,
          1
        ],
        "campaign": [
          7,
          1
        ]
      },
      "escalation": [
        {
          "level": "county",
          "afterOverdue": {
            "workingDays": 0
          },
          "notify": [
            "official"
          ]
        },
        {
          "level": "city",
          "afterOverdue": {
            "workingDays": 5
          },
          "notify": [
            "coordination_office"
          ]
        },
        {
          "level": "province",
          "afterOverdue": {
            "workingDays": 10
          },
          "notify": [
            "coordination_office",
            "government"
          ]
        }
      ],
      "jointPunishment": {
        "creditPlatforms": [
          "credit_platform"
        ],
        "onClosure": [],
        "onLateExit": [
          "banks"
        ]
      },
      "campaign": {
        "planYear": 2017,
        "plansFiledBy": {
          "monthDay": "03-31",
          "nextYear": false
        },
        "surveyBy": {
          "monthDay": "03-31",
          "nextYear": false
        },
        "exitFrom": null,
        "exitBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "acceptanceBy": {
          "monthDay": "12-31",
          "nextYear": false
        },
        "enforcementAllYear": true,
        "laggingBelowPaceShare": 0.8,
        "reports": [
          {
            "id": "counties_to_prefecture",
            "nameZh": "本年度落后产能退出和依法关闭企业情况（报当地人民政府同意后盖章）",
            "by": {
              "monthDay": "11-30",
              "nextYear": false
            },
            "from": "各县（市）经信委、园区",
            "to": "昌吉州经信委",
            "copyTo": [],
            "levels": [
              "county"
            ],
            "recipient": "office_above",
            "approval": {
              "seal": true
            }
          },
          {
            "id": "closures_to_industry_it",
            "nameZh": "依法关闭退出的企业、设备及产能情况函告同级工业和信息化、能源、煤炭主管部门",
            "by": {
              "monthDay": "12-31",
              "nextYear": false
            },
            "from": "发展改革、环境保护、质量技术监督、安全生产监管主管部门",
            "to": "同级工业和信息化、能源、煤炭主管部门",
            "copyTo": [],
            "levels": [
              "province",
              "city",
              "county"
            ],
            "recipient": "own_office",
            "approval": null
          },
          {
            "id": "province_to_miit",
            "nameZh": "上年度落后产能退出情况报经省级人民政府同意后报工业和信息化部、国家能源局",
            "by": {
              "monthDay": "01-31",
              "nextYear": true
            },
            "from": "省级工业和信息化、能源、煤炭主管部门",
            "to": "工业和信息化部、国家能源局",
            "copyTo": [
              "国家发展改革委",
              "财政部",
              "人力资源社会保障部",
              "国土资源部",
              "环境保护部",
              "农业部",
              "商务部",
              "人民银行",
              "国务院国资委",
              "税务总局",
              "工商总局",
              "质检总局",
              "安全监管总局",
              "银监会"
            ],
            "levels": [
              "province"
            ],
            "recipient": "ministries",
            "approval": {
              "seal": false
            }
          }
        ]
      },
      "acceptance": {
        "by": "city_or_county_office",
        "writtenOpinionPerEnterprise": true,
        "form": null,
        "evidence": [
          "before",
          "during",
          "after"
        ]
      },
      "publicLists": [
        {
          "kind": "exit_announcement",
          "publishedBy": [
            "industry_it",
            "energy_bureau",
            "coal_industry"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "equipment",
            "capacity",
            "exit_method"
          ]
        },
        {
          "kind": "yellow",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension",
            "deadline"
          ]
        },
        {
          "kind": "red",
          "publishedBy": [
            "industry_it",
            "development_reform",
            "market_regulation",
            "emergency_management"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry",
            "dimension"
          ]
        },
        {
          "kind": "over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        },
        {
          "kind": "serious_over_standard",
          "publishedBy": [
            "ecology_environment"
          ],
          "shows": [
            "enterprise",
            "region",
            "industry"
          ]
        }
      ],
      "defaults": [
        {
          "path": "dimensions.energy.extension.decider",
          "why": "30号文 (四) does not say who grants the extension; the enforcing department that set the period"
        },
        {
          "path": "dimensions.energy.extension.decisionWithin",
          "why": "seeds silent; 10 working days"
        },
        {
          "path": "dimensions.energy.closureBy",
          "why": "30号文 (四) says only 依法关停退出; the approving government, as the energy-conservation law and Liaoning spell out"
        },
        {
          "path": "dimensions.environment.rectification",
          "why": "限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.rectification",
          "why": "停产停业整顿 periods are set per case; seeds give none; 3 months as the default"
        },
        {
          "path": "dimensions.safety.closureBy",
          "why": "30号文 (七) says only 予以关闭, naming no body; the government with the power to approve, as for the other standards (四)–(六) and as Liaoning 二(二)5, Guangdong 二(四)3 and Fuzhou 二(四) name a government"
        },
        {
          "path": "dimensions.energy.extension.maxCount",
          "why": "「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application"
        },
        {
          "path": "dimensions.energy.extension.mustApplyBeforeDeadline",
          "why": "「确需延长整改期限的」 read as: only a period still running can be extended"
        },
        {
          "path": "technology.exitWithinMonths",
          "why": "30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal"
        },
        {
          "path": "technology.dismantleWithinMonths",
          "why": "限时拆除 without a number; 6 months (regional campaigns set earlier dates)"
        },
        {
          "path": "technology.sealedReinspectionEveryMonths",
          "why": "定期复查 without an interval; quarterly"
        },
        {
          "path": "officialDeadlines",
          "why": "seeds set no time for re-inspection, closure decisions or report verification"
        },
        {
          "path": "reminders",
          "why": "seeds silent; reminder offsets chosen by exitflow"
        },
        {
          "path": "escalation",
          "why": "30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow"
        },
        {
          "path": "campaign.surveyBy",
          "why": "no national survey date; the plan due by end of March fixes the year's targets"
        },
        {
          "path": "campaign.acceptanceBy",
          "why": "no national acceptance date; closures count in the year they happen"
        },
        {
          "path": "campaign.laggingBelowPaceShare",
          "why": "30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects"
        },
        {
          "path": "campaign.exitBy",
          "why": "30号文 sets no exit date; its 12月底前 (十九) is the date the departments report the year's closures, so the year's end stands in"
        },
        {
          "path": "acceptance",
          "why": "30号文 has no acceptance step; the Henan/Fuzhou practice (written opinion, photos before/during/after)"
        }
      ]
    }
  };
}
