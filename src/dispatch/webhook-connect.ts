/**
 * Where a webhook delivery connects. A name that passes the URL rules can still resolve to a
 * private address (`127.0.0.1.nip.io`), and a name resolved once for the check and again for the
 * connection can answer differently the second time (DNS rebinding). So the runtime that can
 * (Node) looks the name up once, vets every address, and connects to the vetted one.
 *
 * Runtime-neutral: the look-up and the pinned connection are injected by `src/server.ts`. On
 * Workers none is injected: fetch from a Worker cannot reach private addresses in the first place.
 */
import { isPrivateAddress } from "../domain/webhook-url";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * A fetch that connects only to `addresses` (already vetted), whatever the URL's host would
 * resolve to by then; TLS still checks the certificate against the URL's host name.
 */
export type PinnedFetch = (addresses: ResolvedAddress[]) => {
  fetch: typeof fetch;
  close: () => Promise<void>;
};

export type Connection =
  | { ok: true; fetch: typeof fetch; close: () => Promise<void> }
  /** `retry`: worth another attempt later (the name did not resolve), else a dead letter. */
  | { ok: false; reason: string; retry: boolean };

/** Opens the way to one webhook URL, or says why not. */
export type WebhookConnector = (url: URL) => Promise<Connection>;

const IP_LITERAL = /^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\])$/i;

/**
 * Resolves the URL's host (an address literal is taken as it is), refuses it when any of its
 * addresses is private unless `allowPrivate`, and pins the connection to those addresses.
 */
export function vettedConnector(opts: {
  resolve: ResolveHost;
  pin: PinnedFetch;
  allowPrivate: boolean;
}): WebhookConnector {
  return async (url) => {
    const host = url.hostname;
    let addresses: ResolvedAddress[];
    if (IP_LITERAL.test(host)) {
      const bare = host.replace(/^\[(.*)\]$/, "$1");
      addresses = [{ address: bare, family: bare.includes(":") ? 6 : 4 }];
    } else {
      try {
        addresses = await opts.resolve(host);
      } catch (e) {
        return { ok: false, reason: `cannot resolve ${host}: ${(e as Error).message}`, retry: true };
      }
      if (addresses.length === 0) return { ok: false, reason: `${host} has no address`, retry: true };
    }
    const bad = opts.allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      return {
        ok: false,
        reason: `${host} resolves to ${bad.address}, a loopback, private or local address`,
        retry: false,
      };
    }
    return { ok: true, ...opts.pin(addresses) };
  };
}
