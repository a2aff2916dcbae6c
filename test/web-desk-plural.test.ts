/**
 * Issue 17's plurals at the hotline desk, in a real Chromium: a call that leaves one more
 * resident to report is read out as "1 more resident", not "1 more residents".
 */
import { expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";

const web = webSession();
const PASSWORD = "a long staff password";
const tries = tryCounter();

/**
 * A call filed at the desk by a call-taker of its own (`operator`), the page's read-out answered,
 * and the page's errors; the context is closed after.
 */
async function fileCall(call: {
  tag: string;
  operator: string;
  spot: { lat: number; lon: number };
  service: string;
  words: string;
  caller: string;
  phone: string;
}) {
  const email = `${call.tag}@city.example`;
  await web.post(
    "/api/admin/staff",
    { email, name: call.operator, role: "call_taker", password: PASSWORD },
    BROWSER_ADMIN_TOKEN,
  );
  const { page, context, errors } = await newVisitor(web.browser);
  await page.goto(`${web.server.url}/desk`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Password").press("Enter");
  await page.getByText(`Signed in as ${call.operator}`).waitFor();
  await page.getByLabel("Latitude").fill(String(call.spot.lat));
  await page.getByLabel("Longitude").fill(String(call.spot.lon));
  await page.getByLabel("Longitude").press("Tab");
  await page.getByLabel("Kind of problem").selectOption(call.service);
  await page.getByLabel("What the caller says").fill(call.words);
  await page.getByLabel("Caller's name").fill(call.caller);
  await page.getByLabel("Caller's phone").fill(call.phone);
  await page.getByRole("button", { name: "File the report" }).click();
  const said = (await page.getByTestId("read-out").textContent()) ?? "";
  await context.close();
  return { said, errors };
}

it("reads out 'once 1 more resident reports it' for the second report of a problem", async () => {
  // A retry's account, resident and spot (about 170 m north) are new: its first try's are still there.
  const n = tries("plural");
  const spot = { lat: 28.1931 + (n - 1) * 0.0015, lon: 113.0044 };
  // One resident reported it already; the call is the second of the three it takes.
  await web.post(
    "/api/reports",
    { service: "pothole", ...spot, description: "A hole by the kerb" },
    undefined,
    `desk-plural-first-${n}`,
  );
  const { said, errors } = await fileCall({
    tag: `plural-${n}`,
    operator: "Operator Wu",
    spot,
    service: "pothole",
    words: "Still there by the kerb",
    caller: "Mr Tang",
    phone: "0731 8888 0101",
  });
  expect(said).toContain("It joins 1 earlier report.");
  expect(said).toContain("once 1 more resident reports it;");
  expect(errors).toEqual([]);
});

it("reads out, for a kind no department takes yet, that it waits for more residents, not for the administrators", async () => {
  const n = tries("no-department");
  const service = `posters_${n}`;
  await web.post(
    "/api/admin/services",
    {
      code: service,
      name: { en: "Illegal posters", zh: "乱贴小广告" },
      radiusM: 30,
      windowDays: 7,
      threshold: 3,
      ackHours: 12,
      resolveHours: 48,
    },
    BROWSER_ADMIN_TOKEN,
  );
  const { said, errors } = await fileCall({
    tag: `no-department-${n}`,
    operator: "Operator Qian",
    spot: { lat: 28.1961 + (n - 1) * 0.0015, lon: 113.0104 },
    service,
    words: "Posters all over the bus stop",
    caller: "Mrs Qian",
    phone: "0731 8888 0202",
  });
  // Nothing reaches the administrators until two more residents report it.
  expect(said).toContain("It is sent on once 2 more residents report it.");
  expect(said).not.toContain("administrators will route it");
  expect(errors).toEqual([]);
});
