/**
 * The reference page at `/docs`: the OpenAPI document rendered as plain HTML, with no script
 * and nothing fetched from elsewhere, so it works offline and behind any firewall.
 */
import type { OpenApiDocument } from "./document";

type Doc = OpenApiDocument;
type Json = Record<string, unknown>;

const esc = (text: unknown) =>
  String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

/** Inline `code` spans in the routes' short texts; everything else escaped. */
const prose = (text: string) => esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const anchor = (method: string, path: string) => `${method}-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;

/** A compact type for a parameter's schema: `string`, `integer ≥ 1`, `one of: a, b`. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  if (Array.isArray(schema.enum)) return `one of: ${schema.enum.join(", ")}`;
  const parts = [String(schema.type ?? (schema.anyOf ? "several" : "any"))];
  if (schema.format) parts.push(`(${schema.format})`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(" ");
}

/** The top-level fields of a body, as a table; nested objects are left to the full schema. */
function fieldTable(schema: Json | undefined): string {
  const props = (schema?.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema?.required ?? []) as string[]);
  const rows = Object.entries(props).map(
    ([name, p]) =>
      `<tr><td><code>${esc(name)}</code></td><td>${esc(typeOf(p))}</td><td>${required.has(name) ? "yes" : "no"}</td><td>${p.description ? prose(String(p.description)) : ""}</td></tr>`,
  );
  return rows.length
    ? `<table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>About</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
    : "";
}

/** The JSON Schema of a success answer, folded away (errors share one schema, shown once above). */
function answerSchema(content: Record<string, { schema?: unknown }> | undefined): string {
  const json = Object.entries(content ?? {}).find(([type]) => /json$/.test(type));
  return json?.[1].schema
    ? `<details><summary>Its JSON Schema</summary><pre>${esc(JSON.stringify(json[1].schema, null, 2))}</pre></details>`
    : "";
}

function operationHtml(path: string, method: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const body = op.requestBody as { content: Record<string, { schema?: unknown }> } | undefined;
  const responses = op.responses as Record<
    string,
    { description: string; content?: Record<string, { schema?: unknown }> }
  >;
  return `<section class="op" id="${anchor(method, path)}">
  <h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
  <p><strong>${prose(String(op.summary))}</strong></p>
  ${String(op.description ?? "")
    .split("\n\n")
    .map((p) => `<p>${prose(p)}</p>`)
    .join("")}
  ${
    params.length
      ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Required</th><th>About</th></tr></thead><tbody>${params
          .map(
            (p) =>
              `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema as Json))}</td><td>${p.required ? "yes" : "no"}</td><td>${p.description ? prose(String(p.description)) : ""}</td></tr>`,
          )
          .join("")}</tbody></table>`
      : ""
  }
  ${
    body
      ? Object.entries(body.content)
          .map(
            ([type, media]) =>
              `<p>Body: <code>${esc(type)}</code></p>${fieldTable(media.schema as Json | undefined)}<details><summary>Its JSON Schema</summary><pre>${esc(JSON.stringify(media.schema ?? {}, null, 2))}</pre></details>`,
          )
          .join("")
      : ""
  }
  <ul class="responses">${Object.entries(responses)
    .map(
      ([status, r]) =>
        `<li><code>${esc(status)}</code> ${prose(r.description)}${r.content ? ` <small>(${esc(Object.keys(r.content).join(", "))})</small>` : ""}${status.startsWith("2") ? answerSchema(r.content) : ""}</li>`,
    )
    .join("")}</ul>
</section>`;
}

/** The whole page. */
export function docsPage(doc: Doc): string {
  const ops: { tag: string; path: string; method: string; op: Json }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({ tag: ((op as Json).tags as string[])[0] ?? "", path, method, op: op as Json });
    }
  }
  const tags = doc.tags.map((t) => t.name);
  const toc = tags
    .map(
      (tag) =>
        `<li>${esc(tag)}<ul>${ops
          .filter((o) => o.tag === tag)
          .map(
            (o) =>
              `<li><a href="#${anchor(o.method, o.path)}"><span class="method ${esc(o.method)}">${esc(o.method.toUpperCase())}</span> ${esc(o.path)}</a></li>`,
          )
          .join("")}</ul></li>`,
    )
    .join("");
  // What the service sends rather than answers: the department's webhook.
  const hooks = Object.entries(doc.webhooks).map(([name, item]) =>
    operationHtml(`<the department's webhook URL> (${name})`, "post", item.post as Json),
  );
  const sections = tags
    .map(
      (tag) =>
        `<h2 id="tag-${esc(tag.replace(/\W+/g, "-"))}">${esc(tag)}</h2>${ops
          .filter((o) => o.tag === tag)
          .map((o) => operationHtml(o.path, o.method, o.op))
          .join("\n")}`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} reference</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
  code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
  pre { background: #f4f4f4; padding: 0.75rem; overflow: auto; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
  /* On a phone a long word (a path, "minLon,minLat,maxLon,maxLat", an example body in the prose)
     breaks rather than widen the page; a <pre> keeps its lines and scrolls in its own box. */
  th, td, code, nav a { overflow-wrap: anywhere; }
  th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  .op { border-top: 1px solid #ddd; padding: 0.5rem 0; }
  .method { display: inline-block; min-width: 4.5em; font-weight: 700; font-family: ui-monospace, monospace; }
  .get { color: #0b5394; } .post { color: #38761d; } .put { color: #7f6000; } .delete { color: #990000; }
  nav ul { list-style: none; padding-left: 1rem; }
</style>
</head>
<body>
<header>
  <h1>${esc(doc.info.title)}</h1>
  <p>${prose(doc.info.summary)}</p>
  <p>${prose(doc.info.description)}</p>
  <p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
  <details><summary>The error answer's JSON Schema</summary><pre>${esc(JSON.stringify(doc.components.schemas?.Error ?? {}, null, 2))}</pre></details>
</header>
<nav aria-label="Contents"><h2>Contents</h2><ul>${toc}<li><a href="#webhooks">Webhooks</a></li></ul></nav>
<main>
${sections}
<h2 id="webhooks">Webhooks</h2>
<p>What the service POSTs to a department's webhook (the document's <code>webhooks</code>).</p>
${hooks.join("\n")}
</main>
</body>
</html>
`;
}
