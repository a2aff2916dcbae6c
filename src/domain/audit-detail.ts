/**
 * What an admin change set, as its audit entry keeps it: the request's validated body, so the
 * trail answers "who made this person an admin", "who pointed that webhook where". Secrets and
 * passwords are never kept, only that one was set; an address is kept as its site (its path or
 * query may hold a secret); long lists (an area's corners) and long texts are shortened, so an
 * entry stays small. No I/O.
 */

/** Fields whose text is a secret: kept as "(set)" (a flag saying whether one is set stays as it is). */
const SECRET = /pass|secret|token|apikey|api_key|authori[sz]ation|credential|private|^key$/i;

/**
 * An address as where it points, its site alone: a webhook's or a city's Open311 address may carry
 * a secret in its user, path or query (`https://u:pw@x.example/311?api_key=…`).
 */
function siteOnly(text: string): string | null {
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return null;
  const url = new URL(text);
  const more = url.pathname !== "/" || url.search || url.hash || url.username || url.password;
  return more ? `${url.origin}/…` : url.origin;
}
const MOST_ITEMS = 20;
/**
 * How deep a body is copied: a MultiPolygon's corner is six levels down (area, coordinates,
 * polygon, ring, corner), and at three every corner of a small area read "(2 items)".
 */
const MOST_DEPTH = 6;
const MOST_CHARS = 300;
/** The largest detail kept, in characters of JSON. */
const MOST_DETAIL = 4000;

function shortened(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    const site = siteOnly(value);
    if (site !== null) return site;
    return value.length > MOST_CHARS ? `${value.slice(0, MOST_CHARS)}…` : value;
  }
  if (Array.isArray(value))
    return value.length > MOST_ITEMS || depth > MOST_DEPTH
      ? `(${value.length} items)`
      : value.map((v) => shortened(v, depth + 1));
  if (value && typeof value === "object") {
    if (depth > MOST_DEPTH) return "(…)";
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET.test(k) && typeof v === "string" && v !== "" ? "(set)" : shortened(v, depth + 1),
      ]),
    );
  }
  return value;
}

/** The body as the audit entry keeps it (JSON), or null without one. */
export function auditDetail(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  const text = JSON.stringify(shortened(body, 0));
  if (text === undefined || text === "{}") return null;
  return text.length > MOST_DETAIL ? JSON.stringify({ shortened: `${text.slice(0, MOST_DETAIL)}…` }) : text;
}
