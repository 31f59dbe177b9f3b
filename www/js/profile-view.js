// Reads `inkling.profile()` (everything the device holds) into the rows the privacy
// center shows, with evidence in plain words. Only this file knows the document's shape.

import { formatDate, plural } from "./dom.js";

/**
 * @typedef {{ topic: string, label: string, pref: "like" | "dislike" }} DeclaredRow
 * @typedef {{ topic: string, label: string, weight: number, share: number, evidence: string, sensitive: boolean }} ObservedRow
 * @typedef {{ kind: string, item: string, title: string, gift: boolean, at: number, text: string }} EventRow
 */

/**
 * @param {any} p the value of `inkling.profile()`
 * @param {import("./catalog-index.js").CatalogIndex} index
 */
export function describeProfile(p, index) {
  const topics = topicEntries(p);
  /** @type {DeclaredRow[]} */
  const declared = [];
  /** @type {ObservedRow[]} */
  const observed = [];
  for (const [id, t] of topics) {
    const pref = t.declared ?? t.preference ?? "none";
    if (pref === "like" || pref === "dislike") declared.push({ topic: id, label: index.label(id), pref });
    const weight = Number(t.observed ?? t.weight ?? 0);
    if (weight > 0) {
      observed.push({
        topic: id, label: index.label(id), weight, share: 0, sensitive: index.isSensitive(id),
        evidence: evidenceText(t),
      });
    }
  }
  observed.sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label));
  const max = observed.length ? observed[0].weight : 1;
  for (const row of observed) row.share = max > 0 ? row.weight / max : 0;
  declared.sort((a, b) => a.label.localeCompare(b.label));

  const muted = (p.muted ?? topics.filter(([, t]) => t.muted).map(([id]) => id))
    .map((id) => ({ topic: id, label: index.label(id) }));

  /** @type {EventRow[]} */
  const events = (p.events ?? p.recent ?? []).map((e) => {
    const item = index.item(e.item);
    const kind = e.kind ?? e.type;
    const at = Number(e.at ?? e.atMs ?? e.at_ms);
    return { kind, item: e.item, title: item?.title ?? e.item, gift: Boolean(e.gift), at, text: eventText(kind, Boolean(e.gift), item?.title ?? e.item) };
  }).reverse(); // newest first

  return { declared, observed, muted, events, paused: Boolean(p.paused) };
}

function topicEntries(p) {
  const t = p.topics ?? {};
  return Array.isArray(t) ? t.map((x) => [x.id ?? x.topic, x]) : Object.entries(t);
}

/** "4 stories on 3 days, last on 21 Nov 2026". */
export function evidenceText(t) {
  const events = Number(t.events ?? t.count ?? 0);
  const days = Number(t.days ?? t.distinctDays ?? 0);
  const last = t.lastSeen ?? t.lastSeenMs ?? t.last_seen_ms;
  const parts = [];
  if (events > 0) parts.push(`${plural(events, "story", "stories")} on ${plural(days, "day", "days")}`);
  else if (days > 0) parts.push(`seen on ${plural(days, "day", "days")}`);
  if (last !== undefined && last !== null) parts.push(`last on ${formatDate(Number(last))}`);
  if (days === 1) parts.push("counts for little until a second day");
  return parts.join(", ");
}

/** A recent event in words: "You read “…”". */
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
