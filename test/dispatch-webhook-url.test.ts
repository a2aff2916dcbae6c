import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPrivateHost } from "../src/domain/webhook-url";
import { makeTestApp } from "./support/app";
import { asAdmin, makeService } from "./support/fixtures";

describe("webhook address rules", () => {
  const refused = [
    "http://example.org/hook",
    "https://localhost/hook",
    "https://api.localhost/hook",
    "https://printer.local/hook",
    "https://intranet/hook",
    "https://127.0.0.1/hook",
    "https://127.1.2.3/hook",
    "https://2130706433/hook", // 127.0.0.1 written as one number
    "https://0x7f.0.0.1/hook",
    "https://0.0.0.0/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://172.31.255.255/hook",
    "https://192.168.1.10/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fe80::1]/hook",
    "https://[fd12:3456::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://user:pass@example.org/hook",
    "ftp://example.org/hook",
    "not a url",
  ];
  const allowed = [
    "https://example.org/hook",
    "https://hooks.city.gov.cn:8443/civicloop?x=1",
    "https://8.8.8.8/hook",
    "https://172.32.0.1/hook",
    "https://[2001:db8::1]/hook",
  ];

  it("refuses plain http and loopback, private, link-local and unique-local addresses", () => {
    for (const url of refused) expect(checkWebhookUrl(url, false).ok, url).toBe(false);
    for (const url of allowed) expect(checkWebhookUrl(url, false).ok, url).toBe(true);
  });

  it("allows private addresses and plain http only when the operator says so", () => {
    expect(checkWebhookUrl("http://127.0.0.1:9000/hook", true).ok).toBe(true);
    expect(checkWebhookUrl("http://localhost:9000/hook", true).ok).toBe(true);
    expect(checkWebhookUrl("ftp://127.0.0.1/hook", true).ok).toBe(false);
    expect(isPrivateHost("172.15.0.1")).toBe(false);
  });

  it("refuses such an address when the admin sets a department's webhook", async () => {
    const t = await makeTestApp({ config: { allowPrivateWebhooks: false } });
    await makeService(t, { code: "pothole" });
    const body = (webhookUrl: string) => ({
      code: "roads",
      name: { en: "Roads", zh: "道路" },
      services: ["pothole"],
      webhookUrl,
    });
    const bad = await t.app.request("/api/admin/departments", {
      method: "POST",
      ...asAdmin(body("https://192.168.0.5/hook")),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "webhook_refused", field: "webhookUrl" } });
    const good = await t.app.request("/api/admin/departments", {
      method: "POST",
      ...asAdmin(body("https://hooks.example.org/civicloop")),
    });
    expect(good.status).toBe(201);
    const put = await t.app.request("/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        webhookUrl: "http://hooks.example.org/x",
      }),
    });
    expect(put.status).toBe(400);
  });
});
