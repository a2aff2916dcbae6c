/**
 * `npm run admin -- create-admin EMAIL [--name NAME]`: the first admin account, made straight in
 * the database (DATABASE_URL as the server reads it). The password comes from `ADMIN_PASSWORD`,
 * else from the first line of standard input (`echo … | npm run admin -- create-admin …`, or
 * typed at the prompt, unseen). Prints the account, never the password.
 */
import { existsSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseEnv } from "../src/env";
import { databaseName, openDatabase } from "../src/node/database";
import { staffInput } from "../src/schemas/staff";
import { createStaff, presentStaff } from "../src/store/staff";

const [command, email, ...rest] = process.argv.slice(2);
if (command !== "create-admin" || !email) {
  console.error(
    "usage: npm run admin -- create-admin EMAIL [--name NAME]   (password: ADMIN_PASSWORD or stdin)",
  );
  process.exit(2);
}
const nameAt = rest.indexOf("--name");
const name = nameAt >= 0 ? (rest[nameAt + 1] ?? "") : email.split("@")[0];

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  const tty = Boolean(process.stdin.isTTY);
  // At a terminal, readline takes the keys itself (raw mode) and echoes them to `output`, which
  // shows nothing: the password is typed unseen. From a pipe there is nothing to hide.
  const hidden = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: tty ? hidden : process.stderr, terminal: tty });
  if (tty) process.stderr.write("Password for the new admin (not shown): ");
  for await (const line of rl) {
    rl.close();
    if (tty) process.stderr.write("\n");
    return line;
  }
  return "";
}

const parsed = staffInput.safeParse({ email, name, role: "admin", password: await readPassword() });
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}
const env = parseEnv(process.env);
// A mistyped or missing DATABASE_URL would make a new, empty database, and the account in it,
// which the server never reads: the admin could not sign in, with nothing said.
const file = env.DATABASE_URL.startsWith("file:") ? databaseName(env.DATABASE_URL) : null;
if (file && !env.DATABASE_URL.includes(":memory:") && !existsSync(file)) {
  console.error(
    `no database at ${file}: set DATABASE_URL to the one the server uses (start the server once to make it)`,
  );
  process.exit(2);
}
const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
try {
  // The CLI acts with the server's own authority, the bootstrap's: the trail says it made the account.
  const row = await createStaff(db, parsed.data, Date.now(), {
    by: { staffId: null, name: "npm run admin", via: "admin_token" },
    action: "create-admin",
    subject: null,
  });
  console.log(JSON.stringify({ staff: presentStaff(row) }));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  client.close();
}
