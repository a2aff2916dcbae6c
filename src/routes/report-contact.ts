/**
 * A reporter's rights over how the city may reach them (PIPL arts. 45–47: to see, to correct, to
 * delete): the name, e-mail, phone and app device id an app sent with their reports. The report
 * id is public; the capability is the report's receipt, in the body, so it stays out of logs.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../domain/errors";
import { mailboxKey } from "../domain/reporter";
import type { AppEnv } from "../http/context";
import { CROSS_SITE_ANSWER, limitWrites } from "../http/rate-limit";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { contactCorrection, contactKept, receiptOnly } from "../schemas/rating";
import { correctReporterContact, eraseReporterContact, reporterContact } from "../store/contacts";
import { reporterOfReport } from "../store/receipts";

const ERRORS = {
  403: `\`forbidden\`: no receipt, or not this report's; ${CROSS_SITE_ANSWER}`,
  429: "`rate_limited`: too many from this network; see `Retry-After`",
};

export const reportContactRoutes = new Hono<AppEnv>()
  .post(
    "/reports/:id/receipt/check",
    describe({
      tag: "Reports",
      summary: "Check a report's receipt, reading nothing else",
      description:
        "`200 {receipt: {valid: true}}` when `receipt` (in the body, so it stays out of logs) is this report's; `403` otherwise. What the web app asks when a resident opens their report's private link on another device, before keeping the receipt there: nothing of the report's contact is opened to check it.",
      responses: {
        200: {
          description: "It is this report's",
          json: z.object({ receipt: z.object({ valid: z.literal(true) }) }),
        },
      },
      errors: ERRORS,
    }),
    // A guess at a receipt costs what a rating does: the network's budget bounds guessing.
    limitWrites("ratings"),
    jsonBody(receiptOnly),
    async (c) => {
      await reporterOfReport(c.var.db, c.req.param("id"), c.req.valid("json").receipt);
      c.header("Cache-Control", "no-store");
      return c.json({ receipt: { valid: true as const } });
    },
  )
  .post(
    "/reports/:id/contact",
    describe({
      tag: "Reports",
      summary: "See how the city may reach you: the contact details kept with your report",
      description:
        "The name, e-mail, phone and app device id kept (sealed) with the report, opened for its reporter; null where none was sent or none can be kept (a Worker without `CONTACT_KEY` keeps none). A `POST` with `receipt` in the body, as for a rating, so it stays out of logs; the answer is never cached.",
      responses: { 200: { description: "What is kept", json: contactKept } },
      errors: ERRORS,
    }),
    // A receipt's read of what is private: the network's budget bounds guessing receipts.
    limitWrites("ratings"),
    jsonBody(receiptOnly),
    async (c) => {
      const id = c.req.param("id");
      // A report moderators hid is its reporter's still: no public look-up first.
      await reporterOfReport(c.var.db, id, c.req.valid("json").receipt);
      c.header("Cache-Control", "no-store");
      return c.json({ contact: (await reporterContact(c.var.db, c.var.config.contactKey, id)) ?? none });
    },
  )
  .patch(
    "/reports/:id/contact",
    describe({
      tag: "Reports",
      summary: "Put right how the city may reach you, on your reports of this problem",
      description:
        'Each of `name`, `email`, `phone` given replaces what every report the receipt\'s reporter filed on the problem keeps (sealed); `null` deletes it (a deleted e-mail takes the "is it fixed?" questions not yet sent with it). Who the reporter is, as the problem counts residents, does not change. `503 contact_unavailable` where no contact can be kept (a Worker without `CONTACT_KEY`). The answer is what the report keeps now.',
      responses: { 200: { description: "What is kept now", json: contactKept } },
      errors: {
        ...ERRORS,
        400: "a field that is no name, e-mail address or phone number, named; or none of them given",
        503: "`contact_unavailable`: this installation keeps no contact details",
      },
    }),
    limitWrites("ratings"),
    jsonBody(contactCorrection),
    async (c) => {
      const id = c.req.param("id");
      const { receipt, ...correction } = c.req.valid("json");
      await reporterOfReport(c.var.db, id, receipt);
      const key = c.var.config.contactKey;
      if (key === null)
        throw new AppError(503, "contact_unavailable", "contacts cannot be kept here (no contact key)");
      const { email } = correction;
      const mailbox =
        email === undefined
          ? undefined
          : email === null
            ? null
            : await mailboxKey(c.var.config.reporterSecret, email);
      await correctReporterContact(c.var.db, key, id, correction, mailbox);
      c.header("Cache-Control", "no-store");
      return c.json({ contact: (await reporterContact(c.var.db, key, id)) ?? none });
    },
  )
  .post(
    "/reports/:id/contact/erase",
    describe({
      tag: "Reports",
      summary: "Delete how to reach you: the contact details kept with your reports of this problem",
      description:
        'The name, e-mail, phone and app device id kept (sealed) with every report the receipt\'s reporter filed on the problem are deleted, with the "is it fixed?" questions not yet sent. So are the follows of the problem that the addresses of those reports asked for ("tell me what happens"); other follows are ended by their own links (`/api/follows/manage`). The reports stay on the problem, counted as before; nothing of them was public. `receipt` in the body, as for a rating, so it stays out of logs.',
      responses: {
        200: {
          description: "Deleted (`erased: false`: there was nothing left to delete)",
          json: z.object({ contact: z.object({ erased: z.boolean() }) }),
        },
      },
      errors: {
        403: `\`forbidden\`: no receipt, or not this report's; ${CROSS_SITE_ANSWER}`,
        429: "`rate_limited`: too many from this network; see `Retry-After`",
      },
    }),
    // A receipt's write, as a rating is: the network's budget bounds guessing receipts.
    limitWrites("ratings"),
    jsonBody(receiptOnly),
    async (c) => {
      const id = c.req.param("id");
      // A report moderators hid is its reporter's still: no public look-up first.
      await reporterOfReport(c.var.db, id, c.req.valid("json").receipt);
      return c.json({
        contact: { erased: await eraseReporterContact(c.var.db, id, c.var.config.contactKey) },
      });
    },
  );

const none = { name: null, email: null, phone: null, deviceId: null };
