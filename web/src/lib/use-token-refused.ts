import { useEffect } from "preact/hooks";
import { TOKEN_REFUSED } from "../api/client";

/** Calls `ended` when an answer refuses `token`, the page's bearer token (see `TOKEN_REFUSED`). */
export function useTokenRefused(token: string | null | undefined, ended: () => void): void {
  useEffect(() => {
    if (!token) return;
    const heard = (e: Event) => {
      if ((e as CustomEvent<string>).detail === token) ended();
    };
    window.addEventListener(TOKEN_REFUSED, heard);
    return () => window.removeEventListener(TOKEN_REFUSED, heard);
  }, [token, ended]);
}
