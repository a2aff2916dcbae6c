/**
 * A Worker that only derives a password key, for `test/bench/password.bench.ts` and
 * `test/edge-staff.test.ts`: `?how=native|js&iterations=N&salt=HEX&password=…` runs Web Crypto's
 * PBKDF2 or the pure-JS fallback of `src/domain/password.ts` once and answers the key in hex; 501
 * with the runtime's message when it refuses. (A Worker's module exports only handlers.)
 */
import { pbkdf2Js, pbkdf2Native } from "../../src/domain/password";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const derive = url.searchParams.get("how") === "js" ? pbkdf2Js : pbkdf2Native;
    const salt = (url.searchParams.get("salt") ?? "").match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
    try {
      const key = await derive(
        new TextEncoder().encode(url.searchParams.get("password") ?? "correct horse battery staple"),
        new Uint8Array(salt),
        Number(url.searchParams.get("iterations")),
        32,
      );
      return new Response([...key].map((b) => b.toString(16).padStart(2, "0")).join(""));
    } catch (e) {
      return new Response(String(e), { status: 501 });
    }
  },
};
