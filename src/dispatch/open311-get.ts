/** A GET to a city's Open311 server (polls and look-ups), by the dispatch loop's address rules. */
import { open311Url } from "../domain/open311-client";
import type { DeliverOptions } from "./deliver";
import { reach } from "./reach";

export interface Open311Server {
  endpoint: string | null;
  apiKey: string | null;
  jurisdictionId: string | null;
}

/** The server answered, but not with a success: `status` says how. */
export class Open311Refusal extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** The JSON of `path`; throws `Open311Refusal` for a non-2xx answer, other errors as they come. */
export async function getOpen311Json(
  server: Open311Server,
  path: string,
  opts: DeliverOptions & { timeoutMs: number },
  query: Record<string, string> = {},
): Promise<unknown> {
  const url = open311Url(server.endpoint ?? "", path, {
    jurisdiction_id: server.jurisdictionId,
    api_key: server.apiKey,
    ...query,
  });
  const way = await reach(url.href, { ...opts, allowPrivate: opts.config.allowPrivateWebhooks });
  if (!way.ok) throw new Error(way.reason);
  try {
    const get = way.fetch;
    const res = await get(way.url, {
      headers: { accept: "application/json", "user-agent": "CivicLoop-Open311/1" },
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new Open311Refusal(res.status);
    }
    return await res.json();
  } finally {
    await way.close().catch(() => {});
  }
}
