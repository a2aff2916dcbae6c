import { useEffect, useState } from "preact/hooks";

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
  return { data, error, reload: () => setRound((r) => r + 1) };
}
