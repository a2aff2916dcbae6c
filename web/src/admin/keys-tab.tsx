import { useCallback, useState } from "preact/hooks";
import { ok } from "../api/client";
import { ConfirmButton, DepartmentOptions, OutcomeLine, ShownOnce, useLoaded, useOutcome } from "./parts";
import { adminApi } from "./session";
import { useAdminText } from "./text";

/** The sites as typed: separated by spaces or commas, a site copied with its slash taken as it. */
const sitesOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((o) => o.replace(/\/$/, ""));

/** A key's sites changed in place (a key issued before its web client's site was known). */
function KeySites({
  name,
  origins,
  save,
}: {
  name: string;
  origins: string[];
  save: (sites: string[]) => Promise<unknown>;
}) {
  const { ta } = useAdminText();
  const [text, setText] = useState(origins.join(" "));
  return (
    <details>
      <summary>{ta("adminApiKeyChangeSites", { name })}</summary>
      <form
        class="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(sitesOf(text));
        }}
      >
        <label>
          {ta("adminApiKeyOrigins")}
          <input value={text} onInput={(e) => setText(e.currentTarget.value)} inputMode="url" />
        </label>
        <button type="submit">{ta("adminSave")}</button>
      </form>
    </details>
  );
}

/** Machines' credentials: department tokens and Open311 API keys, each shown once, revocable. */
export function KeysTab({ token }: { token: string }) {
  return (
    <>
      <DepartmentTokens token={token} />
      <ApiKeys token={token} />
    </>
  );
}

function DepartmentTokens({ token }: { token: string }) {
  const { ta, name, formatTime } = useAdminText();
  const loadDepartments = useCallback(() => ok(adminApi(token).departments.$get()), [token]);
  const departments = useLoaded(loadDepartments);
  const [code, setCode] = useState("");
  const chosen = code || departments.data?.departments[0]?.code || "";
  const loadTokens = useCallback(
    () =>
      chosen
        ? ok(adminApi(token).departments[":code"].tokens.$get({ param: { code: chosen } }))
        : Promise.resolve({ tokens: [] }),
    [token, chosen],
  );
  const tokens = useLoaded(loadTokens);
  const [label, setLabel] = useState("");
  const [issued, setIssued] = useState<{ id: string; token: string } | null>(null);
  const { outcome, run, busy } = useOutcome();
  const deptName = name(departments.data?.departments.find((d) => d.code === chosen)?.name);

  const issue = (e: Event) => {
    e.preventDefault();
    setIssued(null);
    void run(async () => {
      const created = await ok(
        adminApi(token).departments[":code"].tokens.$post({
          param: { code: chosen },
          json: label.trim() ? { label: label.trim() } : {},
        }),
      );
      setIssued({ id: created.id, token: created.token });
      setLabel("");
      tokens.reload();
      return "";
    });
  };
  const revoke = (id: string) =>
    run(async () => {
      await ok(adminApi(token).departments[":code"].tokens[":id"].$delete({ param: { code: chosen, id } }));
      // The token shown once, revoked: it no longer works, so it is not offered for copying.
      setIssued((shown) => (shown?.id === id ? null : shown));
      tokens.reload();
      return ta("adminRevoked");
    });

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">{ta("adminTokensTitle")}</h2>
      <form class="card admin-form" onSubmit={issue}>
        <label>
          {ta("adminTokenDepartment")}
          <select value={chosen} onChange={(e) => setCode(e.currentTarget.value)}>
            <DepartmentOptions departments={departments.data?.departments ?? []} />
          </select>
        </label>
        <label>
          {ta("adminTokenLabelField")}
          <input value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={!chosen || busy}>
          {ta("adminTokenIssue")}
        </button>
      </form>
      <OutcomeLine outcome={outcome} />
      {issued && <ShownOnce label={ta("adminTokenIssued", { department: deptName })} value={issued.token} />}
      <ul class="admin-list">
        {tokens.data?.tokens.map((k) => (
          <li key={k.id}>
            <span>
              {k.label ?? k.id}{" "}
              <span class="muted">{ta("adminCreatedAt", { at: formatTime(k.createdAt) })}</span>
              {k.revokedAt && <span class="badge">{ta("adminRevoked")}</span>}
            </span>
            {!k.revokedAt && (
              <ConfirmButton
                label={ta("adminRevoke")}
                name={`${ta("adminRevoke")} ${k.label ?? k.id}`}
                confirm={ta("adminRevokeTokenConfirm")}
                onConfirm={() => void revoke(k.id)}
              />
            )}
          </li>
        ))}
      </ul>
      {tokens.data?.tokens.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}

function ApiKeys({ token }: { token: string }) {
  const { ta, formatTime } = useAdminText();
  const load = useCallback(() => ok(adminApi(token)["api-keys"].$get()), [token]);
  const keys = useLoaded(load);
  const [appName, setAppName] = useState("");
  const [trusted, setTrusted] = useState(false);
  const [origins, setOrigins] = useState("");
  const [issued, setIssued] = useState<{ id: string; name: string; key: string } | null>(null);
  const { outcome, run, busy } = useOutcome();

  const issue = (e: Event) => {
    e.preventDefault();
    setIssued(null);
    void run(async () => {
      const sites = sitesOf(origins);
      const created = await ok(
        adminApi(token)["api-keys"].$post({ json: { name: appName, trusted, origins: sites } }),
      );
      setIssued({ id: created.apiKey.id, name: created.apiKey.name, key: created.key });
      setAppName("");
      setOrigins("");
      keys.reload();
      return "";
    });
  };
  const revoke = (id: string) =>
    run(async () => {
      const res = await adminApi(token)["api-keys"][":id"].$delete({ param: { id } });
      if (!res.ok) await ok(res as never);
      setIssued((shown) => (shown?.id === id ? null : shown));
      keys.reload();
      return ta("adminRevoked");
    });

  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">{ta("adminApiKeysTitle")}</h2>
      <form class="card admin-form" onSubmit={issue}>
        <label>
          {ta("adminApiKeyName")}
          <input value={appName} onInput={(e) => setAppName(e.currentTarget.value)} required />
        </label>
        <label class="check">
          <input type="checkbox" checked={trusted} onChange={(e) => setTrusted(e.currentTarget.checked)} />
          {ta("adminApiKeyTrusted")}
        </label>
        <label>
          {ta("adminApiKeyOrigins")}
          <input
            value={origins}
            onInput={(e) => setOrigins(e.currentTarget.value)}
            inputMode="url"
            aria-describedby="api-key-origins-hint"
          />
        </label>
        <p class="hint" id="api-key-origins-hint">
          {ta("adminApiKeyOriginsHint")}
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {ta("adminApiKeyIssue")}
        </button>
      </form>
      <OutcomeLine outcome={outcome} />
      {issued && <ShownOnce label={ta("adminApiKeyIssued", { name: issued.name })} value={issued.key} />}
      <ul class="admin-list">
        {keys.data?.apiKeys.map((k) => (
          <li key={k.id}>
            <span>
              {k.name} <span class="muted">{ta("adminCreatedAt", { at: formatTime(k.createdAt) })}</span>
              {k.trusted && <span class="badge">{ta("adminTrusted")}</span>}
              <span class="muted">
                {" "}
                {k.origins.length > 0
                  ? ta("adminApiKeyOriginsOf", { origins: k.origins.join(", ") })
                  : ta("adminApiKeyNoOrigins")}
              </span>
              {k.revokedAt && <span class="badge">{ta("adminRevoked")}</span>}
            </span>
            {!k.revokedAt && (
              <ConfirmButton
                label={ta("adminRevoke")}
                name={`${ta("adminRevoke")} ${k.name}`}
                confirm={ta("adminRevokeKeyConfirm")}
                onConfirm={() => void revoke(k.id)}
              />
            )}
            {!k.revokedAt && (
              <KeySites
                name={k.name}
                origins={k.origins}
                save={(sites) =>
                  run(async () => {
                    await ok(
                      adminApi(token)["api-keys"][":id"].$patch({
                        param: { id: k.id },
                        json: { origins: sites },
                      }),
                    );
                    keys.reload();
                    return ta("adminSaved");
                  })
                }
              />
            )}
          </li>
        ))}
      </ul>
      {keys.data?.apiKeys.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}
