/**
 * What the intake needs to know about a service (its settings and the departments that may take
 * it, and every department's area, where reports are counted), and the list of active services
 * (the sensor intake's feeds), kept for a few seconds per database handle (or per scope several
 * handles share, `shareCatalogCache`): reading it is two
 * queries, as costly as the intake's own write. Changes made through this handle forget it at once;
 * another process's copy lives up to `TTL_MS`, but the intake's batch reads the threshold and the
 * deadlines' hours itself and routes again in SQL when `area_version` moved since the copy (areas,
 * or who takes which service), so a stale copy never sends or times a work order wrongly; the
 * service's other settings (radius, window, questions, whether it is active) may be that old.
 * Missing services are never cached, so a new one works at once.
 */
import type { Db } from "../db/client";
import type { PlacedArea, RoutingCandidate } from "../domain/routing";
import { areaVersion, departmentAreas, routingCandidates } from "./departments";
import { findService, listServices, type ServiceRow } from "./services";

const TTL_MS = 5_000;

interface Entry {
  at: number;
  value: {
    service: ServiceRow;
    candidates: RoutingCandidate[];
    areas: PlacedArea[];
    areaVersion: number | null;
  };
}
/**
 * What the copies are kept under: the handle itself, or the scope its maker shared them in. A
 * Worker makes a handle per request, so kept per handle they were never read again, and each
 * report cost five more round trips to the database (every department's area among them).
 */
const scopes = new WeakMap<Db, object>();
const scopeOf = (db: Db): object => scopes.get(db) ?? db;

/** Lets `db` share the copies of every handle given the same `scope` (one per database, per isolate). */
export function shareCatalogCache(db: Db, scope: object): Db {
  scopes.set(db, scope);
  return db;
}

const caches = new WeakMap<object, Map<string, Entry>>();

export async function serviceForIntake(db: Db, code: string) {
  let cache = caches.get(scopeOf(db));
  if (!cache) {
    cache = new Map();
    caches.set(scopeOf(db), cache);
  }
  const hit = cache.get(code);
  if (hit && performance.now() - hit.at < TTL_MS) return hit.value;
  // The version first: areas read after it are at least as new, so a batch finding the version
  // unchanged knows the areas it was handed are current.
  const version = await areaVersion(db);
  const [service, candidates, areas] = await Promise.all([
    findService(db, code),
    routingCandidates(db, code),
    departmentAreas(db),
  ]);
  if (!service) return null;
  const value = { service, candidates, areas, areaVersion: version };
  cache.set(code, { at: performance.now(), value });
  return value;
}

const listCaches = new WeakMap<object, { at: number; value: ServiceRow[] }>();

/** The active services, kept like a service's settings (the sensor intake reads them per upload). */
export async function activeServices(db: Db): Promise<ServiceRow[]> {
  const hit = listCaches.get(scopeOf(db));
  if (hit && performance.now() - hit.at < TTL_MS) return hit.value;
  const value = await listServices(db, { activeOnly: true });
  listCaches.set(scopeOf(db), { at: performance.now(), value });
  return value;
}

const areaCaches = new WeakMap<
  object,
  { at: number; value: { areas: PlacedArea[]; areaVersion: number | null } }
>();

/**
 * Every department's area and the version they were read at, kept like a service's settings: the
 * sensor intake places the road cells a phone drives for the first time in them.
 */
export async function areasForIntake(db: Db) {
  const hit = areaCaches.get(scopeOf(db));
  if (hit && performance.now() - hit.at < TTL_MS) return hit.value;
  // The version first, as `serviceForIntake` reads it.
  const version = await areaVersion(db);
  const value = { areas: await departmentAreas(db), areaVersion: version };
  areaCaches.set(scopeOf(db), { at: performance.now(), value });
  return value;
}

/** Drops what is cached for this handle (and its scope); called by every write to services or departments. */
export function forgetCatalog(db: Db): void {
  caches.delete(scopeOf(db));
  listCaches.delete(scopeOf(db));
  areaCaches.delete(scopeOf(db));
}
