/** Where the Node server keeps its files, from the environment. */
import { dirname, resolve } from "node:path";
import type { Env } from "../env";

/** The photo folder: PHOTOS_DIR, or `photos/` beside a `file:` database. */
export const photosDirOf = (env: Env) => env.PHOTOS_DIR ?? besideDatabase(env, "photos");

/** A path beside a `file:` database, else in ./data (a remote or in-memory database). */
export const besideDatabase = (env: Pick<Env, "DATABASE_URL">, name: string) =>
  env.DATABASE_URL.startsWith("file:") && !env.DATABASE_URL.includes(":memory:")
    ? resolve(dirname(resolve(env.DATABASE_URL.slice("file:".length))), name)
    : resolve("data", name);
