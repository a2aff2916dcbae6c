/**
 * At most so many open connections per client (an IPv4 address, an IPv6 /64, and eight times
 * as many per IPv6 /56) to the Node server, and at most so many in all.
 * A client holding sockets open (slowloris: a request's headers sent a byte at a time, never
 * ended) otherwise spent the process's file descriptors: with 24,000 such sockets from one
 * machine nobody else could connect until they were let go. A connection over the client's cap is
 * closed at once; a trusted proxy's are not counted per client, as they carry many clients (the
 * proxy is then the place to limit them). Many clients each under their cap (80 addresses holding
 * 256 each) still spent them all: once the server holds its total, a newcomer is let in by closing
 * the oldest connection of the client holding the most, unless it is that client itself, so a
 * resident with one connection is served while a flood holds thousands. The counts say nothing of
 * who: the log names no address.
 */
import { readFileSync } from "node:fs";
import type { Server, Socket } from "node:net";
import { connectionHolder, type TrustedProxies } from "../domain/network";

/** An IPv6 allocation (a /56) may hold this many times a host's cap: its /64s are cheap. */
const ALLOCATION_FACTOR = 8;

/** Ranges a proxy usually sits in: refusals from them suggest a proxy missing from TRUSTED_PROXIES. */
const PROXY_RANGES = new Set(["loopback", "private", "uniqueLocal", "linkLocal", "carrierGradeNat"]);

/**
 * Connections the server holds at most unless MAX_CONNECTIONS says: the process's open-file limit
 * (which Node raises to the hard limit as it starts) less a tenth, and at least 512, for the
 * database, photos, logs and outgoing deliveries; 1,000 where the limit cannot be read.
 */
export function defaultTotalConnections(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    if (!Number.isFinite(soft) || soft <= 0) return 1000;
    return Math.max(16, Math.min(50_000, soft - Math.max(512, Math.ceil(soft / 10))));
  } catch {
    return 1000;
  }
}

export function capConnections(
  server: Server,
  trusted: TrustedProxies,
  limits: { perClient: number; total: number },
  log: (line: string) => void,
): void {
  const { perClient: cap, total } = limits;
  /** Each client's open connections, oldest first; an IPv6 allocation's by count. */
  const held = new Map<string, Set<Socket>>();
  const allocations = new Map<string, number>();
  const tracked = new Map<Socket, { host: string; allocation: string | null } | null>();
  let refused = 0;
  let reportedAt = 0;
  const say = (why: string, range: string) => {
    if (Date.now() - reportedAt <= 60_000) return;
    reportedAt = Date.now();
    log(
      `connections: ${refused} refused or closed so far, ${why} (the latest from a ${range} address${PROXY_RANGES.has(range) ? ": a proxy missing from TRUSTED_PROXIES?" : ""})`,
    );
  };
  /** Forgets a connection once, when it closes or is closed to make room. */
  const release = (socket: Socket) => {
    if (!tracked.has(socket)) return;
    const holder = tracked.get(socket);
    tracked.delete(socket);
    if (!holder) return;
    const own = held.get(holder.host);
    own?.delete(socket);
    if (own?.size === 0) held.delete(holder.host);
    if (holder.allocation === null) return;
    const n = (allocations.get(holder.allocation) ?? 1) - 1;
    if (n > 0) allocations.set(holder.allocation, n);
    else allocations.delete(holder.allocation);
  };
  /** The client holding the most connections (scanned only when the server is full). */
  const greediest = () => {
    let most: Set<Socket> | undefined;
    for (const sockets of held.values()) if (!most || sockets.size > most.size) most = sockets;
    return most;
  };
  // Before the HTTP server's own listener: a refused socket is never parsed.
  server.prependListener("connection", (socket: Socket) => {
    const holder = connectionHolder(socket.remoteAddress, trusted);
    const own = holder ? (held.get(holder.host)?.size ?? 0) : 0;
    if (
      holder &&
      (own >= cap ||
        (holder.allocation !== null && (allocations.get(holder.allocation) ?? 0) >= cap * ALLOCATION_FACTOR))
    ) {
      socket.destroy();
      refused++;
      say(`from clients already holding ${cap} open`, holder.range);
      return;
    }
    if (tracked.size >= total) {
      const most = greediest();
      const oldest = most && most.size > own + 1 ? most.values().next().value : undefined;
      refused++;
      if (!oldest) {
        socket.destroy();
        say(`the server holding ${total} in all`, holder?.range ?? "proxy's");
        return;
      }
      release(oldest);
      oldest.destroy();
      say(
        `the oldest of clients holding the most, the server holding ${total} in all`,
        holder?.range ?? "proxy's",
      );
    }
    tracked.set(socket, holder && { host: holder.host, allocation: holder.allocation });
    if (holder) {
      held.set(holder.host, (held.get(holder.host) ?? new Set()).add(socket));
      if (holder.allocation !== null)
        allocations.set(holder.allocation, (allocations.get(holder.allocation) ?? 0) + 1);
    }
    socket.once("close", () => release(socket));
  });
}
