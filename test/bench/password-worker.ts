/**
 * A Worker that only derives a password key, for `password.bench.ts`: `?how=native|js&iterations=N`
 * runs Web Crypto's PBKDF2 or the pure-JS fallback of `src/domain/password.ts` once; 501 with the
 * runtime's message when it refuses.
 */
import { pbkdf2Js, pbkdf2Native } from "../../src/domain/password";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const derive = url.searchParams.get("how") === "js" ? pbkdf2Js : pbkdf2Native;
    const secret = new TextEncoder().encode("correct horse battery staple");
    try {
      await derive(secret, new Uint8Array(16), Number(url.searchParams.get("iterations")), 32);
      return new Response("derived");
    } catch (e) {
      return new Response(String(e), { status: 501 });
    }
  },
};
