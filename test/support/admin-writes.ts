import type { TestApp } from "./app";

/** Every admin write of the app's API document (`POST /api/admin/services/{code}`), as method and path. */
export async function adminWrites(t: TestApp): Promise<{ method: string; path: string }[]> {
  const doc = (await (await t.app.request("/openapi.json")).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith("/api/admin/"))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== "get")
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
}
