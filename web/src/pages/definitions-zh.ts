import { type DEPARTMENT_DEFINITIONS, SATISFIED_STARS } from "../../../src/domain/performance";

/**
 * The league table's definitions in Chinese, for the performance page's zh-CN readers; the English
 * words come with the API's answer. Keyed by the API's names (the CSV's columns), so a figure
 * added to the API without its Chinese words fails the type check.
 */
export const DEPARTMENT_DEFINITIONS_ZH: Record<keyof typeof DEPARTMENT_DEFINITIONS, string> = {
  period:
    "时间段按本市的整日计算（北京时间零点至零点）：截至今天（含今天）的最近 30、90 或 365 天。过去的数字按事件发生时计入（之后的变化不会改写它们）。",
  open: "部门当前承办、尚未办结的工单（除未分派和已退回外的所有未结状态：退回的工单等待市里重新分派；退回一事计入其发生期间的“退回”）。",
  overdue: "现在已超过下一个期限的未结工单（红色）。",
  nearlyDue: "已走完下一个期限 75% 或以上、但尚未超期的未结工单（黄色）。",
  resolved:
    "时间段内的办结次数：部门的工单每被标记办结一次计一次（办结后被重新打开、再次办结的工单计两次）。",
  onTimeShare: "时间段内的办结中，在当时有效的办结期限之前完成的比例。",
  medianAckHours:
    "从收到工单（新建、改派或重新打开）到受理所用小时数的中位数，按时间段内的受理计算。时长按 2 的幂小时的 1/16 宽度分桶，取桶的下沿：最多偏低 6.25%，32 小时以下按整小时精确。",
  medianResolveHours:
    "从收到工单（新建、改派或重新打开）到办结所用小时数的中位数，按时间段内的办结计算，读自同样的分桶。",
  satisfiedShare: `时间段内作出评价的居民中，给出 ${SATISFIED_STARS} 星或以上的比例：同一居民在同一日（北京时间）对同一部门的评价按其平均值只计一次，计入评价时承办该工单的部门。`,
  meanStars: "这些居民每日平均星数的平均值。",
  ratings: "时间段内作出评价的居民人数（每个部门每天每人计一次）。",
  reopenRate:
    "时间段内的办结中，后来被重新打开（居民反映“问题仍在”、道路传感器仍感到颠簸或管理员重新打开）的比例；重新打开计入被撤销的那次办结的日期。",
  cards: "本日历月（北京时间）错过的期限，计入当时承办工单的部门：每个工单错过的受理或办结期限各计一次。",
  rejected: "时间段内部门退回的工单（退回以便交给其他部门）。",
};
