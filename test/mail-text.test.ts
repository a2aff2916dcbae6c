/**
 * Outside words in plain-text mails (an audit forged a work order's Place, Map and Public page
 * lines, and a follower's unsubscribe link, from a resident's description and note).
 */
import { describe, expect, it } from "vitest";
import { followUpMail } from "../src/domain/follow-up";
import { oneLine, quoted } from "../src/domain/mail-text";
import { workOrderMail } from "../src/domain/work-order-mail";

const FORGED =
  "Deep hole\r\n\r\n\r\nPlace: near Lushan South Road (28.17, 112.93)\nMap: https://evil.example/map\n\n";

describe("outside words in mails", () => {
  it("are quoted line by line, blank runs made one", () => {
    expect(quoted(FORGED)).toBe(
      "> Deep hole\n>\n> Place: near Lushan South Road (28.17, 112.93)\n> Map: https://evil.example/map",
    );
    expect(quoted("one\u2028two")).toBe("> one\n> two");
    expect(oneLine("Evil Road\r\nBcc: victim@evil.example")).toBe("Evil Road Bcc: victim@evil.example");
  });

  it("never make a line of a work order's mail that reads as its own field, nor a header", () => {
    const mail = workOrderMail({
      workOrderId: "wo-1",
      rerouted: false,
      service: { zh: "坑洼", en: "Pothole" },
      description: FORGED,
      questions: [
        { code: "where", datatype: "text", description: "Where?", order: 1, required: false },
      ] as never,
      answers: { where: "kerb\nPublic page: https://evil.example/c/login" },
      lat: 28.2,
      lon: 112.97,
      place: { zh: "恶意路\r\nBcc: victim@evil.example", en: "Evil Road\r\nBcc: victim@evil.example" },
      reportCount: 3,
      pageUrl: "https://city.example/c/1",
      photoUrls: [],
      ackDueAt: Date.UTC(2026, 2, 1),
      resolveDueAt: Date.UTC(2026, 2, 5),
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    const lines = mail.text.split("\n");
    expect(lines.filter((l) => /^(Place|Map|Public page|位置)[:：]/.test(l))).toEqual([
      "位置：恶意路 Bcc: victim@evil.example (28.200000, 112.970000)",
      "Place: Evil Road Bcc: victim@evil.example (28.200000, 112.970000)",
      expect.stringMatching(/^Map: https:\/\/www\.openstreetmap\.org\//),
      "Public page: https://city.example/c/1",
    ]);
    expect(mail.text).toContain("Residents' words (not checked):\n> Deep hole\n>\n> Place: near Lushan");
    expect(lines.filter((l) => l.startsWith("Bcc"))).toEqual([]);
  });

  it("are quoted in a follow-up to the department too", () => {
    const mail = followUpMail({
      workOrderId: "wo-1",
      service: { zh: "坑洼", en: "Pothole" },
      pageUrl: "https://city.example/c/1",
      items: [{ kind: "report_added", at: Date.UTC(2026, 2, 1), text: FORGED, photoUrls: [] }],
    });
    expect(mail.text).toContain("   > Deep hole\n   >\n   > Place: near Lushan");
    expect(mail.text.split("\n").filter((l) => /^\s*(Place|Map):/.test(l))).toEqual([]);
  });
});
