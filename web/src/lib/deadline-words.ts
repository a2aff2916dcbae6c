import type { Translate } from "./failure";
import { spanText } from "./span-text";

/**
 * A work order's next deadline in words: "Next deadline: acknowledge by …", or, once passed,
 * "Deadline passed: acknowledge by …, 6 hours ago" (a past time read as one still to meet).
 */
export function deadlineWords(
  next: { kind: "acknowledge" | "resolve"; at: string },
  t: Translate,
  formatTime: (at: string) => string,
  now = Date.now(),
): string {
  const at = Date.parse(next.at);
  return t(at < now ? "deadlinePassed" : "nextDeadline", {
    kind: t(next.kind === "acknowledge" ? "kindAcknowledge" : "kindResolve"),
    time: formatTime(next.at),
    span: spanText(now - at, t),
  });
}
