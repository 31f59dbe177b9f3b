// Reads `inkling.profile()` (everything the device holds) into the rows the privacy
// center shows, with evidence in plain words. Only this file knows the profile document's
// shape: { topics: { id: { pref, muted, w, at, days, first, last } }, recent: [events],
// shown: [impressions], paused, halfLifeDays, oneOffFactor, ... }.

import { formatDate, plural } from "./dom.js";

const DAY_MS = 86_400_000;
/** Events that count as interest (gifts excluded) — the engine's rule, used here only for words. */
const INTEREST = new Set(["view", "click", "purchase"]);

/**
 * @typedef {{ topic: string, label: string, pref: "like" | "dislike" }} DeclaredRow
 * @typedef {{ topic: string, label: string, weight: number, share: number, evidence: string }} ObservedRow
 * @typedef {{ kind: string, item: string, title: string, gift: boolean, at: number, text: string }} EventRow
 */

/**
 * @param {any} holdings the value of `inkling.profile()`
 * @param {import("./catalog-index.js").CatalogIndex} index
 * @param {number} nowMs the page's time, to decay weights as the engine does
 */
export function describeProfile(holdings, index, nowMs) {
  const p = holdings.profile ?? {};
  const halfLife = Number(p.halfLifeDays ?? 14);
  const oneOff = Number(p.oneOffFactor ?? 0.25);
  const recent = Array.isArray(p.recent) ? p.recent : [];
  const stories = storiesPerTopic(recent, index);

  /** @type {DeclaredRow[]} */
  const declared = [];
  /** @type {ObservedRow[]} */
  const observed = [];
  const muted = [];
  for (const [id, t] of Object.entries(p.topics ?? {})) {
    const label = index.label(id);
    if (t.pref === "like" || t.pref === "dislike") declared.push({ topic: id, label, pref: t.pref });
    if (t.muted) muted.push({ topic: id, label });
    if ((t.days ?? 0) > 0 && (t.w ?? 0) > 0) {
      // The engine's observed weight: w decayed from `at` to now, damped while seen on one day only.
      const decayed = t.w * Math.pow(2, -Math.max(0, nowMs - (t.at ?? nowMs)) / (halfLife * DAY_MS));
      const weight = t.days === 1 ? decayed * oneOff : decayed;
      observed.push({ topic: id, label, weight, share: 0, evidence: evidenceText(stories.get(id) ?? 0, t.days, t.last) });
    }
  }
  observed.sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label));
  const max = observed.length ? observed[0].weight : 1;
  for (const row of observed) row.share = max > 0 ? row.weight / max : 0;
  declared.sort((a, b) => a.label.localeCompare(b.label));
  muted.sort((a, b) => a.label.localeCompare(b.label));

  /** @type {EventRow[]} */
  const events = recent.map((e) => {
    const title = index.item(e.item)?.title ?? e.item;
    return { kind: e.kind, item: e.item, title, gift: Boolean(e.gift), at: Number(e.at), text: eventText(e.kind, Boolean(e.gift), title) };
  }).reverse(); // newest first

  return { declared, observed, muted, events, paused: Boolean(p.paused), shown: Array.isArray(p.shown) ? p.shown : [] };
}

/** How many of the recent events (gifts excluded) were on items of each topic. */
function storiesPerTopic(recent, index) {
  const counts = new Map();
  for (const e of recent) {
    if (!INTEREST.has(e.kind) || e.gift) continue;
    for (const topic of Object.keys(index.item(e.item)?.topics ?? {})) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  }
  return counts;
}

/** "4 stories on 3 days, last on 21 Nov 2026". */
export function evidenceText(stories, days, lastDay) {
  const parts = [stories > 0 ? `${plural(stories, "story", "stories")} on ${plural(days, "day", "days")}` : `seen on ${plural(days, "day", "days")}`];
  if (lastDay) parts.push(`last on ${formatDate(lastDay * DAY_MS)}`);
  if (days === 1) parts.push("counts for little until you come back to it on another day");
  return parts.join(", ");
}

/** A recent event in words: "You opened “…”". */
export function eventText(kind, gift, title) {
  switch (kind) {
    case "click": return `You opened “${title}”`;
    case "view": return `You read “${title}”`;
    case "purchase": return gift ? `You bought “${title}” as a gift (not used for your interests)` : `You bought “${title}”`;
    case "dismiss": return `You said “Not for me” to “${title}”`;
    case "impression": return `We showed you “${title}”`;
    default: return `${kind}: “${title}”`;
  }
}

/**
 * Offers and campaigns shown within the cap window (24 h), counted from the impressions the
 * profile keeps, newest window ending at `nowMs`.
 */
export function capCounts(shown, nowMs, windowMs = DAY_MS) {
  const items = new Map();
  const campaigns = new Map();
  for (const s of shown) {
    if (!(s.at > nowMs - windowMs && s.at <= nowMs)) continue;
    items.set(s.item, (items.get(s.item) ?? 0) + 1);
    if (s.campaign) campaigns.set(s.campaign, (campaigns.get(s.campaign) ?? 0) + 1);
  }
  return { items, campaigns };
}
