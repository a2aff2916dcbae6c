import { useEffect, useRef } from "preact/hooks";

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
    return () => window.removeEventListener("beforeunload", ask);
  }, []);
  return () => {
    changed.current = true;
  };
}
