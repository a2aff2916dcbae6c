/**
 * The way to an address the dispatch loop calls (a webhook, a city's Open311 server): the URL
 * rules first, then, where the runtime pins connections (Node), the vetted address.
 */
import { checkWebhookUrl } from "../domain/webhook-url";
import type { WebhookConnector } from "./webhook-connect";

export type Reach =
  | { ok: true; url: URL; fetch: typeof fetch; close: () => Promise<void> }
  /** `retry`: worth another attempt later (the name did not resolve), else given up. */
  | { ok: false; reason: string; retry: boolean };

export async function reach(
  address: string,
  opts: { fetch: typeof fetch; connect?: WebhookConnector | undefined; allowPrivate: boolean },
): Promise<Reach> {
  const verdict = checkWebhookUrl(address, opts.allowPrivate);
  if (!verdict.ok) return { ok: false, reason: `address refused: ${verdict.reason}`, retry: false };
  const connection = opts.connect ? await opts.connect(verdict.url) : null;
  if (connection && !connection.ok) {
    return {
      ok: false,
      reason: connection.retry ? connection.reason : `address refused: ${connection.reason}`,
      retry: connection.retry,
    };
  }
  return {
    ok: true,
    url: verdict.url,
    // Called unbound: a Worker's fetch refuses any other `this` than the global one.
    fetch: connection?.fetch ?? opts.fetch,
    close: connection?.close ?? (async () => {}),
  };
}

/**
 * What a failed call's error says: a timeout, or the error's message with its cause's. fetch's own
 * message is only "fetch failed" whatever happened; the cause says whether the receiver refused the
 * connection, dropped it or failed TLS, which is what the department's staff need to fix it.
 */
export const errorText = (e: unknown): string => {
  if (!(e instanceof Error)) return "failed";
  if (e.name === "TimeoutError" || e.name === "AbortError") return "timeout";
  const cause = e.cause instanceof Error ? (e.cause as Error & { code?: unknown }) : null;
  if (!cause) return e.message;
  const code =
    typeof cause.code === "string" && !cause.message.includes(cause.code) ? ` (${cause.code})` : "";
  return `${e.message}: ${cause.message.slice(0, 160)}${code}`;
};
