import { OWES_ACKNOWLEDGEMENT, OWES_RESOLUTION } from "../../../src/domain/deadlines";
import { durationWords } from "../../../src/domain/next-words";
import type { WorkOrderStatus } from "../../../src/domain/states";
import { useI18n } from "../i18n/i18n";
import { WORK_ORDER_LABEL } from "../lib/status";
import { useDeskText } from "./desk-messages";

export interface ReadOutFacts {
  joined: number;
  waitingFor: number;
  department: { code: string; name: { en: string; zh: string } } | null;
  workOrderStatus: WorkOrderStatus | null;
  ackDueAt: string | null;
  resolveDueAt: string | null;
  ackHours: number;
  place?: { en: string; zh: string } | null;
  callerFirstReportedAt?: string | null;
  joinedOthers?: number;
}

const owes = (list: readonly WorkOrderStatus[], s: WorkOrderStatus) => list.includes(s);

/**
 * The answer the call-taker reads aloud: how many called before, and what the department owes
 * now. A work order already acknowledged owes only its fix (telling the caller it "must be
 * acknowledged by" a time would be untrue); one done or closed is named by its status.
 */
export function ReadOut({ r, service }: { r: ReadOutFacts; service?: { en: string; zh: string } }) {
  const d = useDeskText();
  const { t, name, formatTime, lang } = useI18n();
  const department = r.department ? name(r.department.name) : "";
  const status = r.workOrderStatus;
  const owed = () => {
    // Nothing reaches the administrators before the threshold: then, that is what is owed.
    if (!r.department)
      return !status && r.waitingFor > 0 ? d("waitingNoDept", { n: r.waitingFor }) : d("noDepartment");
    if (!status)
      return d("waiting", {
        department,
        n: r.waitingFor,
        ack: durationWords(lang === "en" ? "en" : "zh", r.ackHours),
      });
    // A deadline already passed is said as missed: "must acknowledge it by" a day gone by is untrue.
    const passed = (at: string) => Date.parse(at) < Date.now();
    if (owes(OWES_ACKNOWLEDGEMENT, status) && r.ackDueAt && r.resolveDueAt) {
      const words = { department, ack: formatTime(r.ackDueAt), resolve: formatTime(r.resolveDueAt) };
      if (passed(r.resolveDueAt)) return d("handlesLateBoth", words);
      return d(passed(r.ackDueAt) ? "handlesLateAck" : "handles", words);
    }
    if (owes(OWES_RESOLUTION, status) && r.resolveDueAt) {
      const words = { department, resolve: formatTime(r.resolveDueAt) };
      return d(passed(r.resolveDueAt) ? "handlesAcknowledgedLate" : "handlesAcknowledged", words);
    }
    return d("handlesStatus", { department, status: t(WORK_ORDER_LABEL[status]) });
  };
  return (
    <section class="card read-out" aria-labelledby="read-out-title" data-testid="read-out" tabIndex={-1}>
      <h2 id="read-out-title">{d("readOutTitle")}</h2>
      <p role="status">
        {[
          // The kind and the place by name, so the caller hears what was filed where (a mistyped
          // coordinate far away names no place: said, to be checked).
          service
            ? r.place
              ? d("filedAt", { service: name(service), place: name(r.place) })
              : d("filedNoPlace", { service: name(service) })
            : "",
          // A repeat call is no other resident: not "it joins 1 earlier report" (its own), but who else did.
          ...(r.callerFirstReportedAt
            ? [
                d("callerBefore", { time: formatTime(r.callerFirstReportedAt) }),
                r.joinedOthers ? d("othersToo", { n: r.joinedOthers }) : "",
              ]
            : [r.joined === 0 ? d("joinedNone") : d("joined", { n: r.joined })]),
          owed(),
        ]
          .filter(Boolean)
          // Chinese sentences follow one another without a space.
          .join(lang === "en" ? " " : "")}
      </p>
    </section>
  );
}
