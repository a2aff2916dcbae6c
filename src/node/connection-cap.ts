/**
 * At most so many open connections per client (an IPv4 address, an IPv6 /64, and eight times
 * as many per IPv6 /56) to the Node server.
 * A client holding sockets open (slowloris: a request's headers sent a byte at a time, never
 * ended) otherwise spent the process's file descriptors: with 24,000 such sockets from one
 * machine nobody else could connect until they were let go. A connection over the cap is closed
 * at once; a trusted proxy's are not counted, as they carry many clients (the proxy is then the
 * place to limit them). The count says nothing of who: the log names no address.
 */
import type { Server, Socket } from "node:net";
import { connectionHolder, type TrustedProxies } from "../domain/network";

/** An IPv6 allocation (a /56) may hold this many times a host's cap: its /64s are cheap. */
const ALLOCATION_FACTOR = 8;

/** Ranges a proxy usually sits in: refusals from them suggest a proxy missing from TRUSTED_PROXIES. */
const PROXY_RANGES = new Set(["loopback", "private", "uniqueLocal", "linkLocal", "carrierGradeNat"]);

export function capConnections(
  server: Server,
  trusted: TrustedProxies,
  cap: number,
  log: (line: string) => void,
): void {
  const open = new Map<string, number>();
  let refused = 0;
  let reportedAt = 0;
  const count = (key: string, by: number) => {
    const n = (open.get(key) ?? 0) + by;
    if (n > 0) open.set(key, n);
    else open.delete(key);
  };
  // Before the HTTP server's own listener: a refused socket is never parsed.
  server.prependListener("connection", (socket: Socket) => {
    const holder = connectionHolder(socket.remoteAddress, trusted);
    if (holder === null) return;
    const { host, allocation, range } = holder;
    const full =
      (open.get(host) ?? 0) >= cap ||
      (allocation !== null && (open.get(allocation) ?? 0) >= cap * ALLOCATION_FACTOR);
    if (full) {
      socket.destroy();
      refused++;
      if (Date.now() - reportedAt > 60_000) {
        reportedAt = Date.now();
        log(
          `connections: ${refused} refused so far, from clients already holding ${cap} open (the latest from a ${range} address${PROXY_RANGES.has(range) ? ": a proxy missing from TRUSTED_PROXIES?" : ""})`,
        );
      }
      return;
    }
    count(host, 1);
    if (allocation !== null) count(allocation, 1);
    socket.once("close", () => {
      count(host, -1);
      if (allocation !== null) count(allocation, -1);
    });
  });
}
