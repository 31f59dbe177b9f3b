// "How ranking works": the engine's model card (`Inkling.modelCard()`), which is data,
// rendered as a readable page. The renderer walks the card generically so that every
// coefficient the engine reports is shown, under a heading made from its key.

import { h, replace, byId } from "./dom.js";

/** @param {any} card the value of `Inkling.modelCard()` */
export function renderModelCard(card) {
  replace(byId("model-card"),
    h("div", { class: "model-card" },
      h("p", { class: "lead" }, "Every recommendation on this site is computed in your browser from the catalog and what this device holds about your interests. Nothing about you is sent to rank it. This is exactly what the ranking uses, with the numbers, as the engine reports them."),
      h("section", { class: "panel", "aria-labelledby": "mc-title" },
        h("h2", { id: "mc-title" }, "The model card"),
        value(card, 0)),
      h("section", { class: "panel", "aria-labelledby": "mc-rules" },
        h("h2", { id: "mc-rules" }, "Rules that always hold"),
        h("ul", null,
          h("li", null, "What you tell us outranks what we notice."),
          h("li", null, "One gift or one-off purchase does not redefine you: gifts are never learned, and a topic seen on only one day counts for little."),
          h("li", null, "Sensitive topics (health, pregnancy, parenting, debt help) are never learned from what you do; they are used only if you declare them."),
          h("li", null, "Muted topics, things you said “Not for me” to and offers shown too often are left out."),
          h("li", null, "Without your consent, or while paused, everyone sees the same order: popular and fresh."))),
    ));
}

function value(v, depth) {
  if (v === null || v === undefined) return h("span", null, "—");
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== "object" || x === null)) return h("span", null, v.join(", "));
    return h("ul", null, v.map((x) => h("li", null, value(x, depth + 1))));
  }
  if (typeof v === "object") {
    return h("dl", null, Object.entries(v).flatMap(([k, x]) => [h("dt", null, humanize(k)), h("dd", null, value(x, depth + 1))]));
  }
  if (typeof v === "number") return h("span", null, Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4))));
  return h("span", null, String(v));
}

/** "halfLifeDays" / "half_life_days" → "Half life days". */
function humanize(key) {
  const words = key.replace(/_/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
