import type { RefObject } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

/** Where the keyboard was in a list: the row (by its key attribute), which of its controls, and the rows around it. */
interface Place {
  key: string;
  control: number;
  /** The keys of the rows after it, then of those before it, nearest first. */
  near: string[];
}

const CONTROLS = "a[href], button, input, select, textarea, [tabindex]";

/**
 * Keeps the keyboard in a list that is redrawn from new data (the map's list when the view
 * moves). A focused row that the redraw moves or drops loses focus to the page, and the next Tab
 * starts again from the top of the page. After each redraw (`deps`), if focus was in the list and
 * is not any more, it returns to the same control of the same row (`rowKey` names the attribute
 * holding a row's key); when that row is gone, to the next row still there (or else the nearest
 * before it), and to `fallback()` when none is.
 */
export function useKeptFocus(
  list: RefObject<HTMLElement | null>,
  rowKey: string,
  fallback: () => HTMLElement | null,
  deps: unknown[],
): void {
  const place = useRef<Place | null>(null);
  // Read while rendering, before this render's changes reach the page.
  place.current = placeOf(list.current, rowKey);
  // The caller names what redraws the list (`deps`).
  useLayoutEffect(() => {
    const was = place.current;
    const root = list.current;
    if (!was || !root || root.contains(document.activeElement)) return;
    const rowOf = (key: string) => root.querySelector(`[${rowKey}="${CSS.escape(key)}"]`);
    const same = rowOf(was.key)?.querySelectorAll<HTMLElement>(CONTROLS)[was.control];
    const near = was.near
      .map(rowOf)
      .find((row) => row !== null)
      ?.querySelector<HTMLElement>(CONTROLS);
    (same ?? near ?? fallback())?.focus();
  }, deps);
}

function placeOf(root: HTMLElement | null, rowKey: string): Place | null {
  const active = document.activeElement;
  if (!root || !(active instanceof HTMLElement) || !root.contains(active)) return null;
  const row = active.closest(`[${rowKey}]`);
  const key = row?.getAttribute(rowKey);
  if (!row || key == null) return null;
  const keys = [...root.querySelectorAll(`[${rowKey}]`)].map((r) => r.getAttribute(rowKey) as string);
  const at = keys.indexOf(key);
  return {
    key,
    control: [...row.querySelectorAll(CONTROLS)].indexOf(active),
    near: [...keys.slice(at + 1), ...keys.slice(0, Math.max(0, at)).reverse()],
  };
}
