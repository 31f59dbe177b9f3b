// The consent banner: three purposes, "Accept all", "Reject all" and "Choose" as equal
// buttons (one class, one style), closing it means "Reject all". It shows whenever
// Inkling's consent record says a decision is needed: first visit, or a new policy version.

import { byId } from "./dom.js";

/**
 * @param {{ consent: () => any, policyVersion: string,
 *   decide: (choice: { personalize?: boolean, remember?: boolean, measure?: boolean }) => void }} api
 * @returns {{ update: () => void }}
 */
export function consentBanner(api) {
  const banner = byId("consent-banner");
  const form = /** @type {HTMLFormElement} */ (byId("consent-choose"));
  const toggle = byId("consent-choose-toggle");

  // Under Global Privacy Control "Accept all" does not switch measurement on: the banner
  // says so, and only ticking "Measure" (here or in Your data) is an explicit opt-in.
  const all = (value) => (value && api.consent().gpc ? { personalize: true, remember: true } : { personalize: value, remember: value, measure: value });
  const decide = (choice) => {
    api.decide(choice);
    hide();
  };
  const hide = () => {
    banner.hidden = true;
    form.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    document.getElementById("main")?.focus();
  };

  byId("consent-accept").addEventListener("click", () => decide(all(true)));
  byId("consent-reject").addEventListener("click", () => decide(all(false)));
  byId("consent-close").addEventListener("click", () => decide(all(false)));
  banner.addEventListener("keydown", (e) => {
    if (e.key === "Escape") decide(all(false)); // closing, by any means, is a "no"
  });
  toggle.addEventListener("click", () => {
    const open = form.hidden;
    form.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) form.querySelector("input")?.focus();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    decide({ personalize: data.has("personalize"), remember: data.has("remember"), measure: data.has("measure") });
  });

  function update() {
    const c = api.consent();
    banner.hidden = !c.needsDecision;
    if (banner.hidden) return;
    byId("consent-gpc").hidden = !c.gpc;
    const note = byId("consent-policy-note");
    // A previous decision under another policy version: say why we ask again.
    note.hidden = c.decidedAt === null || c.decidedAt === undefined;
    note.textContent = `Our privacy policy changed since you chose (version ${c.policyVersion}; it is now ${api.policyVersion}), so we ask again.`;
    // The checkboxes start from the current record (all off on a first visit).
    for (const purpose of ["personalize", "remember", "measure"]) {
      /** @type {HTMLInputElement} */ (form.elements.namedItem(purpose)).checked = Boolean(c[purpose]);
    }
  }

  return { update };
}
