import { useCallback, useLayoutEffect, useRef } from "preact/hooks";

type Find = () => HTMLElement | null | undefined;

/**
 * Focus for what replaces the control just used: a button swapped for another, a form for its
 * "thank you". The removed control would leave focus on the page's body, and the next Tab would
 * start again from the top. `focusNext(find)` asks for the element `find` returns to be focused
 * after the next render that shows it (which may come later, once an answer is in).
 */
export function useFocusNext(): (find: Find) => void {
  const pending = useRef<Find | null>(null);
  useLayoutEffect(() => {
    const element = pending.current?.();
    if (!element) return;
    pending.current = null;
    element.focus();
  });
  return useCallback((find: Find) => {
    pending.current = find;
  }, []);
}
