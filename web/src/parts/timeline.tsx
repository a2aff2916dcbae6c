import type { ClusterDetail } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { WORK_ORDER_LABEL } from "../lib/status";
import { wordsLang } from "../lib/words-lang";
import { FlagItem } from "./flag-item";
import { sensorVerdict } from "./sensor-verdict";

type TimelineEvent = ClusterDetail["timeline"][number];

/** Who acted, by the event's actor; also a work order's history's name where no staff member acted. */
export const ACTOR: Record<string, MessageKey> = {
  resident: "actorResident",
  department: "actorDepartment",
  admin: "actorAdmin",
  system: "actorSystem",
  sensor: "actorSensor",
};

/**
 * Events whose label already says all their note says (the system's English notes: what was
 * hidden, which cluster was merged in, by its id).
 */
const SAID_BY_LABEL = new Set(["hidden", "restored", "merged"]);

/**
 * Events whose label already names who acted ("A resident rated…", "Hidden by moderators", "The
 * department missed…"): no "by …" after it. A missed deadline is the department's, though the
 * system records it; the road sensors' verdicts name the vehicles.
 */
const ACTOR_IN_LABEL = new Set(["rated", "update_posted", "hidden", "restored", "deadline_missed"]);

/** A rating's stars, from its event's note ("4/5"). */
const starsOf = (e: TimelineEvent) =>
  e.type === "rated" ? /^([1-5])\/5$/.exec(e.note ?? "")?.[1] : undefined;

/** The cluster's append-only history, oldest first, with times; notes are shown as plain text. */
export function Timeline({ events, flags = false }: { events: TimelineEvent[]; flags?: boolean }) {
  const { t, name, formatTime, formatDay, lang } = useI18n();
  const names = useNames();
  const department = (code: string | null) => name(names.department(code)) || t("noDepartment");
  const woLabel = (s: string | null) =>
    s && s in WORK_ORDER_LABEL ? t(WORK_ORDER_LABEL[s as keyof typeof WORK_ORDER_LABEL]) : (s ?? "");

  const describe = (e: TimelineEvent): string => {
    switch (e.type) {
      case "opened":
        return t("eventOpened");
      case "report_added":
        return t("eventReportAdded");
      case "work_order_created":
        return e.department
          ? t("eventWorkOrderCreated", { department: department(e.department) })
          : t("eventWorkOrderUnrouted");
      case "status_changed": {
        const sensed = sensorVerdict(e);
        if (sensed) return t(sensed.key, { n: sensed.n });
        // The date planned then, kept on the entry: the work order holds only the latest.
        if (e.to === "scheduled" && e.scheduledFor)
          // The day planned, as the deadlines and "what happens next" say it (the hour is the console's filler).
          return t("eventScheduledFor", { date: formatDay(e.scheduledFor) });
        // The status's own label names the department; here "by …" follows and says who it was.
        if (e.to === "rejected") return t("eventRejected");
        return t("eventStatusChanged", { status: woLabel(e.to) });
      }
      case "rerouted":
        return t("eventRerouted", { department: department(e.department) });
      case "deadline_missed":
        // The system's note names the deadline in English; say it in the page's language instead.
        return /^acknowledge\b/.test(e.note ?? "")
          ? t("eventAckMissed")
          : /^resolve\b/.test(e.note ?? "")
            ? t("eventResolveMissed")
            : t("eventDeadlineMissed");
      case "merged":
        return t("eventMerged");
      // Its note is the stars ("4/5", never the comment): said in words, not as a fraction.
      case "rated": {
        const stars = starsOf(e);
        return stars ? t("eventRatedStars", { stars }) : t("eventRated");
      }
      // The note names what moderators hid in English; the page says it in its own language.
      case "hidden":
        return t("eventHidden");
      case "restored":
        return t("eventRestored");
      case "update_posted":
        return t("eventUpdatePosted");
      default:
        return e.type;
    }
  };

  return (
    <ol class="timeline">
      {events.map((e, i) => (
        <li key={`${e.at}-${i}`} data-event={e.type} data-to={e.to ?? undefined}>
          <time dateTime={e.at ?? undefined}>{formatTime(e.at)}</time> <strong>{describe(e)}</strong>
          {/* Chinese puts no space before its full-width brackets. */}
          {lang === "en" && " "}
          {!ACTOR_IN_LABEL.has(e.type) && !sensorVerdict(e) && (
            <span class="muted">
              {t("byActor", {
                // The department by its name: after a reroute, "the department" could be either.
                actor:
                  e.actor === "department" && e.department
                    ? department(e.department)
                    : t(ACTOR[e.actor] ?? "actorSystem"),
              })}
            </span>
          )}
          {e.note &&
            !SAID_BY_LABEL.has(e.type) &&
            !(e.type === "deadline_missed" && e.actor === "system") &&
            // The system's reroute after a rejection notes it in English with the departments'
            // codes; the label names the department, and the rejection above it says why.
            !(e.type === "rerouted" && e.actor === "system") &&
            !sensorVerdict(e) &&
            !starsOf(e) && (
              // In the writer's language, whatever the page's (a department's note in Chinese under lang=en).
              <p class="note" lang={wordsLang(e.note)}>
                {e.note}
              </p>
            )}
          {e.noteHidden && <p class="note muted">{t("noteHidden")}</p>}
          {/* What a resident wrote here, anyone may report to the moderators (`residentNote`). */}
          {flags && e.actor === "resident" && e.note && e.type !== "rated" && (
            <FlagItem target="note" id={e.id} words={e.note} />
          )}
        </li>
      ))}
    </ol>
  );
}
