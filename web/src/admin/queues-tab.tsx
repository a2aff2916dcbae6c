import { useCallback, useState } from "preact/hooks";
import { noteRefusal, ok } from "../api/client";
import { useNames } from "../catalog";
import { eventWordOf } from "../lib/event-words";
import { DeliveryError } from "../parts/delivery-error";
import { Link } from "../router";
import { KnownFeatures } from "./known-features";
import { ConfirmButton, DepartmentOptions, OutcomeLine, useLoaded, useOutcome } from "./parts";
import { Reroute } from "./reroute";
import { RoutedElsewhere } from "./routed-elsewhere";
import { adminApi } from "./session";
import { StaffPhoto } from "./staff-photo";
import { useAdminText } from "./text";
import { useWorkOrderQueue } from "./work-order-queue";

type Admin = ReturnType<typeof adminApi>;

/**
 * What waits for the admin: unrouted work, work routing would now give elsewhere, dead letters,
 * road spots to review, flagged items.
 */
export function QueuesTab({ token }: { token: string }) {
  const admin = adminApi(token);
  const { outcome, run } = useOutcome();
  const [marked, setMarked] = useState(0);
  // A hide in the flags or a restore below changes both lists.
  const [moderated, setModerated] = useState(0);
  return (
    <>
      <OutcomeLine outcome={outcome} />
      <Unrouted admin={admin} token={token} run={run} />
      <RoutedElsewhere token={token} run={run} />
      <Reroute token={token} run={run} />
      <DeadLetters token={token} run={run} />
      <SensorSpots token={token} run={run} onMarked={() => setMarked((n) => n + 1)} />
      <KnownFeatures token={token} run={run} round={marked} />
      <Flags token={token} run={run} onChanged={() => setModerated((n) => n + 1)} round={moderated} />
      <Hidden token={token} run={run} onChanged={() => setModerated((n) => n + 1)} round={moderated} />
    </>
  );
}

type Run = ReturnType<typeof useOutcome>["run"];

function Unrouted({ token, run }: { admin: Admin; token: string; run: Run }) {
  const { ta, name, formatTime } = useAdminText();
  const { data, error, reload } = useWorkOrderQueue(token, { routed: "false" });
  const [choice, setChoice] = useState<Record<string, string>>({});
  const route = (id: string, department: string) =>
    run(async () => {
      await ok(adminApi(token)["work-orders"][":id"].reroute.$post({ param: { id }, json: { department } }));
      reload();
      return ta("adminRouted", {
        department: name(data?.departments.find((d) => d.code === department)?.name),
      });
    });
  return (
    <section aria-labelledby="unrouted-title">
      <h2 id="unrouted-title">{ta("adminUnroutedTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list">
        {data?.workOrders.map((w) => {
          // Only a department that handles the service can take its work (the server checks it too).
          const handling = data.departments.filter((d) => d.services.includes(w.service));
          const department = choice[w.id] ?? handling[0]?.code ?? "";
          const service = name(data.services.find((s) => s.code === w.service)?.name) || w.service;
          return (
            <li key={w.id} data-work-order={w.id}>
              <span>
                <Link href={`/c/${w.clusterId}`}>
                  {ta("adminWorkOrderLine", { service, n: w.reports, at: formatTime(w.createdAt) })}
                </Link>
                {w.status === "rejected" && (
                  <span class="muted">
                    {" "}
                    {ta("adminRejectedBy", {
                      department:
                        name(data.departments.find((d) => d.code === w.department)?.name) ||
                        (w.department ?? ""),
                    })}
                    {w.rejectedBecause && (
                      <span data-rejected-because>
                        {" "}
                        {ta("adminRejectedBecause", { reason: w.rejectedBecause })}
                      </span>
                    )}
                  </span>
                )}
                {w.said && <span class="muted"> “{w.said}”</span>}
              </span>
              {handling.length === 0 ? (
                <span class="hint">{ta("adminNobodyHandles")}</span>
              ) : (
                <span class="row">
                  <label>
                    {ta("adminRouteTo")}
                    <select
                      value={department}
                      onChange={(e) => setChoice({ ...choice, [w.id]: e.currentTarget.value })}
                    >
                      <DepartmentOptions departments={handling} />
                    </select>
                  </label>
                  <button type="button" onClick={() => void route(w.id, department)}>
                    {ta("adminRoute")}
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {data?.workOrders.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}

function DeadLetters({ token, run }: { token: string; run: Run }) {
  const { t, ta, name } = useAdminText();
  const names = useNames();
  const load = useCallback(() => ok(adminApi(token).outbox.dead.$get()), [token]);
  const { data, error, reload } = useLoaded(load);
  const retry = (id: string) =>
    run(async () => {
      try {
        await ok(adminApi(token).outbox[":id"].retry.$post({ param: { id } }));
      } finally {
        // Refused too (its work order moved since the list was read): the list says why now.
        reload();
      }
      return ta("adminRetrying");
    });
  const dismiss = (id: string) =>
    run(async () => {
      await ok(adminApi(token).outbox[":id"].dismiss.$post({ param: { id } }));
      reload();
      return ta("adminDismissed");
    });
  return (
    <section aria-labelledby="dead-title">
      <h2 id="dead-title">{ta("adminDeadTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list">
        {data?.deadLetters.map((d) => (
          <li key={d.id}>
            <span>
              {ta("adminDeadLine", {
                type: ((word) => (word ? t(word) : d.eventType))(eventWordOf(d.eventType)),
                department: name(names.department(d.department)) || "—",
                n: d.attempts,
              })}{" "}
              {d.lastError && <DeliveryError error={d.lastError} errorClass={d.lastErrorClass} />}
            </span>
            {d.retryable ? (
              <button type="button" onClick={() => void retry(d.id)}>
                {ta("adminRetry")}
              </button>
            ) : (
              // Sent again it would only be settled unsent: the department no longer holds the work order.
              <span class="hint" data-not-retryable>
                {d.heldBy
                  ? ta("adminDeadMoved", { department: name(names.department(d.heldBy)) })
                  : ta("adminDeadMovedNowhere")}
              </span>
            )}
            <ConfirmButton
              label={ta("adminDismiss")}
              confirm={ta("adminDismissConfirm")}
              onConfirm={() => void dismiss(d.id)}
            />
          </li>
        ))}
      </ul>
      {data?.deadLetters.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}

function SensorSpots({ token, run, onMarked }: { token: string; run: Run; onMarked: () => void }) {
  const { ta } = useAdminText();
  const load = useCallback(() => ok(adminApi(token).sensor.spots.$get()), [token]);
  const { data, error, reload } = useLoaded(load);
  const markKnown = (spot: { lat: number; lon: number }) =>
    run(async () => {
      await ok(
        adminApi(token)["known-features"].$post({
          json: {
            type: "FeatureCollection",
            features: [
              {
                type: "Feature",
                geometry: { type: "Point", coordinates: [spot.lon, spot.lat] },
                // Only "mostly felt like bumps" is known: a manhole or a speed bump, the admin cannot tell.
                properties: { kind: "fixture" },
              },
            ],
          },
        }),
      );
      reload();
      onMarked();
      return ta("adminMadeFeature");
    });
  type Spot = NonNullable<typeof data>["candidates"][number];
  const line = (s: Spot) =>
    ta("adminSpotLine", {
      kind: ta(`adminSpot_${s.kind}`),
      lat: s.lat.toFixed(5),
      lon: s.lon.toFixed(5),
      devices: s.devices,
      hits: s.hitPasses,
      passes: s.passes,
    });
  return (
    <>
      <section aria-labelledby="suggested-title">
        <h2 id="suggested-title">{ta("adminSuggestedTitle")}</h2>
        <p class="hint">{ta("adminSuggestedHelp")}</p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <ul class="admin-list">
          {data?.suggestedFeatures.map((s) => (
            <li key={s.id}>
              <span>{line(s)}</span>
              <button type="button" onClick={() => void markKnown(s)}>
                {ta("adminMakeFeature")}
              </button>
            </li>
          ))}
        </ul>
        {data?.suggestedFeatures.length === 0 && <p>{ta("adminNone")}</p>}
      </section>
      <section aria-labelledby="candidates-title">
        <h2 id="candidates-title">{ta("adminCandidatesTitle")}</h2>
        <ul class="admin-list">
          {data?.candidates.map((s) => (
            <li key={s.id}>
              <span>{line(s)}</span>
            </li>
          ))}
        </ul>
        {data?.candidates.length === 0 && <p>{ta("adminNone")}</p>}
      </section>
    </>
  );
}

/** A moderation action by its path, then both lists read again. */
function useModerate(token: string, run: Run, onChanged: () => void) {
  const { ta } = useAdminText();
  return (path: string, method: "POST" | "DELETE" = "POST", body?: object) =>
    run(async () => {
      const res = noteRefusal(
        token,
        await fetch(path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { "content-type": "application/json" } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        }),
      );
      await ok(Promise.resolve(res));
      onChanged();
      return ta("adminModerated");
    });
}

interface ModerationProps {
  token: string;
  run: Run;
  onChanged: () => void;
  /** Grows with each moderation action: the list is read again. */
  round: number;
}

/** How long a block may last, in days; "" until a moderator lifts it. */
const BLOCK_DAYS = ["", "1", "7", "30", "365"] as const;

function Flags({ token, run, onChanged, round }: ModerationProps) {
  const { ta, formatTime } = useAdminText();
  // One choice above the list: how long the blocks given from it last.
  const [blockDays, setBlockDays] = useState<string>("");
  const load = useCallback(() => ok(adminApi(token).flags.$get()), [token, round]);
  const { data, error } = useLoaded(load);
  const act = useModerate(token, run, onChanged);
  return (
    <section aria-labelledby="flags-title">
      <h2 id="flags-title">{ta("adminFlagsTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {data && data.total > data.items.length && (
        <p class="hint">{ta("adminFlagsShown", { shown: data.items.length, total: data.total })}</p>
      )}
      {data?.items.some((f) => f.target === "report") && (
        <label>
          {ta("adminBlockFor")}{" "}
          <select value={blockDays} onChange={(e) => setBlockDays(e.currentTarget.value)}>
            {BLOCK_DAYS.map((d) => (
              <option key={d} value={d}>
                {d ? ta("adminBlockDays", { n: d }) : ta("adminBlockUntilLifted")}
              </option>
            ))}
          </select>
        </label>
      )}
      <ul class="admin-list">
        {data?.items.map((f) => {
          const base = `/api/admin/moderation/${PATH_OF[f.target]}/${f.id}`;
          return (
            <li key={`${f.target}-${f.id}`}>
              <span>
                {ta("adminFlagLine", {
                  target: ta(TARGET_WORDS[f.target]),
                  n: f.flags,
                })}
                {f.hidden && <span class="badge">{ta("adminHidden")}</span>}
                {f.reporterBlocked && (
                  <span class="badge">
                    {f.reporterBlockedUntil
                      ? ta("adminBlockedUntil", { until: formatTime(f.reporterBlockedUntil) })
                      : ta("adminBlocked")}
                  </span>
                )}
                {f.description && <span class="muted"> “{f.description}”</span>}
                {f.target === "photo" && <StaffPhoto token={token} id={f.id} alt={ta("adminFlaggedPhoto")} />}
                {f.photoIds.map((id) => (
                  <StaffPhoto key={id} token={token} id={id} alt={ta("adminFlaggedPhoto")} />
                ))}
                {f.clusterId && <Link href={`/c/${f.clusterId}`}>{ta("adminOpenProblem")}</Link>}
              </span>
              <span class="row">
                {f.hidden ? (
                  <button type="button" onClick={() => void act(`${base}/restore`)}>
                    {ta("adminRestore")}
                  </button>
                ) : (
                  <ConfirmButton
                    label={ta("adminHide")}
                    confirm={ta("adminHideConfirm")}
                    onConfirm={() => void act(`${base}/hide`)}
                  />
                )}
                {/* Hidden already and flagged again: kept hidden, its new flags leave the queue. */}
                <button type="button" onClick={() => void act(`${base}/keep`)}>
                  {ta(f.hidden ? "adminFlagKeepHidden" : "adminFlagKeep")}
                </button>
                {f.target === "report" &&
                  (f.reporterBlocked ? (
                    <button type="button" onClick={() => void act(`${base}/block-reporter`, "DELETE")}>
                      {ta("adminUnblock")}
                    </button>
                  ) : (
                    <ConfirmButton
                      label={ta("adminBlock")}
                      confirm={ta("adminBlockConfirm")}
                      onConfirm={() =>
                        void act(
                          `${base}/block-reporter`,
                          "POST",
                          blockDays ? { days: Number(blockDays) } : undefined,
                        )
                      }
                    />
                  ))}
              </span>
            </li>
          );
        })}
      </ul>
      {data?.items.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}

/** What was flagged or hidden, in the console's words, and where its moderation routes are. */
const TARGET_WORDS = { report: "adminFlagReport", photo: "adminFlagPhoto", note: "adminFlagNote" } as const;
const PATH_OF = { report: "reports", photo: "photos", note: "notes" } as const;

/** What the moderators hid and have not restored, newest first, each with Restore. */
function Hidden({ token, run, onChanged, round }: ModerationProps) {
  const { ta, formatTime } = useAdminText();
  const load = useCallback(() => ok(adminApi(token).moderation.hidden.$get()), [token, round]);
  const { data, error } = useLoaded(load);
  const act = useModerate(token, run, onChanged);
  return (
    <section aria-labelledby="hidden-title">
      <h2 id="hidden-title">{ta("adminHiddenTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list">
        {data?.items.map((h) => (
          <li key={`${h.target}-${h.id}`} data-hidden-item={h.id}>
            <span>
              {ta("adminHiddenLine", {
                target: ta(TARGET_WORDS[h.target]),
                by: h.by.name,
                at: formatTime(h.hiddenAt),
              })}
              {h.description && <span class="muted"> “{h.description}”</span>}
              {h.target === "photo" && <StaffPhoto token={token} id={h.id} alt={ta("adminFlaggedPhoto")} />}
              {h.clusterId && <Link href={`/c/${h.clusterId}`}>{ta("adminOpenProblem")}</Link>}
            </span>
            <span class="row">
              <button
                type="button"
                onClick={() => void act(`/api/admin/moderation/${PATH_OF[h.target]}/${h.id}/restore`)}
              >
                {ta("adminRestore")}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {data?.items.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}
