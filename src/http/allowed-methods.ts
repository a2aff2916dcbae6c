/**
 * Which methods a path answers to: what a `405 Method Not Allowed` lists in its `Allow` header,
 * so that `DELETE /api/reports` says "use POST" instead of pretending the path does not exist.
 */
import { TrieRouter } from "hono/router/trie-router";

interface Routed {
  routes: readonly { method: string; path: string }[];
}

/**
 * The methods `app`'s routes take at a path, HEAD with GET (Hono answers it from GET); none when
 * no route has the path. Middleware (`use`) and catch-alls (`all`) are registered for every method
 * and name none. Built at the first question, when every route is registered; only asked for a
 * request no route took, so it costs the answered ones nothing.
 */
export function methodsAt(app: Routed): (path: string) => string[] {
  let table: { router: TrieRouter<true>; methods: string[] } | undefined;
  return (path) => {
    if (!table) {
      const router = new TrieRouter<true>();
      const methods = new Set<string>();
      for (const r of app.routes) {
        if (r.method === "ALL") continue;
        router.add(r.method, r.path, true);
        methods.add(r.method);
      }
      table = { router, methods: [...methods] };
    }
    const { router, methods } = table;
    const allowed = methods.filter((m) => router.match(m, path)[0].length > 0);
    return allowed.includes("GET") ? [...allowed, "HEAD"] : allowed;
  };
}
