/**
 * Many residents from one machine, said explicitly: the test app trusts the local machine as a
 * proxy (`LOCAL_PROXIES`), and each simulated resident comes through it from its own network
 * (an IPv4 /24 of its own in 10.0.0.0/8), named in X-Forwarded-For. Protection stays on.
 */

/** A number for a resident's name (FNV-1a), so the same name always comes from the same network. */
function numberOf(name: string | number): number {
  if (typeof name === "number") return name;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The address of resident `name`: `10.x.y.7`, one /24 per resident (65,536 of them). */
export function residentAddress(name: string | number): string {
  const n = numberOf(name) % 65_536;
  return `10.${n >> 8}.${n & 255}.7`;
}

/** Headers a request from resident `name` carries through the local proxy. */
export function fromResident(name: string | number): Record<string, string> {
  return { "x-forwarded-for": residentAddress(name) };
}

let anonymous = 0;
/** Headers of a resident seen once: a network no other request in this process uses. */
export function fromSomeResident(): Record<string, string> {
  anonymous += 1;
  return fromResident(`anonymous-${anonymous}`);
}
