/** The outbox's words (reports waiting on this device), in English and Simplified Chinese. */
import { useTextTable } from "../i18n/text-table";

const en = {
  waiting:
    "{n} reports waiting to send. They are kept on this device and go out by themselves when the connection returns.",
  waitingSingle:
    "1 report waiting to send. It is kept on this device and goes out by itself when the connection returns.",
  waitingOne: "Waiting to send: “{text}”",
  sendNow: "Send now",
  sending: "Sending now. It stays on this device until it has gone through.",
  sendingButton: "Sending…",
  notSent: "Not sent yet: there is no connection. It goes out by itself when the connection returns.",
  sent: "Your report went through: “{text}”.",
  sentLink: "See it",
  refused: "A report could not be sent (“{text}”): {message}",
  reopen: "Open it to correct it",
  correctingElsewhere: "It is open in another tab of this browser, to be corrected there.",
  reopenReplaces: "The form holds a report you are writing. Replace it with this one?",
  reopenReplace: "Yes, replace it",
  reopenKeepMine: "No, keep mine",
  discard: "Discard it",
  dismiss: "OK",
  kept: "It is kept on this device and will be sent by itself when the connection returns.",
  keptLater: "It is kept on this device and will be sent by itself then.",
  keptSoon: "It is kept on this device and will be sent by itself shortly.",
  waitingBusy:
    "The server had too many requests from this connection and asked to wait until {time}: it is tried again then.",
  queued: "You are offline. Your report is kept on this device and will be sent when the connection returns.",
};

export type OutboxKey = keyof typeof en;

const zh: Record<OutboxKey, string> = {
  waiting: "{n} 条报告等待发送。它们保存在本设备上，网络恢复后会自动发送。",
  waitingSingle: "1 条报告等待发送。它保存在本设备上，网络恢复后会自动发送。",
  waitingOne: "等待发送：“{text}”",
  sendNow: "立即发送",
  sending: "正在发送。发送成功之前，报告一直保存在本设备上。",
  sendingButton: "正在发送…",
  notSent: "暂未发送：网络仍未连接。网络恢复后会自动发送。",
  sent: "您的报告已发送成功：“{text}”。",
  sentLink: "查看",
  refused: "有一条报告未能发送（“{text}”）：{message}",
  reopen: "打开修改",
  correctingElsewhere: "它已在本浏览器的另一个标签页中打开，正在那里修改。",
  reopenReplaces: "表单中有一条您正在填写的报告。要用这条未发送的报告替换它吗？",
  reopenReplace: "替换",
  reopenKeepMine: "保留我正在填写的",
  discard: "放弃这条报告",
  dismiss: "知道了",
  kept: "报告已保存在本设备上，网络恢复后会自动发送。",
  keptLater: "报告已保存在本设备上，届时会自动发送。",
  keptSoon: "报告已保存在本设备上，稍后会自动发送。",
  waitingBusy: "此网络连接的请求过多，服务器要求等到 {time}：届时会再次尝试发送。",
  queued: "您当前离线。报告已保存在本设备上，网络恢复后会自动发送。",
};

const TABLES = { en, "zh-CN": zh } as const;

export const useOutboxText = () => useTextTable(TABLES);
/** Outside components (the form's failure text). */
export const outboxText = (lang: "en" | "zh-CN", key: OutboxKey) => TABLES[lang][key];
