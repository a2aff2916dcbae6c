import type { AnchorHTMLAttributes, ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fixedPageAt, ITEM_PAGE } from "../../src/http/page-paths";

/** The few pages of the app, routed by the path (the servers answer every page path with index.html). */
export type Route =
  | { page: "map" }
  | { page: "report" }
  | { page: "mine" }
  | { page: "cluster"; id: string }
  | { page: "myReport"; id: string }
  | { page: "console" }
  | { page: "desk" }
  | { page: "drive" }
  | { page: "performance" }
  | { page: "admin" }
  | { page: "privacy" }
  | { page: "notFound" };

/** The page at a path; the paths are those the servers answer with the app (`src/http/page-paths.ts`). */
export function routeOf(path: string): Route {
  const fixed = fixedPageAt(path === "" ? "/" : path);
  if (fixed) return { page: fixed };
  const m = ITEM_PAGE.exec(path);
  if (m?.[2]) return m[1] === "c" ? { page: "cluster", id: m[2] } : { page: "myReport", id: m[2] };
  return { page: "notFound" };
}

const listeners = new Set<() => void>();

/**
 * Forms that typed changes would be lost with if the page went (the admin's): each says whether
 * it may go, asking the person first. A link followed or Back is asked as a reload is: a
 * half-written service had gone without a word when the nav's Map was chosen.
 */
const leaveGuards = new Set<() => boolean>();
const mayLeave = () => [...leaveGuards].every((guard) => guard());

/** Asks `mayLeave` before a link or Back takes the page away; returns the way to stop asking. */
export function guardLeaving(guard: () => boolean): () => void {
  leaveGuards.add(guard);
  return () => {
    leaveGuards.delete(guard);
  };
}

// The address shown, to go back to when Back is refused. Listening from the start, this comes
// before every page's own listener, which a refused Back then never reaches.
let shown = typeof location === "undefined" ? "" : location.href;
if (typeof window !== "undefined")
  window.addEventListener("popstate", (e) => {
    if (location.href !== shown && leaveGuards.size && !mayLeave()) {
      e.stopImmediatePropagation();
      history.pushState(null, "", shown);
      return;
    }
    shown = location.href;
  });

/** Says the address was changed by hand (`history.pushState` with a state of a page's own). */
export function addressChanged(): void {
  shown = location.href;
}

export function navigate(to: string): void {
  history.pushState(null, "", to);
  shown = location.href;
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

/** Changes the address in place (the map's view as it moves), telling those who watch it. */
export function replaceAddress(to: string): void {
  history.replaceState(null, "", to);
  shown = location.href;
  for (const l of listeners) l();
}

const pathname = () => location.pathname;
const search = () => location.search;

export function usePath(): string {
  return useAddressPart(pathname);
}

/** The address's query (`?lat=…`), followed as the map page keeps its view in it. */
export function useSearch(): string {
  return useAddressPart(search);
}

function useAddressPart(part: () => string): string {
  const [value, setValue] = useState(part);
  useEffect(() => {
    const update = () => setValue(part());
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, [part]);
  return value;
}

/** An ordinary link that changes page without reloading. */
export function Link(
  props: { href: string; children: ComponentChildren } & AnchorHTMLAttributes<HTMLAnchorElement>,
) {
  const { href, children, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        if (mayLeave()) navigate(href);
      }}
    >
      {children}
    </a>
  );
}
