import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { onBackOnline } from "./saved-answers";

/** Loads something when its key changes; keeps the last answer, an error, or neither while loading. */
export function useFetch<T>(
  load: () => Promise<T>,
  key: unknown[],
): { data: T | null; error: Error | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load()
      .then((d) => {
        if (current) {
          setData(d);
          setError(null);
        }
      })
      .catch((e: Error) => current && setError(e));
    return () => {
      current = false;
    };
  }, [...key, round]);
  // Failed for want of a connection (no answer, or the server's trouble, not a refusal), it loads
  // again by itself when the connection returns: a resident who had gone offline just after
  // sending was left on "could not load" for good, and might have written the report again.
  // A 408 is no answer (a proxy's timeout), as the outbox reads it too.
  const refused = error instanceof ApiError && error.status < 500 && error.status !== 408;
  useEffect(() => {
    if (!error || refused) return;
    const again = () => setRound((r) => r + 1);
    window.addEventListener("online", again);
    return () => window.removeEventListener("online", again);
  }, [error, refused]);
  // Shown from what the device saved: asked again once the connection returns.
  useEffect(() => onBackOnline(() => setRound((r) => r + 1)), []);
  return { data, error, reload: () => setRound((r) => r + 1) };
}
