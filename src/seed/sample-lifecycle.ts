/**
 * What departments do with the sample city's work orders, planned without I/O: each department
 * has its own pace (some quick, some slow and late), each work order its own luck, so the demo
 * shows every stage of the lifecycle and the statistics have something to measure.
 */
import type { WorkOrderStatus } from "../domain/states";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface PlannedMove {
  at: number;
  to: WorkOrderStatus;
  note?: string;
  scheduledFor?: number;
}

/** A department's pace: the share of each deadline it usually takes (above 1 is late). */
export function departmentPace(code: string): number {
  let h = 0;
  for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return [0.35, 0.6, 0.85, 1.3][h % 4] ?? 0.85;
}

// The sample city is Changsha: its departments write Chinese, with an English line for visitors
// (a note is one text, not one per language), so both the Chinese and the English pages read it.
const NOTES = {
  acknowledged: [
    "已收到，正在安排维修队 / Received, arranging a crew",
    "已受理，感谢您的报告 / Acknowledged, thank you for reporting",
  ],
  scheduled: ["已安排维修 / Repair booked", "维修队已按约定日期排班 / Crew booked for the date given"],
  in_progress: ["维修队已到现场 / Crew on site", "已开始施工 / Work started"],
  resolved: ["已修复 / Fixed", "已修复并复查 / Repaired and checked"],
};

/**
 * The moves a department makes on one work order created at `createdAt`, with its deadlines, and
 * a pace; `rand` gives this work order's luck. Moves later than `now` are left out (not yet done).
 */
export function planMoves(
  wo: { createdAt: number; ackDueAt: number; resolveDueAt: number },
  pace: number,
  rand: () => number,
  now: number,
): PlannedMove[] {
  // About one in eight is never picked up: it stays dispatched, and turns overdue.
  if (rand() < 0.12) return [];
  const luck = 0.5 + rand();
  const pick = (list: string[]) => list[Math.floor(rand() * list.length)] ?? list[0];
  const moves: PlannedMove[] = [];
  const ackAt = wo.createdAt + (wo.ackDueAt - wo.createdAt) * pace * luck;
  moves.push({ at: ackAt, to: "acknowledged", note: pick(NOTES.acknowledged) });
  let workAt = ackAt + (wo.resolveDueAt - wo.createdAt) * 0.25 * pace * luck;
  if (rand() < 0.5) {
    const scheduledFor = ackAt + (1 + Math.floor(rand() * 3)) * DAY;
    moves.push({ at: ackAt + 2 * HOUR, to: "scheduled", scheduledFor, note: pick(NOTES.scheduled) });
    workAt = scheduledFor;
  }
  moves.push({ at: workAt, to: "in_progress", note: pick(NOTES.in_progress) });
  const resolvedAt = Math.max(
    workAt + 4 * HOUR,
    wo.createdAt + (wo.resolveDueAt - wo.createdAt) * pace * (0.6 + rand() * 0.8),
  );
  moves.push({ at: resolvedAt, to: "resolved", note: pick(NOTES.resolved) });
  if (rand() < 0.4) moves.push({ at: resolvedAt + 3 * DAY, to: "closed" });
  return moves.filter((m) => m.at <= now).map((m) => ({ ...m, at: Math.round(m.at) }));
}
