/**
 * At most so many open connections per client (an IPv4 address, an IPv6 /64) to the Node server.
 * A client holding sockets open (slowloris: a request's headers sent a byte at a time, never
 * ended) otherwise spent the process's file descriptors: with 24,000 such sockets from one
 * machine nobody else could connect until they were let go. A connection over the cap is closed
 * at once; a trusted proxy's are not counted, as they carry many clients (the proxy is then the
 * place to limit them). The count says nothing of who: the log names no address.
 */
import type { Server, Socket } from "node:net";
import { connectionHolder, type TrustedProxies } from "../domain/network";

export function capConnections(
  server: Server,
  trusted: TrustedProxies,
  cap: number,
  log: (line: string) => void,
): void {
  const open = new Map<string, number>();
  let refused = 0;
  let reportedAt = 0;
  // Before the HTTP server's own listener: a refused socket is never parsed.
  server.prependListener("connection", (socket: Socket) => {
    const holder = connectionHolder(socket.remoteAddress, trusted);
    if (holder === null) return;
    const held = open.get(holder) ?? 0;
    if (held >= cap) {
      socket.destroy();
      refused++;
      if (Date.now() - reportedAt > 60_000) {
        reportedAt = Date.now();
        log(`connections: ${refused} refused so far, from clients already holding ${cap} open`);
      }
      return;
    }
    open.set(holder, held + 1);
    socket.once("close", () => {
      const left = (open.get(holder) ?? 1) - 1;
      if (left > 0) open.set(holder, left);
      else open.delete(holder);
    });
  });
}
