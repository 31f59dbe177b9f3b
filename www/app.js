// The Field Journal: a magazine and shop whose "For you" rail is ranked by Inkling in the
// visitor's browser. It imports the package exactly as a customer would, through the
// import map in index.html ("inkling" → /pkg/web/inkling.js).
//
// Demo-only switches (for trying it out and for the end-to-end tests):
//   ?now=2026-11-21T09:00:00Z  run the page at that moment (passed to Inkling as `at` / `now`)
//   ?policy=2027-01            pretend the site published a new privacy policy version

import init, { Inkling, version } from "inkling";
import { h, replace, byId, storageReason } from "./js/dom.js";
import { now, setNow, isSimulated } from "./js/clock.js";
import { CatalogIndex } from "./js/catalog-index.js";
import { card } from "./js/cards.js";
import { consentBanner } from "./js/banner.js";
import { renderPrivacyCenter } from "./js/privacy-center.js";
import { renderModelCard } from "./js/model-card.js";

const SITE_ID = "demo";
const POLICY_VERSION = new URLSearchParams(location.search).get("policy") || "2026-11";
const RAIL_SIZE = 8;
const BROWSE_SIZE = 12;
const REPORTS_ENDPOINT = "/v1/reports";

let inkling;
let index;
let banner;
let lastFlush = null;
let flushed = false;
const impressed = new Set(); // offers whose impression this page load already recorded
// Gifts bought on this page. Inkling learns nothing from a gift (the profile stays exactly
// as it was), so the page itself leaves the bought item out of its rail, like a shop that
// knows the order; the visitor's interests are untouched.
const giftsBought = new Set();

try {
  await boot();
} catch (e) {
  const el = byId("boot-error");
  el.hidden = false;
  el.textContent = `The page could not start: ${e?.message ?? e}`;
  console.error(e);
}

async function boot() {
  await init();
  byId("version").textContent = version();
  const response = await fetch("/catalog.json");
  if (!response.ok) throw new Error(`the catalog is missing (HTTP ${response.status}); run scripts/build`);
  // The text goes to Inkling as it is: an object would be turned back into text first.
  const text = await response.text();
  index = new CatalogIndex(JSON.parse(text));

  inkling = Inkling.open({ siteId: SITE_ID, policyVersion: POLICY_VERSION, halfLifeDays: 14 });
  inkling.loadCatalog(text);

  banner = consentBanner({ consent: () => inkling.consent(), policyVersion: POLICY_VERSION, decide: setConsent });
  setupBrowse();
  setupRouting();
  byId("clock-note").textContent = isSimulated() ? ` · simulated time: ${new Date(now()).toISOString()}` : "";
  // Another tab changed the profile (Inkling picks it up from the `storage` event): redraw.
  window.addEventListener("storage", (e) => {
    if (e.key === null || e.key.startsWith("inkling:")) refresh();
  });

  window.inklingDemo = { inkling, now, setNow, refresh, flushReportsOnce };
  banner.update();
  refresh();
  flushWhenLeaving();
  document.body.dataset.ready = "true";
}

// ---- measurement: the page's one flush --------------------------------------------------------
// With `measure` consent the page sends the day's reports once per page load, when the
// visitor leaves it (the page is hidden or unloaded: what `navigator.sendBeacon`, which
// Inkling uses, is made for). Until then "Your data" shows the exact bytes that will leave,
// and the visitor can still withdraw. Inkling itself builds nothing without consent or under
// GPC, and sends at most one report per metric per day.
function flushReportsOnce() {
  if (flushed || !inkling.consent().measure) return;
  flushed = true;
  try {
    // sendBeacon is called synchronously inside flush, so this works while the page unloads.
    inkling.flush(REPORTS_ENDPOINT, { now: now() }).then((result) => { lastFlush = result; }, (e) => { lastFlush = { error: String(e?.message ?? e) }; });
  } catch (e) {
    lastFlush = { error: String(e?.message ?? e) };
  }
}

function flushWhenLeaving() {
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushReportsOnce();
  });
  window.addEventListener("pagehide", flushReportsOnce);
}

// ---- consent -----------------------------------------------------------------------------------------
function setConsent(choice) {
  inkling.setConsent(choice);
  const c = inkling.consent();
  const on = ["personalize", "remember", "measure"].filter((p) => c[p]);
  toast(on.length ? `Saved. Allowed: ${on.join(", ")}.` : "Saved. Nothing is personalized, kept or sent.");
  banner.update();
  refresh();
}

// ---- rendering -----------------------------------------------------------------------------------------
function refresh() {
  if (!inkling) return;
  const route = currentRoute();
  if (route === "home") renderHome();
  if (route === "your-data") renderPrivacyCenter(privacyContext());
  if (route === "how-ranking-works") renderModelCard(Inkling.modelCard());
  renderStatus();
}

function privacyContext() {
  return { inkling, index, now, refresh, toast, setConsent, lastFlush: () => lastFlush, modelCard: Inkling.modelCard() };
}

function renderHome() {
  const personalized = inkling.status().personalized;
  const paused = Boolean(inkling.profile().profile?.paused);
  const ranked = inkling.rank({ limit: RAIL_SIZE, diversity: true, exclude: [...giftsBought], excludeSeen: true, now: now() });

  const rail = byId("for-you");
  rail.dataset.personalized = String(personalized);
  byId("rail-title").textContent = personalized ? "For you" : "Popular right now";
  replace(byId("rail-note"), personalized
    ? [h("span", { class: "badge" }, "Personalized on this device"), "Ranked in your browser from your interests. ", h("a", { href: "#/your-data" }, "See and change them")]
    : [h("span", { class: "badge neutral" }, "Not personalized"),
      paused ? "Personalization is paused, so you see the same order as everyone: popular and fresh. "
        : "You have not allowed personalization, so you see the same order as everyone: popular and fresh. ",
      h("a", { href: "#/your-data" }, paused ? "Resume" : "Change your choice")]);

  replace(rail, ranked.map((r, i) => {
    const item = index.item(r.id);
    if (!item) return null;
    return card(item, {
      index, rank: i,
      reasons: () => ({ lines: r.reasons.map((x) => x.text) }),
      ...cardActions(),
    });
  }));
  rail.dataset.order = ranked.map((r) => r.id).join(" ");
  recordImpressions(ranked);
  renderBrowse();
}

// Offers shown in the rail count towards their frequency caps, once per page load.
function recordImpressions(ranked) {
  for (const r of ranked) {
    if (impressed.has(r.id) || index.item(r.id)?.kind !== "offer") continue;
    impressed.add(r.id);
    inkling.record({ type: "impression", item: r.id, at: now() });
  }
}

function setupBrowse() {
  const select = /** @type {HTMLSelectElement} */ (byId("browse-topic"));
  replace(select,
    h("option", { value: "" }, "Everything"),
    index.sections().map((s) => h("optgroup", { label: s.topic.label },
      h("option", { value: s.topic.id }, `All ${s.topic.label}`),
      s.children.map((t) => h("option", { value: t.id }, t.label)))));
  select.addEventListener("change", renderBrowse);
}

function renderBrowse() {
  const topic = /** @type {HTMLSelectElement} */ (byId("browse-topic")).value;
  replace(byId("browse"), index.newest(topic, BROWSE_SIZE).map((item) => card(item, {
    index,
    reasons: () => explainLines(item.id),
    ...cardActions(),
  })));
}

/** "Why this?" for an item outside the rail: Inkling's explanation, including exclusions. */
function explainLines(id) {
  try {
    const e = inkling.explain(id, { now: now() });
    const lines = (e.reasons ?? []).map((x) => x.text);
    const why = e.excludedBecause ?? e.excluded_because;
    return { lines: lines.length ? lines : ["It is one of the newest stories on the site."], note: e.included === false && why ? `Not in your recommendations: ${why}` : undefined };
  } catch (err) {
    return { lines: [`No explanation available: ${err?.message ?? err}`] };
  }
}

function cardActions() {
  return {
    onRead: (item) => {
      inkling.record({ type: "click", item: item.id, at: now() });
      openReader(item);
      refresh();
    },
    onDismiss: (item) => {
      inkling.record({ type: "dismiss", item: item.id, at: now() });
      toast(`Hidden “${item.title}”. We will show fewer like it.`, () => { inkling.undo(); refresh(); });
      refresh();
    },
    onBuy: (item, gift) => {
      inkling.record({ type: "purchase", item: item.id, gift, at: now() });
      if (gift) {
        giftsBought.add(item.id);
        toast("Thanks! Bought as a gift, so it does not change your interests.");
      } else {
        toast("Thanks for your order (this is a demo: nothing is charged).", () => { inkling.undo(); refresh(); });
      }
      refresh();
    },
  };
}

function openReader(item) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("reader"));
  byId("reader-kicker").textContent = `${item.kind === "offer" ? "Offer" : "Story"} · ${index.label(index.mainTopic(item))}`;
  byId("reader-title").textContent = item.title;
  replace(byId("reader-body"),
    h("p", { class: "lead" }, item.summary || ""),
    h("p", null, "This is a demo page, so the story itself is not written. Opening it counted as interest in its topics, on this device only (if you allowed personalization)."));
  dialog.showModal();
}

function renderStatus() {
  const s = inkling.status();
  byId("storage-status").textContent = s.storage === "local" ? "this browser" : `memory only${s.reason ? ` (${storageReason(s.reason)})` : ""}`;
}

// ---- toast with undo ---------------------------------------------------------------------------------------
let toastTimer;
function toast(text, undo) {
  const el = byId("toast");
  replace(el, h("span", null, text),
    undo ? h("button", { type: "button", class: "link-button", onclick: () => { undo(); replace(el); } }, "Undo") : null);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => replace(el), 8000);
}

// ---- routing: #/, #/your-data, #/how-ranking-works ----------------------------------------------------------
function currentRoute() {
  const r = location.hash.replace(/^#\/?/, "");
  return ["your-data", "how-ranking-works"].includes(r) ? r : "home";
}

function setupRouting() {
  const show = (focus) => {
    const route = currentRoute();
    for (const v of document.querySelectorAll(".view")) /** @type {HTMLElement} */ (v).hidden = v.id !== `view-${route}`;
    for (const a of document.querySelectorAll("[data-route]")) {
      if (a.getAttribute("data-route") === route) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    refresh();
    if (focus) byId("main").focus();
  };
  window.addEventListener("hashchange", () => show(true));
  // The skip link targets <main> without changing the route.
  document.querySelector(".skip-link")?.addEventListener("click", (e) => {
    e.preventDefault();
    byId("main").focus();
  });
  show(false);
}
