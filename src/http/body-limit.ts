import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../domain/errors";
import type { AppEnv } from "./context";

/** Refuses a body over the configured size with 413, before anything reads it. */
export const limitBody: MiddlewareHandler<AppEnv> = async (c, next) =>
  bodyLimit({
    maxSize: c.get("config").maxBodyBytes,
    onError: () => {
      throw new AppError(413, "payload_too_large", `the body is over ${c.get("config").maxBodyBytes} bytes`);
    },
  })(c, next);
