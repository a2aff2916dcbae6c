/**
 * GeoReport v2 in XML: the same resources as JSON, with the spec's element names, no
 * namespace, UTF-8 and escaped text, read back by a strict XML reader.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { escapeXml, toXml } from "../src/open311/xml";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, squareAround } from "./support/fixtures";

interface El {
  name: string;
  children: El[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A strict, non-validating reader for element-only XML: it throws on anything malformed. */
function readXml(doc: string): El {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(doc);
  if (!decl) throw new Error("missing XML declaration with UTF-8");
  let i = decl[0].length;
  const decode = (raw: string) => {
    if (/[<>]/.test(raw)) throw new Error(`raw markup in text: ${raw}`);
    // As every XML parser must (XML 1.0, 2.11), a raw CR or CRLF is read as LF, before entities.
    return raw.replace(/\r\n?/g, "\n").replace(/&([^;]*);?/g, (m, name: string) => {
      if (!m.endsWith(";")) throw new Error(`bare & in text: ${raw}`);
      if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      const ch = ENTITIES[name];
      if (ch === undefined) throw new Error(`unknown entity &${name};`);
      return ch;
    });
  };
  function element(): El {
    const open = /^<([A-Za-z_][\w.-]*)(\/?)>/.exec(doc.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${doc.slice(i, i + 40)}`);
    i += open[0].length;
    const el: El = { name: open[1] as string, children: [], text: "" };
    if (open[2]) return el;
    for (;;) {
      const close = `</${el.name}>`;
      if (doc.startsWith(close, i)) {
        i += close.length;
        return el;
      }
      if (doc.startsWith("</", i)) throw new Error(`mismatched close at ${i}: ${doc.slice(i, i + 30)}`);
      if (doc[i] === "<") {
        el.children.push(element());
        continue;
      }
      const end = doc.indexOf("<", i);
      if (end < 0) throw new Error(`unterminated <${el.name}>`);
      el.text += decode(doc.slice(i, end));
      i = end;
    }
  }
  const root = element();
  if (doc.slice(i).trim() !== "") throw new Error("content after the root element");
  return root;
}

const child = (el: El, name: string) => el.children.find((c) => c.name === name);
const textOf = (el: El, name: string) => child(el, name)?.text;
const names = (el: El) => el.children.map((c) => c.name);

describe("Open311 GeoReport v2 (XML)", () => {
  let t: TestApp;
  let apiKey: string;
  let requestId: string;

  async function getXml(path: string, status = 200) {
    const res = await t.app.request(`/open311/v2/${path}`);
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(status);
    expect(res.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(text).not.toMatch(/xmlns/);
    return readXml(text);
  }
  async function postXml(fields: Record<string, string>, status = 200) {
    const res = await t.app.request("/open311/v2/requests.xml", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return readXml(text);
  }

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, {
      threshold: 1,
      group: "Roads & streets",
      attributes: [
        {
          code: "surface",
          datatype: "singlevaluelist",
          required: true,
          description: "Surface <type>",
          order: 1,
          values: [
            { key: "asphalt", name: "Asphalt" },
            { key: "gravel", name: "Gravel & stones" },
          ],
        },
      ],
    } as never);
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
    const res = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "City app" }),
    });
    apiKey = ((await res.json()) as { key: string }).key;
  });

  it("posts a request and answers its id in XML, keeping UTF-8 and markup characters intact", async () => {
    const doc = await postXml({
      api_key: apiKey,
      service_code: "pothole",
      lat: String(CHANGSHA.lat),
      long: String(CHANGSHA.lon),
      // Control characters are refused on input (test/plain-input.test.ts); the writer's own
      // handling of them is checked below with escapeXml.
      // A line break as a phone's text box writes it (CRLF) must come back as sent.
      description: `路面塌陷 <deep> & "wide" 'hole'\r\n第二行`,
      "attribute[surface]": "gravel",
    });
    expect(doc.name).toBe("service_requests");
    expect(names(doc)).toEqual(["request"]);
    const req = doc.children[0] as El;
    expect(names(req)).toEqual(["service_request_id", "service_notice", "account_id"]);
    requestId = textOf(req, "service_request_id") as string;
    expect(requestId).toMatch(/^[0-9a-z]{24}$/);
  });

  it("answers discovery", async () => {
    const doc = await getXml("discovery.xml");
    expect(doc.name).toBe("discovery");
    expect(names(doc)).toEqual(["changeset", "contact", "key_service", "endpoints"]);
    const endpoint = child(child(doc, "endpoints") as El, "endpoint") as El;
    expect(textOf(endpoint, "url")).toBe("http://civicloop.test/open311/v2");
    expect((child(endpoint, "formats") as El).children.map((f) => [f.name, f.text])).toEqual([
      ["format", "text/xml"],
      ["format", "application/json"],
    ]);
  });

  it("lists services with the spec's elements", async () => {
    const doc = await getXml("services.xml");
    expect(doc.name).toBe("services");
    const service = doc.children[0] as El;
    expect(service.name).toBe("service");
    expect(names(service)).toEqual([
      "service_code",
      "service_name",
      "description",
      "metadata",
      "type",
      "keywords",
      "group",
    ]);
    expect(textOf(service, "metadata")).toBe("true");
    expect(textOf(service, "group")).toBe("Roads & streets");
    expect(child(service, "description")?.children).toEqual([]);
  });

  it("defines a service's attributes with their values", async () => {
    const doc = await getXml("services/pothole.xml");
    expect(doc.name).toBe("service_definition");
    expect(textOf(doc, "service_code")).toBe("pothole");
    const attr = child(child(doc, "attributes") as El, "attribute") as El;
    expect(names(attr)).toEqual([
      "variable",
      "code",
      "datatype",
      "required",
      "datatype_description",
      "order",
      "description",
      "values",
    ]);
    expect(textOf(attr, "description")).toBe("Surface <type>");
    const values = (child(attr, "values") as El).children;
    expect(values.map((v) => [v.name, textOf(v, "key"), textOf(v, "name")])).toEqual([
      ["value", "asphalt", "Asphalt"],
      ["value", "gravel", "Gravel & stones"],
    ]);
  });

  it("lists requests and one request, with the description read back exactly", async () => {
    for (const path of [
      "requests.xml",
      `requests/${requestId}.xml`,
      `requests.xml?service_request_id=${requestId}`,
    ]) {
      const doc = await getXml(path);
      expect(doc.name).toBe("service_requests");
      const req = doc.children[0] as El;
      expect(req.name).toBe("request");
      expect(textOf(req, "service_request_id")).toBe(requestId);
      // The control character is dropped (XML 1.0 cannot carry it); the rest survives escaping.
      expect(textOf(req, "description")).toBe(`路面塌陷 <deep> & "wide" 'hole'\r\n第二行`);
      expect(textOf(req, "status")).toBe("open");
      expect(textOf(req, "requested_datetime")).toBe("2026-03-01T08:00:00Z");
      expect(Number(textOf(req, "lat"))).toBe(CHANGSHA.lat);
      expect(Number(textOf(req, "long"))).toBe(CHANGSHA.lon);
      expect(textOf(req, "agency_responsible")).toBe("roads");
    }
  });

  it("adds extensions in XML too", async () => {
    const doc = await getXml(`requests/${requestId}.xml?extensions=true`);
    const ext = child(doc.children[0] as El, "extended_attributes") as El;
    expect(textOf(ext, "report_count")).toBe("1");
    // The report that opened the problem (one note), the work order created and sent.
    expect((child(ext, "notes") as El).children.map((n) => n.name)).toEqual(["note", "note"]);
  });

  it("answers tokens and updates", async () => {
    const token = await getXml(`tokens/${requestId}.xml`);
    expect(textOf(token.children[0] as El, "token")).toBe(requestId);
    const updates = await getXml("servicerequestupdates.xml");
    expect(updates.name).toBe("service_request_updates");
    const first = updates.children[0] as El;
    expect(first.name).toBe("request_update");
    expect(names(first)).toEqual([
      "update_id",
      "service_request_id",
      "status",
      "updated_datetime",
      "description",
      "media_url",
      "external_status_code",
    ]);
  });

  it("answers errors as <errors><error>", async () => {
    const missing = await getXml("requests/nosuch.xml", 404);
    expect(missing.name).toBe("errors");
    expect(missing.children.map((e) => [e.name, textOf(e, "code")])).toEqual([["error", "404"]]);
    // The suffix in capitals matches no resource, but its client reads the 404 in XML.
    expect((await getXml("services.XML", 404)).name).toBe("errors");
    const forbidden = await postXml({ service_code: "pothole", lat: "28", long: "112" }, 403);
    expect(textOf(forbidden.children[0] as El, "description")).toBe("api_key is missing or not valid");
    const bad = await postXml({ api_key: apiKey, service_code: "pothole", lat: "28", long: "112" }, 400);
    expect(textOf(bad.children[0] as El, "description")).toBe("attribute[surface]: is required");
    const query = await getXml("requests.xml?end_date=soon", 400);
    expect(textOf(query.children[0] as El, "code")).toBe("400");
  });

  it("writes XML by the serializer's own rules", () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>\u0000\uFFFE`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;",
    );
    // A carriage return is written as a reference: raw, a parser would read CRLF as LF.
    expect(escapeXml("一\r\n二\r三")).toBe("一&#13;\n二&#13;三");
    expect(toXml("r", { a: null, b: [1, 2], c: true }, { b: "n" })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<r><a/><b><n>1</n><n>2</n></b><c>true</c></r>\n',
    );
    expect(() => toXml("r", { "bad name": 1 })).toThrow(/element name/);
    expect(() => toXml("r", { list: [1] })).toThrow(/item element/);
  });
});
