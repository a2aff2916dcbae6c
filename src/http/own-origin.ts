/**
 * Whether a page's `Origin` is this site's own: the host the request was sent to, or
 * `PUBLIC_URL`'s. Hosts, not origins: a proxy in front may have changed the scheme (`https` to the
 * proxy, `http` to the app) or the host (`Host: 127.0.0.1:8787`, where `PUBLIC_URL` names the city's).
 */
import type { Context } from "hono";
import type { AppEnv } from "./context";

export function isOwnOrigin(c: Context<AppEnv>, origin: string): boolean {
  if (!URL.canParse(origin)) return false;
  const host = new URL(origin).host;
  return [c.req.url, c.get("config").publicUrl].some(
    (own) => URL.canParse(own) && new URL(own).host === host,
  );
}
