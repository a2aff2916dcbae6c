/**
 * A refusal in the web app's words (`web/src/lib/failure.ts`): the server explains a 400 in
 * English (`lat: is no location (0,0 is …)`), which the English page may show as it is, but a
 * Chinese page must not: it names the refused field in Chinese, or says something was refused.
 */
import { describe, expect, it } from "vitest";
import { fill } from "../src/domain/fill";
import { adminFieldName } from "../web/src/admin/field-names";
import { ADMIN_TEXT, type AdminKey } from "../web/src/admin/text";
import { ApiError } from "../web/src/api/client";
import { type Lang, MESSAGES, type MessageKey } from "../web/src/i18n/messages";
import { failureText, slowDownText } from "../web/src/lib/failure";

const translate = (lang: Lang) => (key: MessageKey, values?: Record<string, string | number>) =>
  fill(MESSAGES[lang][key], values);
const zh = translate("zh-CN");
const en = translate("en");
const NO_LOCATION = "lat: is no location (0,0 is what a phone without a position fix sends)";
const LATIN = /[A-Za-z]/;

describe("a refused request, as a page says it", () => {
  it("names the refused field in Chinese on a Chinese page, never the server's English", () => {
    const text = failureText(new ApiError(400, "invalid_field", NO_LOCATION, "lat"), zh);
    expect(text).toBe("内容未被接受（“位置”一项填写有误）。请检查填写的内容后重新发送。");
    for (const field of ["contact.email", "caller.phone", "attributes.depth", "photoIds.0", "push.endpoint"])
      expect(failureText(new ApiError(400, "invalid_field", `${field}: is invalid`, field), zh)).not.toMatch(
        LATIN,
      );
  });

  it("says only that something was refused for a field it has no word for, or none", () => {
    for (const field of [undefined, "body", "Content-Type", "constructor", "__proto__"])
      expect(failureText(new ApiError(400, "invalid_json", "the body is not valid JSON", field), zh)).toBe(
        "内容未被接受（有一项内容不符合要求）。请检查填写的内容后重新发送。",
      );
    expect(failureText(new ApiError(415, "unsupported_media_type", "send the body as JSON"), zh)).not.toMatch(
      LATIN,
    );
  });

  it("tells a blocked reporter so, not to sign in again", () => {
    const blocked = new ApiError(403, "reporter_blocked", "reports from this reporter are not accepted");
    expect(failureText(blocked, zh)).toBe(
      "目前不受理来自此设备或联系方式的报告和反馈。如认为有误，请联系市政部门。",
    );
    expect(failureText(blocked, en)).toMatch(
      /^Reports and answers from this device or contact are not accepted/,
    );
  });

  it("tells a resident whose pin is far from the city to move it, not that the place was mistyped", () => {
    const far = new ApiError(
      400,
      "outside_service_area",
      "the place is outside the area this city serves",
      "lat",
    );
    expect(failureText(far, zh)).toMatch(/^这个位置离本市各部门的辖区都很远.*请把标记移到问题所在的地方。$/);
    expect(failureText(far, en)).toMatch(
      /^This place is far from every area .* Move the pin to where the problem is\.$/,
    );
  });

  it("says what is in the way of a conflict that is not a change in the meantime", () => {
    const exists = new ApiError(409, "staff_exists", "an account with this e-mail exists", "email");
    expect(failureText(exists, zh)).toBe("已有使用此邮箱的账号。");
    expect(failureText(exists, en)).toBe("An account with this e-mail already exists.");
    expect(failureText(new ApiError(409, "last_admin", "no admin would be left"), zh)).toContain("管理员");
    expect(failureText(new ApiError(409, "work_order_changed", "it changed"), zh)).toBe(zh("failConflict"));
  });

  it("keeps the server's words on an English page, where they name the field and the problem", () => {
    expect(failureText(new ApiError(400, "invalid_field", NO_LOCATION, "lat"), en)).toBe(
      `It was not accepted (${NO_LOCATION}). Check what you entered, then send it again.`,
    );
  });

  it("says how long to wait after too many requests, as the server asked (up to an hour)", () => {
    const busy = (s?: number) => new ApiError(429, "rate_limited", "too many", undefined, s);
    expect(failureText(busy(2400), en)).toBe(
      "Too many requests came from this connection. Try again in 40 minutes.",
    );
    expect(failureText(busy(3600), zh)).toBe("此网络连接发出的请求过多。请在1 小时后重试。");
    // Rounded up: told "1 minute" for 90 s, a resident trying then is refused again.
    expect(failureText(busy(90), en)).toContain("Try again in 2 minutes.");
    expect(failureText(busy(), en)).toContain("Try again in 1 minute");
  });

  it("says a sign-in's lock in seconds while short, else in minutes rounded up", () => {
    expect(slowDownText(40, en)).toBe("Too many failed attempts. Try again in 40 seconds.");
    expect(slowDownText(892, en)).toBe("Too many failed attempts. Try again in 15 minutes.");
    expect(slowDownText(892, zh)).toBe("失败次数过多，请在 15 分钟后重试。");
  });

  it("names a console's field in the console's own words: a service's questions are not a resident's answers", () => {
    const named = adminFieldName((key: AdminKey, values) => fill(ADMIN_TEXT.zh[key], values));
    const refused = (field: string) =>
      failureText(new ApiError(400, "invalid_field", `${field}: is wrong`, field), zh, named);
    expect(refused("threshold")).toContain("“生成工单所需的居民人数”一项填写有误");
    // A question's field by its number, as the questions editor numbers them.
    expect(refused("attributes.0.values.1.key")).toContain("“问题 1 的选项”");
    expect(refused("attributes.2.description")).toContain(`“问题 3 的${ADMIN_TEXT.zh.adminQuestionText}”`);
    expect(refused("attributes")).toContain("“Open311 附加问题（JSON 格式）”");
    expect(refused("attributes.0.values.1.key")).not.toContain(zh("fieldAnswers"));
    expect(refused("sensor.minHitShare")).toContain(ADMIN_TEXT.zh.adminSensorShare);
    expect(refused("name.zh")).toContain(ADMIN_TEXT.zh.adminNameZh);
    expect(refused("dispatch.endpoint")).toContain(ADMIN_TEXT.zh.adminOpen311Endpoint);
    // A field the console has no label for is named as the resident's pages would, or not at all.
    expect(refused("lat")).toContain("“位置”一项填写有误");
    expect(refused("constructor")).not.toMatch(LATIN);
  });
});
