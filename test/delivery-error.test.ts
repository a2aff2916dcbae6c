/**
 * A dispatch's error in staff's words: the class the server gives each error its dispatch writes
 * (`src/domain/delivery-error.ts`), taken from the writers themselves where they are pure, and the
 * words each class has in both catalogues (`web/src/lib/delivery-error-words.ts`).
 */
import { describe, expect, it } from "vitest";
import { tooLate, unsent } from "../src/dispatch/follow-up";
import { httpMailSender } from "../src/dispatch/http-mail";
import { refused } from "../src/dispatch/outcome";
import { errorText, reach } from "../src/dispatch/reach";
import { classifyDeliveryError, DELIVERY_ERROR_KINDS } from "../src/domain/delivery-error";
import { fill } from "../src/domain/fill";
import type { DeliveryRow } from "../src/store/outbox";
import { MESSAGES } from "../web/src/i18n/messages";
import { DELIVERY_ERROR_WORDS } from "../web/src/lib/delivery-error-words";

const row = (facts: Partial<DeliveryRow> = {}) =>
  ({ attempts: 0, createdAt: 0, status: "dispatched", remoteStatus: null, ...facts }) as DeliveryRow;
const kindOf = (error: string | null, status: number | null = null) => classifyDeliveryError(error, status);

describe("a delivery error's class", () => {
  it("names the HTTP status a receiver answered, from the attempt or from a dead letter's words", () => {
    const answer = refused(row(), { now: 1 }, { status: 503, text: "Service Unavailable", latencyMs: 5 });
    expect(answer.error).toBe("HTTP 503 Service Unavailable");
    expect(kindOf(answer.error)).toEqual({ kind: "http", status: 503 });
    expect(kindOf("HTTP 401", 401)).toEqual({ kind: "http", status: 401 });
  });

  it("tells a timeout from a connection that never was", () => {
    const timeout = errorText(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    expect(kindOf(timeout)).toEqual({ kind: "timeout", status: null });
    const refusedConnection = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    });
    expect(errorText(refusedConnection)).toBe("fetch failed: connect ECONNREFUSED 127.0.0.1:9");
    for (const error of [
      errorText(refusedConnection),
      "fetch failed: other side closed",
      "fetch failed",
      "cannot resolve hooks.city.example: getaddrinfo ENOTFOUND hooks.city.example",
      "hooks.city.example has no address",
      "ECONNECTION",
    ])
      expect(kindOf(error)?.kind, error).toBe("connect");
  });

  it("says an address dispatch may not call, and settings that are incomplete", async () => {
    const way = await reach("http://127.0.0.1/hook", { fetch, allowPrivate: false });
    expect(way.ok).toBe(false);
    if (way.ok) return;
    expect(kindOf(`webhook ${way.reason}`)?.kind).toBe("address_refused");
    expect(
      kindOf("hooks.city.example resolves to 10.0.0.1, a loopback, private or local address")?.kind,
    ).toBe("address_refused");
    expect(kindOf("Open311 settings incomplete: no endpoint or API key")?.kind).toBe("settings");
  });

  it("tells mail without a sender from mail a server refused", async () => {
    expect(kindOf("no mail sender")).toEqual({ kind: "no_mail_sender", status: null });
    const send = httpMailSender({
      url: "https://mail.example/emails",
      key: "k",
      from: "x@example.com",
      fetch: async () => new Response("busy", { status: 503 }),
    });
    const error = await send({ to: "a@example.com", subject: "s", text: "t", headers: {} }).catch(
      (e: Error) => e.message,
    );
    expect(kindOf(String(error))).toEqual({ kind: "mail", status: 503 });
    expect(kindOf("SMTP 550")).toEqual({ kind: "mail", status: 550 });
  });

  it("says why a row was settled without sending, and an earlier attempt adopted", () => {
    const moved = unsent(row(), 1, "the work order went to another department").error;
    expect(kindOf(moved)?.kind).toBe("not_sent_moved");
    const finished = tooLate(row({ status: "resolved" }));
    expect(kindOf(unsent(row(), 1, String(finished)).error)?.kind).toBe("not_sent_finished");
    const closed = tooLate(row({ remoteStatus: "closed" }));
    expect(kindOf(unsent(row(), 1, String(closed)).error)?.kind).toBe("not_sent_closed");
    expect(kindOf(unsent(row(), 1, "the report is hidden by moderators").error)?.kind).toBe(
      "not_sent_hidden",
    );
    expect(kindOf("adopted the request an earlier attempt made")?.kind).toBe("adopted");
    expect(kindOf("adopted update 77, which an earlier attempt made")?.kind).toBe("adopted");
  });

  it("is none without an error, and `other` for words it does not know", () => {
    expect(kindOf(null)).toBeNull();
    expect(kindOf("")).toBeNull();
    expect(kindOf("the city never gave the work order's request id")).toEqual({
      kind: "other",
      status: null,
    });
  });
});

describe("a delivery error's words", () => {
  it("exist for every class in both languages, the Chinese with no English but a protocol's name", () => {
    for (const kind of DELIVERY_ERROR_KINDS) {
      const en = fill(MESSAGES.en[DELIVERY_ERROR_WORDS[kind]], { status: 503 });
      const zh = fill(MESSAGES["zh-CN"][DELIVERY_ERROR_WORDS[kind]], { status: 503 });
      expect(en, kind).not.toMatch(/[{}]/);
      expect(zh, kind).not.toMatch(/[{}]/);
      expect(zh, kind).toMatch(/\p{Script=Han}/u);
      expect(zh.replace(/HTTP|Open311/g, ""), kind).not.toMatch(/[A-Za-z]/);
    }
    expect(fill(MESSAGES["zh-CN"].deliveryErrorHttp, { status: 503 })).toBe(
      "对方系统返回 HTTP 状态码 503，没有接收。",
    );
  });
});
