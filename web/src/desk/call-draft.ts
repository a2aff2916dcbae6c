/**
 * The call being taken, kept in this tab's session storage as it is typed: a session that ends
 * mid-call (expired after a long shift, revoked), a reload or a slip to another page loses none of
 * it, and the call goes on after the next sign-in. Filing it, or signing out on purpose, forgets it.
 * It holds the caller's name and phone: this tab's only, as the session's token is.
 */
import type { RawAnswers } from "../report-form/attribute-fields";
import type { NearbyCluster } from "../report-form/nearby-prompt";

type Point = { lat: number; lon: number };

export interface CallDraft {
  point: Point | null;
  /** The problem the call joins ("Is it one of these?"): the call is filed at its place. */
  chosen: NearbyCluster | null;
  lat: string;
  lon: string;
  service: string;
  text: string;
  callerName: string;
  phone: string;
  answers: RawAnswers;
  /** The last send: its body as written and its `Idempotency-Key`, kept while the body is the same. */
  attempt: { written: string; key: string } | null;
}

const KEY = "civicloop.deskCall";
const EMPTY_CALL: CallDraft = {
  point: null,
  chosen: null,
  lat: "",
  lon: "",
  service: "",
  text: "",
  callerName: "",
  phone: "",
  answers: {},
  attempt: null,
};

const isPoint = (p: unknown): p is Point =>
  typeof p === "object" &&
  p !== null &&
  Number.isFinite((p as Point).lat) &&
  Number.isFinite((p as Point).lon);
const text = (v: unknown) => (typeof v === "string" ? v : "");

/** The call kept, each field checked (a draft left by an older page, or edited, is read as far as it is sound). */
export function readCall(): CallDraft {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? "{}") as Record<string, unknown>;
    const answers =
      typeof kept.answers === "object" && kept.answers !== null && !Array.isArray(kept.answers)
        ? Object.fromEntries(
            Object.entries(kept.answers).filter(
              ([, v]) => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")),
            ),
          )
        : {};
    const attempt = kept.attempt as CallDraft["attempt"];
    return {
      point: isPoint(kept.point) ? { lat: kept.point.lat, lon: kept.point.lon } : null,
      chosen:
        isPoint(kept.chosen) && typeof (kept.chosen as NearbyCluster).id === "string"
          ? (kept.chosen as NearbyCluster)
          : null,
      lat: text(kept.lat),
      lon: text(kept.lon),
      service: text(kept.service),
      text: text(kept.text),
      callerName: text(kept.callerName),
      phone: text(kept.phone),
      answers: answers as RawAnswers,
      attempt:
        attempt && typeof attempt.written === "string" && typeof attempt.key === "string" ? attempt : null,
    };
  } catch {
    return EMPTY_CALL;
  }
}

export function keepCall(call: CallDraft): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(call));
  } catch {
    // Storage refused (a private window): the call lives in the page only.
  }
}

export function forgetCall(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
  }
}
