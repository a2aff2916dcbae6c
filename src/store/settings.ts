import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { settings } from "../db/schema";

/** A value made once per database: the first process to ask writes it, every later one reads it. */
export async function settingOrCreate(db: Db, key: string, make: () => string): Promise<string> {
  await db.insert(settings).values({ key, value: make() }).onConflictDoNothing();
  const row = await db.select().from(settings).where(eq(settings.key, key)).get();
  return (row as { value: string }).value;
}
