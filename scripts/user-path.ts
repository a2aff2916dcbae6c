/**
 * A path given on the command line, read from where the user typed it: `npm run` starts a script
 * in the project's folder, and names the caller's in `INIT_CWD`.
 */
import { resolve } from "node:path";

export const userPath = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);
