import type { Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema";

/** The database handle every store function takes first. Made per request or per run. */
export type Db = LibSQLDatabase<typeof schema>;

export const createDb = (client: Client): Db => drizzle(client, { schema });
