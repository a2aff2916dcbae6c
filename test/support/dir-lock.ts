import { mkdirSync, rmdirSync } from "node:fs";

/**
 * Runs `f` while holding a lock that test files in other processes respect: a directory, since
 * making one either succeeds or fails at once, whoever else tries.
 */
export async function withDirLock<T>(lock: string, maxWaitMs: number, f: () => Promise<T> | T): Promise<T> {
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > maxWaitMs) throw new Error(`${lock} held too long`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await f();
  } finally {
    rmdirSync(lock);
  }
}
