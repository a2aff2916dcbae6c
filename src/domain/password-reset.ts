/**
 * Password resets by e-mail, pure: how long a link lives, what its token looks like, and the
 * bilingual mail that carries it (a staff account keeps no language).
 */
import { CITY_TIME_ZONE } from "./city-time";
import { siteOf } from "./links";
import type { Message } from "./notices";

/** A reset link works for an hour, once. */
export const RESET_MS = 60 * 60 * 1000;

/** Every reset token starts so (told apart from session and department tokens at a glance). */
export const RESET_PREFIX = "pwr";

/** The page a reset link opens: the admin console, the token in the fragment (never sent to a server's logs). */
export const resetLink = (publicUrl: string, token: string) =>
  `${siteOf(publicUrl)}/admin#reset=${encodeURIComponent(token)}`;

const time = (ms: number, locale: string) =>
  new Date(ms).toLocaleString(locale, { timeZone: CITY_TIME_ZONE, dateStyle: "medium", timeStyle: "short" });

/** The mail with the link, in Chinese then English. */
export function resetMessage(name: string, url: string, expiresAt: number): Message {
  return {
    subject: "重置 CivicLoop 密码 / Reset your CivicLoop password",
    text: [
      `${name}，您好：`,
      "有人（希望是您本人）请求重置您的 CivicLoop 工作人员账号密码。打开以下链接设置新密码：",
      url,
      `链接仅可使用一次，于 ${time(expiresAt, "zh-CN")}（北京时间）失效。设置新密码后，您所有已登录的会话都将退出。`,
      "如果不是您本人请求，请忽略此邮件，您的密码不会改变。",
      "",
      "---",
      "",
      `Hello ${name},`,
      "Someone (we hope you) asked to reset the password of your CivicLoop staff account. Open this link to set a new one:",
      url,
      `The link works once, until ${time(expiresAt, "en-GB")} (China time). Setting a new password signs you out everywhere.`,
      "If you did not ask for this, ignore this mail: your password stays as it is.",
    ].join("\n"),
  };
}
