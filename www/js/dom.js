// A tiny DOM builder: h("p", { class: "x" }, "text", child). Text always goes in as text
// nodes (never innerHTML), so catalog titles and profile data cannot inject markup.

/**
 * Creates an element.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs] attributes; `on<event>` keys add listeners,
 *   `false`/`null`/`undefined` values are left out, `true` sets an empty attribute.
 * @param {...(Node | string | number | null | undefined | false | Array<unknown>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** The element with this id, or an error that names it (a missing id is a page bug). */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** "20 Nov 2026" for epoch ms or a YYYY-MM-DD string (UTC, like the engine's days). */
export function formatDate(value) {
  const ms = typeof value === "string" ? Date.parse(`${value}T00:00:00Z`) : value;
  return Number.isFinite(ms) ? dateFormat.format(ms) : String(value);
}

/** "20 Nov, 09:15" (UTC). */
export function formatTime(ms) {
  return Number.isFinite(ms) ? `${timeFormat.format(ms)} UTC` : "—";
}

/** "1 story", "3 stories". */
export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Why Inkling keeps the profile in memory only, in words (`status().reason`). */
export function storageReason(reason) {
  switch (reason) {
    case "no-remember-consent": return "you have not allowed Remember";
    case "unavailable": return "this browser offers no local storage";
    case "denied": return "this browser blocks storage for this site";
    case "quota": return "this browser's storage for the site is full";
    case "newer-version": return "a newer version of this site's data is stored here and is left untouched";
    default: return reason ?? "";
  }
}
