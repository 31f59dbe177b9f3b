// "How ranking works": the engine's model card (`Inkling.modelCard()`), which is data,
// rendered as a readable page. Known parts get their own layout (summary, signals, event
// weights, exclusions, what is never used); anything else the card carries is still shown,
// under a heading made from its key, so no coefficient is hidden.

import { h, replace, byId } from "./dom.js";

const EVENT_WORDS = { view: "Reading a story", click: "Opening a story or offer", purchase: "Buying for yourself", dismiss: "“Not for me”" };
const LAID_OUT = new Set(["summary", "formula", "signals", "eventWeights", "exclusions", "neverUses", "nonPersonalized", "diversity", "frequencyCaps"]);

/** @param {Record<string, any>} card the value of `Inkling.modelCard()` */
export function renderModelCard(card) {
  const rest = Object.entries(card).filter(([k]) => !LAID_OUT.has(k));
  replace(byId("model-card"),
    h("div", { class: "model-card" },
      h("p", { class: "lead" }, card.summary ?? "Every recommendation on this site is computed in your browser."),
      Array.isArray(card.signals) ? section("mc-signals", "What counts, and how much",
        card.formula ? h("p", null, h("code", null, card.formula)) : null,
        h("div", { class: "table-wrap" }, h("table", null,
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "Signal"), h("th", { scope: "col" }, "Weight"), h("th", { scope: "col" }, "Why"))),
          h("tbody", null, card.signals.map((s) => h("tr", null, h("td", null, humanize(s.name)), h("td", null, num(s.coefficient)), h("td", null, s.why))))))) : null,
      card.eventWeights ? section("mc-events", "What your actions are worth",
        h("ul", null, Object.entries(card.eventWeights).map(([k, w]) => h("li", null, `${EVENT_WORDS[k] ?? humanize(k)}: ${num(w)}`))),
        h("p", null, `Interests fade by half every ${num(card.halfLifeDays)} days. A topic seen on one day only counts ${Math.round((card.oneOffFactor ?? 0) * 100)}% until it comes back on another day. Gifts count for nothing.`)) : null,
      section("mc-limits", "What is left out, and what is never used",
        Array.isArray(card.exclusions) ? [h("h3", null, "Left out of your recommendations"), h("ul", null, card.exclusions.map((x) => h("li", null, x)))] : null,
        Array.isArray(card.neverUses) ? [h("h3", null, "Never used"), h("ul", null, card.neverUses.map((x) => h("li", null, x)))] : null,
        card.frequencyCaps ? h("p", null, `Offers: at most ${card.frequencyCaps.perItem} times each and ${card.frequencyCaps.perCampaign} per campaign in ${num(card.frequencyCaps.windowMs / 3_600_000)} hours.`) : null,
        card.diversity ? [h("h3", null, "Variety"), h("p", null, card.diversity)] : null,
        card.nonPersonalized ? [h("h3", null, "Without personalization"), h("p", null, card.nonPersonalized)] : null),
      rest.length ? section("mc-more", "Everything else in the model card",
        h("dl", null, rest.flatMap(([k, v]) => [h("dt", null, humanize(k)), h("dd", null, value(v))]))) : null,
    ));
}

function section(id, title, ...children) {
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

function value(v) {
  if (v === null || v === undefined) return h("span", null, "—");
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== "object" || x === null)) return h("span", null, v.map((x) => (typeof x === "number" ? num(x) : String(x))).join(", "));
    return h("ul", null, v.map((x) => h("li", null, value(x))));
  }
  if (typeof v === "object") return h("dl", null, Object.entries(v).flatMap(([k, x]) => [h("dt", null, humanize(k)), h("dd", null, value(x))]));
  if (typeof v === "number") return h("span", null, num(v));
  return h("span", null, String(v));
}

/** Numbers as people write them: 0.30000001192092896 (an f32) → "0.3". */
function num(x) {
  return Number.isInteger(x) ? String(x) : String(Number(Number(x).toPrecision(4)));
}

/** "halfLifeDays" / "half_life_days" → "Half life days". */
function humanize(key) {
  const words = String(key).replace(/_/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
