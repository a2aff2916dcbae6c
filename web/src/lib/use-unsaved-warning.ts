import { useEffect, useRef } from "preact/hooks";

/** The open forms' marks, for a page that swaps its forms away without a reload (the console's tabs). */
const open = new Set<{ current: boolean }>();

/** Whether a form on the page holds typed changes. */
export const unsavedChanges = () => [...open].some((changed) => changed.current);

/**
 * Asks before the tab is reloaded or closed while a form holds typed changes (the browser's own
 * "Leave site?"). Returns the form's `onInput`: anything typed marks it changed (in a ref: a
 * render between a checkbox's input and change events would undo the click). Saved or given up,
 * the form goes away, and the question with it.
 */
export function useUnsavedWarning(): () => void {
  const changed = useRef(false);
  useEffect(() => {
    const ask = (e: BeforeUnloadEvent) => {
      if (!changed.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", ask);
    open.add(changed);
    return () => {
      window.removeEventListener("beforeunload", ask);
      open.delete(changed);
    };
  }, []);
  return () => {
    changed.current = true;
  };
}
