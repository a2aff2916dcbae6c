import { useEffect, useState } from "preact/hooks";
import { OUTBOX_CHANGED } from "./outbox-send";
import { listQueued, type QueuedReport } from "./outbox-store";

/** The reports kept on this device (waiting, sent, refused), read again whenever the outbox changes. */
export function useQueuedReports() {
  const [records, setRecords] = useState<QueuedReport[]>([]);
  useEffect(() => {
    const refresh = () => void listQueued().then(setRecords, () => {});
    window.addEventListener(OUTBOX_CHANGED, refresh);
    refresh();
    return () => window.removeEventListener(OUTBOX_CHANGED, refresh);
  }, []);
  return [records, setRecords] as const;
}
