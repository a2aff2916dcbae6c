/**
 * The call being taken, kept in this tab's session storage as it is typed: a session that ends
 * mid-call (expired after a long shift, revoked), a reload or a slip to another page loses none of
 * it, and the call goes on after the next sign-in. Filing it, or signing out on purpose, forgets it.
 * It holds the caller's name and phone: this tab's only, as the session's token is.
 */
import type { RawAnswers } from "../report-form/attribute-fields";

export interface CallDraft {
  point: { lat: number; lon: number } | null;
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
export const EMPTY_CALL: CallDraft = {
  point: null,
  lat: "",
  lon: "",
  service: "",
  text: "",
  callerName: "",
  phone: "",
  answers: {},
  attempt: null,
};

export function readCall(): CallDraft {
  try {
    return { ...EMPTY_CALL, ...(JSON.parse(sessionStorage.getItem(KEY) ?? "{}") as Partial<CallDraft>) };
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
