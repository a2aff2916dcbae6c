/** Answers in the format the path's suffix asks for, and errors as the spec shapes them. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, asClientError, loggableError } from "../domain/errors";
import { setErrorHeaders } from "../http/errors";
import { presentErrors, XML_ITEMS } from "./present";
import { toXml, type XmlData } from "./xml";

export type Format = "json" | "xml";

/**
 * The format of a request from its path's suffix; JSON unless it ends in `.xml`. In capitals
 * (`.XML`) no route matches, but its 404 is still written in the XML its client reads.
 */
export const formatOf = (c: Context): Format => (/\.xml$/i.test(c.req.path) ? "xml" : "json");

/** Strips `.json` / `.xml` from a path segment such as `pothole.xml`. */
export const withoutSuffix = (segment: string) => segment.replace(/\.(json|xml)$/, "");

/** Sends `data` as JSON, or as XML under the `root` element. */
export function respond(c: Context, root: string, data: XmlData, status: ContentfulStatusCode = 200) {
  if (formatOf(c) === "xml") {
    return c.body(toXml(root, data, XML_ITEMS), status, { "content-type": "text/xml; charset=utf-8" });
  }
  // The spec writes the charset out for both formats; clients that decode by the header alone
  // (some default to ISO-8859-1) then read Chinese names right.
  return c.json(data, status, { "content-type": "application/json; charset=utf-8" });
}

/** The Open311 sub-app's error handler: `[{code, description}]` or `<errors><error>…`. */
export function open311Error(thrown: Error, c: Context) {
  const err = asClientError(thrown);
  let status: ContentfulStatusCode = 500;
  let description = "something went wrong on our side";
  if (err instanceof AppError) {
    status = err.status;
    description = err.message;
    setErrorHeaders(c, err);
  } else if (err instanceof HTTPException) {
    status = err.status as ContentfulStatusCode;
    description = err.message || "bad request";
  } else {
    // Only the error itself is logged: never the request, whose body may hold a contact.
    console.error(`unhandled error on ${c.req.method} ${c.req.routePath}: ${loggableError(err)}`);
  }
  // An intake refusal lists every problem (`inOpen311Terms`): the spec's errors are a list.
  const problems = err instanceof AppError ? (err.details?.problems as string[] | undefined) : undefined;
  const errors = problems?.length
    ? problems.flatMap((p) => presentErrors(status, p))
    : presentErrors(status, description);
  return respond(c, "errors", errors, status);
}
