/**
 * Status names as SQL, taken from the domain's types and lists (`src/domain/states.ts`,
 * `src/domain/deadlines.ts`) instead of typed into query strings: a misspelt status is a type
 * error, and a group of statuses is written once, in the domain. They go into the SQL as
 * literals, not parameters, so the query planner sees them as before.
 */
import { type SQL, sql } from "drizzle-orm";
import type { DeadlineKind } from "../domain/deadlines";
import type { SpotState } from "../domain/sensor";
import type {
  Actor,
  ClusterState,
  DispatchMethod,
  EventType,
  OutboxKind,
  OutboxState,
  ReportSource,
  WorkOrderStatus,
} from "../domain/states";

type Name =
  | SpotState
  | ClusterState
  | WorkOrderStatus
  | OutboxState
  | OutboxKind
  | EventType
  | Actor
  | ReportSource
  | DeadlineKind
  | DispatchMethod;

const quote = (name: Name): string => {
  // Only the domain's own names come here, but a literal is spliced into SQL: refuse anything else.
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a status name: ${name}`);
  return `'${name}'`;
};

/** A cluster state as an SQL literal: `clusterState("open")` is `'open'`. */
export const clusterState = (state: ClusterState): SQL => sql.raw(quote(state));
/** A work-order status as an SQL literal. */
export const workOrderStatus = (status: WorkOrderStatus): SQL => sql.raw(quote(status));
/** An outbox row's dispatch state as an SQL literal. */
export const outboxState = (state: OutboxState): SQL => sql.raw(quote(state));
/** An outbox row's kind as an SQL literal. */
export const outboxKind = (kind: OutboxKind): SQL => sql.raw(quote(kind));
/** An event type as an SQL literal. */
export const eventType = (type: EventType): SQL => sql.raw(quote(type));
/** A deadline's kind (`work_orders.overdue_notified_for`) as an SQL literal. */
export const deadlineKind = (kind: DeadlineKind): SQL => sql.raw(quote(kind));
/** A road spot's state as an SQL literal. */
export const spotState = (state: SpotState): SQL => sql.raw(quote(state));
/** A department's dispatch method as an SQL literal. */
export const dispatchMethod = (method: DispatchMethod): SQL => sql.raw(quote(method));
/** An actor as an SQL literal. */
export const actor = (who: Actor): SQL => sql.raw(quote(who));

/** A list of names for `IN`: `oneOf(ACCEPTING_CLUSTER_STATES)` is `('open', 'dispatched')`. */
export const oneOf = (names: readonly Name[]): SQL => sql.raw(`(${names.map(quote).join(", ")})`);

/** When the work order `w` names was resolved (older rows have only the time of their last change). */
export const resolvedAt = (w: string): SQL => sql.raw(`coalesce(${w}.resolved_at, ${w}.updated_at)`);

/**
 * Work orders a department took (`routed`), or those none did: none fitted, or the last that
 * fitted rejected it (a rejected one keeps its department until the city sends it elsewhere).
 */
export const routedSql = (routed: boolean, status: SQL, department: SQL): SQL =>
  routed
    ? sql`(${department} IS NOT NULL AND ${status} <> ${workOrderStatus("rejected")})`
    : sql`(${department} IS NULL OR ${status} = ${workOrderStatus("rejected")})`;
