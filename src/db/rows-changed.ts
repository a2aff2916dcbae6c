/** How many rows a lone `db.run()` wrote, on either driver (libSQL's `rowsAffected`, D1's `meta.changes`). */
export const rowsChanged = (result: unknown): number => {
  const r = result as { rowsAffected?: number; meta?: { changes?: number } };
  return r.rowsAffected ?? r.meta?.changes ?? 0;
};
