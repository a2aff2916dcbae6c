import type { ComponentType } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { CatalogProvider } from "./catalog";
import { I18nProvider, useI18n } from "./i18n/i18n";
import { figureKey } from "./map/figure-address";
import { OutboxBanner } from "./offline/outbox-banner";
import { SavedBanner } from "./offline/saved-banner";
import { MapPage } from "./pages/map-page";
import { BackToMap } from "./parts/back-to-map";
import { Link, routeOf, usePath, useSearch } from "./router";

/**
 * A page whose code loads when someone opens it, not with the first view (the map). Its code
 * may fail to come (offline before the service worker kept it): then the page says so and offers
 * a reload, which it makes itself once the connection is back, rather than "Loading…" for ever (a
 * module that failed to load stays failed until the document is loaded again).
 */
function Lazy<P extends object>({ load, props }: { load: () => Promise<ComponentType<P>>; props: P }) {
  const { t } = useI18n();
  const [Page, setPage] = useState<ComponentType<P> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load().then(
      (p) => live && setPage(() => p),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [load]);
  useEffect(() => {
    if (!failed) return;
    const reload = () => location.reload();
    window.addEventListener("online", reload);
    return () => window.removeEventListener("online", reload);
  }, [failed]);
  if (Page) return <Page {...props} />;
  if (!failed) return <p>{t("loading")}</p>;
  return (
    <div role="alert">
      <p>{t("loadFailed", { message: t(navigator.onLine ? "failServer" : "failNetwork") })}</p>
      <button type="button" onClick={() => location.reload()}>
        {t("tryAgain")}
      </button>
    </div>
  );
}

/**
 * Open data and the API for journalists and developers, the department console and the admin console, kept out of
 * the residents' navigation. Plain links: the server answers them itself.
 */
function Footer() {
  const { t } = useI18n();
  return (
    <footer class="foot">
      <ul>
        <li>
          {t("footData")}
          {t("labelGap")}
          {/* A link and the mark after it kept together: a line that began with "、" broke Chinese typesetting. */}
          <span class="together">
            <a href="/api/exports/clusters.csv">{t("footProblems") + t("aside", { text: "CSV" })}</a>
            {t("listSeparator")}
          </span>
          <span class="together">
            <a href="/api/exports/clusters.geojson">GeoJSON</a>
            {t("groupSeparator")}
          </span>
          <span class="together">
            <a href="/api/exports/work-orders.csv">{t("footWorkOrders") + t("aside", { text: "CSV" })}</a>
            {t("listSeparator")}
          </span>
          <a href="/api/exports/work-orders.geojson">GeoJSON</a>
        </li>
        <li>
          {/* The reference is in English only: said before it is opened, in the link's words. */}
          <a href="/docs" hreflang="en">
            {t("footApi")}
          </a>
        </li>
        <li>
          <a href="/open311/v2/discovery.json">{t("footOpen311")}</a>
        </li>
        <li>
          <Link href="/privacy">{t("footPrivacy")}</Link>
        </li>
        <li>
          <Link href="/console">{t("navConsole")}</Link>
        </li>
        <li>
          <Link href="/admin">{t("navAdmin")}</Link>
        </li>
      </ul>
    </footer>
  );
}

// The first view is the map: every other page's code comes when it is opened (the service
// worker has them all once installed, so offline they open too).
const loadReportForm = () => import("./pages/report-form-page").then((m) => m.ReportFormPage);
const loadMine = () => import("./pages/my-reports-page").then((m) => m.MyReportsPage);
const loadCluster = () => import("./pages/cluster-page").then((m) => m.ClusterPage);
const loadReport = () => import("./pages/report-page").then((m) => m.ReportPage);
/** The console is for departments only. */
const loadConsole = () => import("./console/console-page").then((m) => m.ConsolePage);
/** The admin console (its map editing and its strings) is for the city's administrators only. */
const loadAdmin = () => import("./admin/admin-page").then((m) => m.AdminPage);
/** The hotline desk is for call-takers only, in its own chunk too. */
const loadDesk = () => import("./desk/desk-page").then((m) => m.DeskPage);
/** The Drive page carries the bump detector and its weights: only drivers need them. */
const loadDrive = () => import("./pages/drive-page").then((m) => m.DrivePage);
/** The performance page's tables are for the curious few: loaded when asked for. */
const loadPerformance = () => import("./pages/performance-page").then((m) => m.PerformancePage);
const loadPrivacy = () => import("./pages/privacy-page").then((m) => m.PrivacyPage);

/** From the map, "Report a problem" opens the form's map on the map's view (kept in the address). */
function withView(search: string): string {
  const q = new URLSearchParams(search);
  const view = new URLSearchParams();
  for (const k of ["lat", "lon", "z"]) {
    const v = q.get(k);
    if (v) view.set(k, v);
  }
  const text = view.toString();
  return text ? `?${text}` : "";
}

/**
 * The residents' navigation; its own component, so following the map's moves redraws only it. On a
 * phone the links fold behind a menu button, so the header stays one line above the map.
 */
function Nav({ path }: { path: string }) {
  const { t } = useI18n();
  const search = useSearch();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const self = useRef<HTMLElement>(null);
  // A followed link closes the menu.
  useEffect(() => setOpen(false), [path]);
  // So does a tap anywhere else.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!self.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);
  const nav = [
    { href: "/", label: t("navMap") },
    { href: "/report", label: t("navReport"), query: path === "/" ? withView(search) : "" },
    { href: "/mine", label: t("navMine") },
    { href: "/drive", label: t("navDrive") },
    { href: "/performance", label: t("navPerformance") },
  ];
  return (
    <nav
      ref={self}
      aria-label={t("appName")}
      data-open={open ? "" : undefined}
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !open) return;
        setOpen(false);
        toggle.current?.focus();
      }}
      // Leaving the menu with Tab (or a tap elsewhere) folds it away again.
      onFocusOut={(e) => {
        const next = e.relatedTarget as Node | null;
        if (next && !e.currentTarget.contains(next)) setOpen(false);
      }}
    >
      <button
        ref={toggle}
        type="button"
        class="menu-toggle"
        aria-expanded={open}
        aria-controls="site-nav"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">☰ </span>
        {t("menu")}
      </button>
      <ul id="site-nav">
        {nav.map((n) => (
          <li key={n.href}>
            <Link href={n.href + (n.query ?? "")} aria-current={path === n.href ? "page" : undefined}>
              {n.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The map page, started afresh when the address turns to another figure of the league table or
 * back to the map's own layer; the same element otherwise, so following the map's moves does not
 * redraw it from here.
 */
function MapRoute() {
  const key = figureKey(useSearch());
  return useMemo(() => <MapPage key={key} />, [key]);
}

/** An address the app has no page for. */
function NotFound() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t("notFoundTitle")} · ${t("appName")}`;
  }, [t]);
  return (
    <div class="page">
      <h1>{t("notFoundTitle")}</h1>
      <p>{t("notFound")}</p>
      <BackToMap />
    </div>
  );
}

/** Moves focus from the page to its h1 when one appears, unless the reader has moved on meanwhile. */
function focusHeadingWhenDrawn(page: HTMLElement): () => void {
  const tryHeading = () => {
    const heading = page.querySelector<HTMLElement>("h1");
    if (!heading) return false;
    if (document.activeElement === page) {
      heading.tabIndex = -1;
      heading.focus();
    }
    return true;
  };
  if (tryHeading()) return () => {};
  const watch = new MutationObserver(() => tryHeading() && stop());
  const giveUp = setTimeout(() => stop(), 10_000);
  const stop = () => {
    watch.disconnect();
    clearTimeout(giveUp);
  };
  watch.observe(page, { childList: true, subtree: true });
  return stop;
}

function Shell() {
  const { t, lang, setLang } = useI18n();
  const path = usePath();
  const route = routeOf(path);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a page change, move focus to the page, then to its heading once it is drawn (pages load
  // their code and data first), so a screen reader starts there: the main element alone was read
  // from the top, and an announcement of the page before (the form's "sent") was lost with it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const page = main.current;
    if (!page) return;
    page.focus();
    return focusHeadingWhenDrawn(page);
  }, [path]);

  return (
    <>
      <a class="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header class="top">
        <Link href="/" class="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {t("appName")}
        </Link>
        <Nav path={path} />
        <button
          type="button"
          class="lang"
          aria-label={t("switchLanguage")}
          lang={lang === "en" ? "zh-CN" : "en"}
          onClick={() => setLang(lang === "en" ? "zh-CN" : "en")}
        >
          {t("switchLanguageShort")}
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <SavedBanner />
        <OutboxBanner />
        <CatalogProvider fallback={<p>{t("loading")}</p>}>
          {/* A figure of the league table shown, or the map's own layer: a fresh map page for each. */}
          {route.page === "map" && <MapRoute />}
          {route.page === "report" && <Lazy load={loadReportForm} props={{}} />}
          {route.page === "mine" && <Lazy load={loadMine} props={{}} />}
          {route.page === "cluster" && <Lazy load={loadCluster} props={{ id: route.id }} />}
          {route.page === "myReport" && <Lazy load={loadReport} props={{ id: route.id }} />}
          {route.page === "console" && <Lazy load={loadConsole} props={{}} />}
          {route.page === "desk" && <Lazy load={loadDesk} props={{}} />}
          {route.page === "drive" && <Lazy load={loadDrive} props={{}} />}
          {route.page === "performance" && <Lazy load={loadPerformance} props={{}} />}
          {route.page === "admin" && <Lazy load={loadAdmin} props={{}} />}
          {route.page === "privacy" && <Lazy load={loadPrivacy} props={{}} />}
          {route.page === "notFound" && <NotFound />}
        </CatalogProvider>
      </main>
      <Footer />
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}
