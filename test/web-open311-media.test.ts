/**
 * The report page of a request an Open311 client made with `media_url`: the picture is a link
 * to the other site (not an image the page loads), in both languages.
 */
import { expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, webSession } from "./support/browser";
import { fromResident } from "./support/residents";

const web = webSession();

it("links the picture an Open311 client sent with the report", async () => {
  const { key } = await web.post("/api/admin/api-keys", { name: "FixMyStreet" }, BROWSER_ADMIN_TOKEN);
  const media = "https://photos.example.org/pothole-9.jpg";
  const res = await fetch(`${web.server.url}/open311/v2/requests.json`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...fromResident("open311-media") },
    body: new URLSearchParams({
      api_key: key,
      service_code: "pothole",
      lat: "28.1931",
      long: "112.9871",
      description: "Pothole with a picture",
      media_url: media,
    }).toString(),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const [created] = (await res.json()) as { service_request_id: string }[];
  const id = created?.service_request_id;
  expect(id).toEqual(expect.any(String));
  const { page, context } = await newVisitor(web.browser, { width: 1366, height: 768 });
  await page.goto(`${web.server.url}/r/${id}`);
  const link = page.getByRole("link", { name: "Picture sent with the report (on another site)" });
  await link.waitFor();
  expect(await link.getAttribute("href")).toBe(media);
  expect(await link.getAttribute("rel")).toContain("noreferrer");
  expect(await page.locator(`img[src="${media}"]`).count()).toBe(0);
  await context.close();
});
