/**
 * The pure rules behind dispatching to a city's system: the mark a request carries and finding
 * it in a city's list, a reopening's words, where a work order is in words, and a caller's
 * "district + place" query split.
 */
import { describe, expect, it } from "vitest";
import { dispatchMark, findMarked, reopenWords } from "../src/domain/open311-client";
import { districtAndRest, whereWords } from "../src/domain/places";

describe("the dispatch mark", () => {
  it("finds the request whose description carries the mark, and only that one", () => {
    const mark = dispatchMark("wo1", "ev9");
    const list = [
      { service_request_id: "7", description: `Hole\n\n${dispatchMark("wo1", "ev8")}` },
      { service_request_id: 8, description: `Hole\n\nhttps://x/c/1\n\n${mark}` },
      { service_request_id: "9", description: null },
      "junk",
    ];
    expect(findMarked(list, mark)).toBe("8");
    expect(findMarked(list, dispatchMark("wo2", "ev9"))).toBeNull();
    expect(findMarked({ error: "no" }, mark)).toBeNull();
    // Listed back by another CivicLoop, whose public words mask a run of nine digits ending an id.
    const digits = dispatchMark("wo1", "01kjm6jmx123456789");
    expect(digits).toContain("x123456789");
    const masked = [
      { service_request_id: "11", description: `Hole\n\n${digits.replace("123456789", "*********")}` },
    ];
    expect(findMarked(masked, digits)).toBe("11");
  });

  it("words a reopening by the request it continues", () => {
    expect(reopenWords("42", " Still deep ")).toBe(
      "Reopened: the problem of request 42 is still there, the residents say.\nStill deep",
    );
    expect(reopenWords(null, null)).toBe(
      "Reopened: the problem of an earlier request is still there, the residents say.",
    );
  });
});

describe("places in a dispatcher's and a caller's words", () => {
  it("says near a named place, or the district alone", () => {
    const label = { zh: "芙蓉区五一大道", en: "Wuyi Avenue, Furong District" };
    expect(whereWords({ label, near: {} })).toEqual({
      zh: "芙蓉区五一大道附近",
      en: "near Wuyi Avenue, Furong District",
    });
    expect(whereWords({ label: { zh: "芙蓉区", en: "Furong District" }, near: null })).toEqual({
      zh: "芙蓉区",
      en: "Furong District",
    });
    expect(whereWords({ label: { zh: null, en: null }, near: null })).toEqual({ zh: null, en: null });
  });

  it("splits a district's name off the words, in Chinese, English or pinyin", () => {
    const furong = { nameZh: "芙蓉区", nameEn: "Furong District", pinyin: "Fúróng Qū" };
    const districts = [furong];
    expect(districtAndRest("芙蓉区五一大道", districts)).toEqual({ district: furong, rest: "五一大道" });
    expect(districtAndRest("Wuyi Avenue, Furong District", districts)?.rest).toBe("wuyi avenue");
    expect(districtAndRest("furongqu wuyi", districts)?.rest).toBe("wuyi");
    expect(districtAndRest("fu rong qu", districts)).toBeNull();
    expect(districtAndRest("芙蓉区", districts)).toBeNull();
    expect(districtAndRest("五一大道", districts)).toBeNull();
  });
});
