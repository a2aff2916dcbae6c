/** A share as a percentage, or a dash for a share of nothing. */
export const percent = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
