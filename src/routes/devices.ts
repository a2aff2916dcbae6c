/**
 * Device credentials: a device asks once and sends the credential with its reports. Issuing is
 * limited per network and day, which is what makes many "different" reporters costly to fake.
 */
import { Hono } from "hono";
import { issueCredential } from "../domain/device-credential";
import type { AppEnv } from "../http/context";
import { CROSS_SITE_ANSWER, enforceLimit, refuseOtherSites } from "../http/rate-limit";
import { describe } from "../openapi/describe";
import { deviceIssued } from "../schemas/report";

export const deviceRoutes = new Hono<AppEnv>().post(
  "/",
  describe({
    tag: "Reports",
    summary: "Get a device credential (once per device)",
    description:
      "A signed credential to send as `deviceCredential` with every report from this device: it makes the device one reporter however its network changes. Credentials issued on one network count once toward a threshold together. Issuing is limited per network (IPv4 /24, IPv6 /56) and day. No body.",
    responses: {
      201: { description: "The credential, this once; keep it on the device", json: deviceIssued },
    },
    errors: {
      403: CROSS_SITE_ANSWER,
      429: "`rate_limited`: this network has had its credentials for today; see `Retry-After`",
    },
  }),
  async (c) => {
    // Any site's page could have minted its visitors' credentials, each naming the visitor's
    // network, for one machine to count as a crowd later: a browser says when a page of another
    // site asks. Apps send no such header, and a page of CivicLoop's own asks same-origin.
    refuseOtherSites(c);
    await enforceLimit(c, "devices", "network", c.var.network);
    const credential = await issueCredential(c.var.config.reporterSecret, c.var.network);
    return c.json({ credential }, 201);
  },
);
