// One card per catalog item: what it is, and the visitor's controls on it.
// Every card has "Why this?" and "Not for me"; offers also have "Buy" and
// "I bought this as a gift" (a gift never feeds the profile).

import { h, replace, formatDate } from "./dom.js";

/**
 * @param {import("./catalog-index.js").Item} item
 * @param {{
 *   index: import("./catalog-index.js").CatalogIndex,
 *   rank?: number,
 *   reasons?: () => { lines: string[], note?: string },
 *   onRead: (item) => void, onDismiss: (item) => void, onBuy: (item, gift: boolean) => void,
 * }} ctx
 */
export function card(item, ctx) {
  const { index } = ctx;
  const main = index.mainTopic(item);
  const section = index.section(main);
  const isOffer = item.kind === "offer";
  const titleId = `t-${ctx.rank !== undefined ? "r" : "b"}-${item.id}`;
  const whyId = `${titleId}-why`;
  const why = h("div", { class: "why", id: whyId, hidden: true, "aria-live": "polite" });

  const whyButton = h("button", {
    type: "button", "aria-expanded": "false", "aria-controls": whyId, "data-action": "why",
    "aria-label": `Why this? ${item.title}`,
    onclick: () => {
      const open = whyButton.getAttribute("aria-expanded") !== "true";
      whyButton.setAttribute("aria-expanded", String(open));
      why.hidden = !open;
      if (open) fillWhy(why, ctx.reasons ? ctx.reasons() : { lines: [] });
    },
  }, "Why this?");

  const actions = [
    whyButton,
    h("button", { type: "button", "data-action": "dismiss", "aria-label": `Not for me: ${item.title}`, onclick: () => ctx.onDismiss(item) }, "Not for me"),
  ];
  if (isOffer) {
    actions.push(
      h("button", { type: "button", "data-action": "buy", "aria-label": `Buy ${item.title}`, onclick: () => ctx.onBuy(item, false) }, "Buy"),
      h("button", { type: "button", "data-action": "gift", "aria-label": `I bought this as a gift: ${item.title}`, onclick: () => ctx.onBuy(item, true) }, "I bought this as a gift"),
    );
  }

  return h("li", {
    class: "card", "data-id": item.id, "data-kind": item.kind || "article", "data-main-topic": main, "data-section": section,
    "data-topics": Object.keys(item.topics).join(" "), "aria-labelledby": titleId,
  },
    h("div", { class: "card-band", "aria-hidden": "true" }),
    h("div", { class: "card-body" },
      h("p", { class: "kicker" },
        h("span", { class: isOffer ? "badge offer" : "badge neutral" }, isOffer ? "Offer" : "Story"), " ",
        index.label(main)),
      h("h3", { id: titleId }, h("button", { type: "button", "data-action": "read", onclick: () => ctx.onRead(item) }, item.title)),
      h("p", { class: "summary" }, item.summary || ""),
      h("p", { class: "meta" },
        item.published ? formatDate(item.published) : "",
        isOffer && item.price !== undefined ? [" · ", h("span", { class: "price" }, `€${item.price.toFixed(2)}`)] : "",
        isOffer && item.campaign ? ` · ${campaignName(item.campaign)}` : ""),
    ),
    h("div", { class: "card-actions" }, actions),
    why,
  );
}

function fillWhy(el, { lines, note }) {
  replace(el,
    h("strong", null, "Why this?"),
    lines.length ? h("ul", null, lines.map((l) => h("li", null, l))) : h("p", null, "No reason recorded."),
    note ? h("p", null, note) : null,
  );
}

/** "winter-sale" → "Winter sale". */
export function campaignName(id) {
  const words = id.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
