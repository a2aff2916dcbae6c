/**
 * Webhook delivery on Node: host names resolved at each delivery, and the connection pinned to the
 * addresses that were vetted (see `dispatch/webhook-connect.ts`).
 */
import { lookup } from "node:dns/promises";
import { Agent, fetch as undiciFetch } from "undici";
import type { PinnedFetch, ResolveHost } from "../dispatch/webhook-connect";

/** Every address a name resolves to, as the system resolver (getaddrinfo) answers. */
export const nodeResolve: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * A fetch whose connections go to the vetted addresses only: undici's `connect.lookup` answers
 * with them instead of asking DNS again. The URL's host name still names the server for TLS
 * (SNI and certificate check) and in the Host header.
 */
export const pinnedFetch: PinnedFetch = (addresses) => {
  const agent = new Agent({
    connect: {
      lookup: (_hostname, options, callback) => {
        const first = addresses[0] as { address: string; family: number };
        // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else one.
        if ((options as { all?: boolean }).all)
          (callback as (e: null, a: typeof addresses) => void)(null, addresses);
        else callback(null, first.address, first.family);
      },
    },
  });
  return {
    fetch: ((input, init) =>
      undiciFetch(input as string | URL, { ...(init as object), dispatcher: agent })) as typeof fetch,
    close: () => agent.close(),
  };
};
