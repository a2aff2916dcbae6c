/**
 * The feeds' own words in each language the web app speaks: English as Open311's updates say
 * events (`eventWords`), Chinese as the web app's timeline does. No I/O.
 */
import { PUBLIC_STATUS_WORDS, type PublicStatus } from "../domain/public-status";
import type { WorkOrderStatus } from "../domain/states";
import { eventWords } from "../open311/status";

export type FeedLang = "en" | "zh";

const WORK_ORDER_ZH: Record<WorkOrderStatus, string> = {
  unrouted: "工单等待分派部门",
  dispatched: "工单已派发给部门",
  acknowledged: "工单已受理",
  scheduled: "工单已安排处理",
  in_progress: "正在处理",
  resolved: "工单已办结",
  closed: "工单已关闭",
  rejected: "工单被部门退回，等待重新分派",
  duplicate: "作为重复问题关闭",
  reopened: "工单已重新打开",
};

const EVENT_ZH: Record<string, string> = {
  opened: "有居民报告了此问题。",
  report_added: "有居民报告了此问题。",
  work_order_created: "已生成工单。",
  rerouted: "工单已转交其他部门。",
  deadline_missed: "错过了一个期限。",
  merged: "已与同一问题的另一份报告合并。",
  rated: "有居民评价了处理结果。",
  hidden: "已被管理员隐藏。",
  restored: "已被管理员恢复。",
  update_posted: "有居民补充了情况。",
};

/** What the road sensors (residents' phones, together) did, where a resident's words would be wrong. */
const SENSOR_ZH: Record<string, string> = {
  opened: "路面传感器（居民的手机）报告了此问题。",
  report_added: "路面传感器（居民的手机）报告了此问题。",
};

export const FEED_WORDS = {
  en: {
    status: (s: PublicStatus) => PUBLIC_STATUS_WORDS.en[s],
    statusLine: (s: string) => `Status: ${s}.`,
    reports: (n: number) => `${n} report${n === 1 ? "" : "s"}.`,
    mergedInto: (url: string) => `Merged into another problem, where its reports count: ${url}`,
    department: (d: string) => `Department: ${d}.`,
    said: (words: string) => `A resident wrote: ${words}`,
    title: (service: string, status: string) => `${service}: ${status}`,
    event: (type: string, to: string | null, actor: string) => eventWords(type, to, actor),
    clusterFeed: (service: string, id: string) => `CivicLoop: ${service} ${id}`,
    areaFeed: (where: string | null, service: string | null) =>
      `CivicLoop: problems ${where ? `in ${where}` : "everywhere"}${service ? ` (${service})` : ""}`,
    departmentFeed: (name: string) => `CivicLoop: ${name}`,
  },
  zh: {
    status: (s: PublicStatus) => PUBLIC_STATUS_WORDS.zh[s],
    statusLine: (s: string) => `状态：${s}。`,
    reports: (n: number) => `共 ${n} 份报告。`,
    mergedInto: (url: string) => `已并入另一问题，报告计入该问题：${url}`,
    department: (d: string) => `责任部门：${d}。`,
    said: (words: string) => `居民说：${words}`,
    title: (service: string, status: string) => `${service}：${status}`,
    event: (type: string, to: string | null, actor: string) =>
      (actor === "sensor" ? SENSOR_ZH[type] : undefined) ??
      (type === "status_changed" && to
        ? `状态变更：${WORK_ORDER_ZH[to as WorkOrderStatus] ?? to}。`
        : (EVENT_ZH[type] ?? type.replaceAll("_", " "))),
    clusterFeed: (service: string, id: string) => `CivicLoop：${service} ${id}`,
    areaFeed: (where: string | null, service: string | null) =>
      `CivicLoop：${where ? `${where}内` : "全市"}的问题${service ? `（${service}）` : ""}`,
    departmentFeed: (name: string) => `CivicLoop：${name}`,
  },
} as const;
