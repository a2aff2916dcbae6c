/**
 * The web app's "how long ago" (`web/src/i18n/age.ts`): whole units counted down, in both
 * languages, never a calendar's words for an age that is not that calendar's day or month.
 */
import { expect, it } from "vitest";
import { ageWords } from "../web/src/i18n/age";

const NOW = Date.parse("2026-12-07T05:00:00Z");
const ago = (seconds: number) => NOW - seconds * 1000;
const DAY = 86_400;

it("says whole units, counted down, in English and Chinese", () => {
  const en = ageWords("en", "just now");
  const zh = ageWords("zh-CN", "刚刚");
  expect(en(ago(30), NOW)).toBe("just now");
  expect(en(ago(90), NOW)).toBe("1 minute ago");
  expect(en(ago(2 * 3600 + 3500), NOW)).toBe("2 hours ago");
  expect(en(ago(1.5 * DAY), NOW)).toBe("1 day ago");
  expect(en(ago(40 * DAY), NOW)).toBe("1 month ago");
  expect(en(ago(59 * DAY), NOW)).toBe("1 month ago");
  expect(en(ago(400 * DAY), NOW)).toBe("1 year ago");
  // A report of 27 October, read on 7 December, is not of "last month" (November).
  expect(zh(Date.parse("2026-10-27T00:07:00Z"), NOW)).toBe("1个月前");
  expect(zh(ago(1.5 * DAY), NOW)).toBe("1天前");
  expect(zh(ago(20), NOW)).toBe("刚刚");
  // A deadline ahead reads forward.
  expect(en(NOW + 3 * 3600 * 1000 + 60_000, NOW)).toBe("in 3 hours");
});
