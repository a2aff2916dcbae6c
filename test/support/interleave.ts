/** A second write landed between a store function's read and its batch, for tests of races. */
import type { Db } from "./app";

/**
 * The store's database, with `other` run once: right after its first read (`all`) has answered,
 * or right before its first batch runs; the interleaving a second request or process makes.
 */
export function interleaved(db: Db, method: "all" | "batch", other: () => Promise<unknown>): Db {
  let done = false;
  return new Proxy(db, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      if (name !== method) return value.bind(target);
      return async (...args: unknown[]) => {
        if (!done && method === "batch") {
          done = true;
          await other();
        }
        const result = await value.apply(target, args);
        if (!done) {
          done = true;
          await other();
        }
        return result;
      };
    },
  });
}
