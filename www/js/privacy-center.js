// "Your data": everything the device holds about the visitor, and every control over it.
// Each action calls the Inkling API and then re-renders from `inkling.profile()`, so what
// the visitor sees is always what the device holds.

import { h, replace, byId, formatDate, formatTime, plural, storageReason } from "./dom.js";
import { describeProfile, capCounts } from "./profile-view.js";
import { campaignName } from "./cards.js";

/**
 * @typedef {{
 *   inkling: any, index: import("./catalog-index.js").CatalogIndex, now: () => number,
 *   refresh: () => void, toast: (text: string, undo?: () => void) => void,
 *   setConsent: (choice: object) => void, lastFlush: () => any, modelCard: any,
 * }} Ctx
 */

/** @param {Ctx} ctx */
export function renderPrivacyCenter(ctx) {
  const root = byId("privacy-center");
  const { inkling, index } = ctx;
  const holdings = inkling.profile();
  const view = describeProfile(holdings, index, ctx.now());
  const consent = inkling.consent();
  replace(root,
    h("div", { class: "panels" },
      h("div", null,
        choicesPanel(ctx, consent, view),
        declaredPanel(ctx, view),
        observedPanel(ctx, view),
        mutedPanel(ctx, view),
      ),
      h("div", null,
        eventsPanel(ctx, view),
        capsPanel(ctx, view),
        measurePanel(ctx, consent),
        filePanel(ctx),
        storagePanel(ctx),
      ),
    ),
  );
}

function panel(id, title, ...children) {
  return h("section", { class: "panel", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...children);
}

// ---- consent and pause ------------------------------------------------------------------------

function choicesPanel(ctx, consent, view) {
  const toggle = (purpose, text) => h("label", { class: "toggle" },
    h("input", {
      type: "checkbox", name: purpose, checked: Boolean(consent[purpose]),
      onchange: (e) => ctx.setConsent({ [purpose]: e.currentTarget.checked }),
    }), text);
  const decided = consent.decidedAt ? `You decided on ${formatTime(consent.decidedAt)} under policy version ${consent.policyVersion}.`
    : `You have not decided yet (policy version ${consent.policyVersion}), so nothing is used, kept or sent.`;
  return panel("pc-choices", "Your choices",
    h("p", { class: "muted" }, decided),
    h("fieldset", { class: "plain" },
      h("legend", { class: "visually-hidden" }, "Purposes"),
      toggle("personalize", "Personalize: order stories and offers by my interests"),
      toggle("remember", "Remember: keep my interests in this browser between visits"),
      toggle("measure", "Measure: send one noisy, anonymous summary per day"),
    ),
    consent.gpc ? h("p", { class: "gpc-note", id: "pc-gpc" }, "Your browser sends Global Privacy Control, and we honour it: measurement is off unless you switch it on here yourself.") : null,
    h("label", { class: "toggle" },
      h("input", {
        type: "checkbox", id: "pc-pause", checked: view.paused,
        onchange: (e) => {
          ctx.inkling.pause(e.currentTarget.checked);
          ctx.toast(e.currentTarget.checked ? "Personalization paused: everyone sees the same order." : "Personalization resumed.");
          ctx.refresh();
        },
      }),
      "Pause personalization (your interests are kept, but not used)"),
  );
}

// ---- declared interests ------------------------------------------------------------------------

function topicSelect(ctx, id, label) {
  return h("label", null, label,
    h("select", { id },
      ctx.index.sections().map((s) => h("optgroup", { label: s.topic.label },
        h("option", { value: s.topic.id }, `${s.topic.label} (all)`),
        s.children.map((t) => h("option", { value: t.id }, t.label))))));
}

function declaredPanel(ctx, view) {
  const declare = (pref) => {
    const topic = /** @type {HTMLSelectElement} */ (byId("pc-declare-topic")).value;
    ctx.inkling.declare(topic, pref, { now: ctx.now() });
    ctx.toast(pref === "like" ? `Noted: you like ${ctx.index.label(topic)}.` : `Noted: no ${ctx.index.label(topic)} for you.`);
    ctx.refresh();
  };
  return panel("pc-declared", "Interests you told us",
    h("p", { class: "muted" }, "What you tell us always outranks what we notice. Sensitive topics such as health, parenting or debt help are used only when you declare them here."),
    view.declared.length
      ? h("ul", { class: "rows", id: "pc-declared-list" }, view.declared.map((d) => h("li", { "data-topic": d.topic, "data-pref": d.pref },
        h("span", { class: "grow" }, d.pref === "like" ? `You like ${d.label}` : `You are not interested in ${d.label}`),
        h("button", {
          type: "button", class: "button small", "aria-label": `Clear: ${d.label}`,
          onclick: () => { ctx.inkling.declare(d.topic, "none", { now: ctx.now() }); ctx.toast(`Cleared what you told us about ${d.label}.`); ctx.refresh(); },
        }, "Clear"))))
      : h("p", { id: "pc-declared-list" }, "Nothing yet."),
    h("div", { class: "form-row" },
      topicSelect(ctx, "pc-declare-topic", "Topic"),
      h("button", { type: "button", class: "button", id: "pc-like", onclick: () => declare("like") }, "I like this"),
      h("button", { type: "button", class: "button", id: "pc-dislike", onclick: () => declare("dislike") }, "Not interested"),
    ),
  );
}

// ---- observed interests --------------------------------------------------------------------------

function observedPanel(ctx, view) {
  return panel("pc-observed", "Interests we noticed",
    h("p", { class: "muted" }, "Learned on this device from what you opened, read and bought for yourself. Gifts and sensitive topics are never learned. Interests fade by half every two weeks."),
    view.observed.length
      ? h("ul", { class: "rows", id: "pc-observed-list" }, view.observed.map((o) => h("li", { "data-topic": o.topic },
        h("span", { class: "grow" },
          h("strong", null, o.label),
          h("span", { class: "evidence" }, o.evidence),
          h("meter", { min: "0", max: "1", value: o.share.toFixed(3), "aria-label": `Strength of ${o.label}` })),
        h("button", {
          type: "button", class: "button small", "aria-label": `Forget ${o.label}`,
          onclick: () => { ctx.inkling.forget(o.topic); ctx.toast(`Forgot what we noticed about ${o.label}.`); ctx.refresh(); },
        }, "Forget"),
        h("button", {
          type: "button", class: "button small", "aria-label": `Mute ${o.label}`,
          onclick: () => { ctx.inkling.mute(o.topic); ctx.toast(`${o.label} is muted: it will not be used.`); ctx.refresh(); },
        }, "Mute"))))
      : h("p", { id: "pc-observed-list" }, "Nothing yet."),
  );
}

function mutedPanel(ctx, view) {
  return panel("pc-muted", "Muted topics",
    h("p", { class: "muted" }, "Muted topics are never used to pick what you see, whatever you read."),
    view.muted.length
      ? h("ul", { class: "rows", id: "pc-muted-list" }, view.muted.map((m) => h("li", { "data-topic": m.topic },
        h("span", { class: "grow" }, m.label),
        h("button", {
          type: "button", class: "button small", "aria-label": `Unmute ${m.label}`,
          onclick: () => { ctx.inkling.unmute(m.topic); ctx.toast(`${m.label} is no longer muted.`); ctx.refresh(); },
        }, "Unmute"))))
      : h("p", { id: "pc-muted-list" }, "None."),
    h("div", { class: "form-row" },
      topicSelect(ctx, "pc-mute-topic", "Topic"),
      h("button", {
        type: "button", class: "button", id: "pc-mute",
        onclick: () => {
          const topic = /** @type {HTMLSelectElement} */ (byId("pc-mute-topic")).value;
          ctx.inkling.mute(topic);
          ctx.toast(`${ctx.index.label(topic)} is muted.`);
          ctx.refresh();
        },
      }, "Mute topic")),
  );
}

// ---- recent events -------------------------------------------------------------------------------

function eventsPanel(ctx, view) {
  const shown = view.events.filter((e) => e.kind !== "impression").slice(0, 12);
  return panel("pc-events", "Recent activity",
    h("p", { class: "muted" }, "The last things you did here, kept on this device so you can undo them and so we can explain a recommendation."),
    shown.length
      ? h("ol", { class: "rows", id: "pc-events-list" }, shown.map((e) => h("li", { "data-kind": e.kind, "data-item": e.item },
        h("span", { class: "grow" }, e.text, h("span", { class: "evidence" }, formatTime(e.at))))))
      : h("p", { id: "pc-events-list" }, "Nothing yet."),
    h("button", {
      type: "button", class: "button", id: "pc-undo", disabled: view.events.length === 0,
      onclick: () => {
        const undone = ctx.inkling.undo();
        ctx.toast(undone ? "Undone: the last thing you did no longer counts." : "Nothing to undo.");
        ctx.refresh();
      },
    }, "Undo the last one"),
  );
}

// ---- frequency caps ------------------------------------------------------------------------------

function capsPanel(ctx, view) {
  // The limits are the engine's, as its model card states them.
  const caps = ctx.modelCard.frequencyCaps ?? {};
  const perItem = caps.perItem ?? 3;
  const perCampaign = caps.perCampaign ?? 5;
  const { items, campaigns } = capCounts(view.shown, ctx.now(), caps.windowMs ?? 86_400_000);
  const rows = [
    ...[...items].map(([id, n]) => ({ name: ctx.index.item(id)?.title ?? id, count: n, limit: perItem })),
    ...[...campaigns].map(([id, n]) => ({ name: `${campaignName(id)} (campaign)`, count: n, limit: perCampaign })),
  ];
  return panel("pc-caps", "How often offers were shown",
    h("p", { class: "muted" }, `So nothing follows you around: an offer is shown at most ${perItem} times a day, and any one campaign at most ${perCampaign} times. Offers that reached their limit rest until the day has passed.`),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { id: "pc-caps-table" },
        h("caption", { class: "visually-hidden" }, "Offers and campaigns shown in the last 24 hours"),
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Offer or campaign"), h("th", { scope: "col" }, "Shown in the last 24 h"), h("th", { scope: "col" }, "Limit"))),
        h("tbody", null, rows.map((r) => h("tr", { class: r.count >= r.limit ? "capped" : null },
          h("td", null, r.name), h("td", null, String(r.count)), h("td", null, r.count >= r.limit ? `${r.limit} (reached)` : String(r.limit)))))))
      : h("p", { id: "pc-caps-table" }, "No offers shown in the last 24 hours."),
  );
}

// ---- measurement -----------------------------------------------------------------------------------

function measurePanel(ctx, consent) {
  let pending = [];
  let pendingError = null;
  try {
    pending = ctx.inkling.pendingReports({ now: ctx.now() }) ?? [];
  } catch (e) {
    pendingError = String(e?.message ?? e);
  }
  const budget = ctx.inkling.privacyBudget({ now: ctx.now() });
  const last = ctx.lastFlush();
  return panel("pc-measure", "Measurement and your privacy budget",
    h("p", { class: "muted" }, consent.measure
      ? "You allow measurement. At most one report per topic question per day leaves this device. Each is randomized on the device, carries no identifier, and is only ever counted together with many others."
      : "Measurement is off: nothing is built and nothing is sent."),
    budgetView(budget),
    h("h3", null, "Reports waiting to be sent"),
    pending.length ? h("p", null, "These exact bytes will be sent once, when you leave this page. Switch Measure off above and they never will be.") : null,
    pendingError ? h("p", { class: "error" }, pendingError) : null,
    pending.length
      ? h("ul", { class: "rows", id: "pc-pending" }, pending.map((r) => h("li", null,
        h("div", { class: "grow" },
          h("p", null, reportText(r, ctx)),
          h("pre", { class: "report" }, typeof r === "string" ? r : JSON.stringify(r, null, 2))))))
      : h("p", { id: "pc-pending" }, "None."),
    last ? h("p", { class: "muted", id: "pc-last-flush" }, `Last sending on this visit: ${flushText(last)}`) : null,
  );
}

/**
 * The privacy budget as the engine reports it: { spentToday, spentTotal, metrics: [{ metric,
 * enabled, mechanism, reportEpsilon, lifetimeEpsilon, spentToday, spentTotal, explanation }] }.
 */
function budgetView(budget) {
  const metrics = Array.isArray(budget?.metrics) ? budget.metrics : [];
  const total = Number(budget?.spentTotal ?? budget?.total ?? 0);
  const today = Number(budget?.spentToday ?? 0);
  const eps = (x) => `ε = ${Number(x ?? 0).toFixed(2)}`;
  return h("div", { id: "pc-budget" },
    h("p", null, `Privacy budget spent: ${eps(today)} today, ${eps(total)} in total. ε measures how much a report can reveal about you: the smaller, the less.`),
    metrics.length
      ? h("ul", { class: "rows" }, metrics.map((m) => h("li", { "data-metric": m.metric },
        h("div", { class: "grow" },
          h("strong", null, metricName(m.metric)), m.enabled === false ? " (switched off by the site)" : "",
          h("span", { class: "evidence" }, `${eps(m.reportEpsilon)} per report, at most ${eps(m.lifetimeEpsilon)} over its lifetime; spent ${eps(m.spentToday)} today, ${eps(m.spentTotal)} in total.`),
          m.explanation ? h("p", { class: "evidence" }, m.explanation) : null))))
      : null);
}

function metricName(m) {
  return m === "interests" ? "Top interests" : m === "engagement" ? "Clicked a recommendation" : m;
}

/** What a report means, in words. */
function reportText(r, ctx) {
  const report = typeof r === "string" ? JSON.parse(r) : r;
  const eps = report.mechanism?.epsilon;
  const day = report.period ? ` for ${formatDate(report.period)}` : "";
  if (report.metric === "interests") {
    return `Your top interests${day}, as one yes/no per topic where each answer was randomly flipped on this device (ε = ${eps}). On its own it cannot tell anyone what you like; counted over many readers it shows which topics are popular. Sensitive topics are never included.`;
  }
  if (report.metric === "engagement") {
    return `Whether you clicked a recommendation${day}, one yes/no randomly flipped on this device (ε = ${eps}).`;
  }
  return `${report.metric}${day} (ε = ${eps}).`;
}

function flushText(r) {
  if (r.error) return `sending failed (${r.error}); it will be retried once on a later day.`;
  if (r.skipped) return `nothing sent (${r.skipped}).`;
  const sent = r.sent ?? [];
  return Array.isArray(sent) ? `${plural(sent.length, "report", "reports")} sent.` : `sent: ${JSON.stringify(sent)}.`;
}

// ---- export, import, erase ---------------------------------------------------------------------------

function filePanel(ctx) {
  const message = h("p", { id: "pc-import-message", role: "alert" });
  const input = h("input", {
    type: "file", id: "pc-import", accept: "application/json,.json",
    onchange: async (e) => {
      const file = e.currentTarget.files?.[0];
      if (!file) return;
      const text = await file.text();
      try {
        ctx.inkling.importProfile(text);
        ctx.refresh();
        ctx.toast("Imported: your interests are back.");
        // refresh() rebuilt the panel; show the result in the new one.
        setMessage("ok", `Imported ${file.name}.`);
      } catch (err) {
        setMessage("error", `This file was not imported, and nothing changed: ${err?.message ?? err}`);
      }
      e.currentTarget.value = "";
    },
  });
  return panel("pc-file", "Your file",
    h("p", { class: "muted" }, "Take your profile with you as a JSON file, bring it back later, or erase everything this site holds in this browser."),
    h("div", { class: "choices" },
      h("button", { type: "button", class: "button", id: "pc-export", onclick: () => exportProfile(ctx) }, "Export my data"),
      h("button", { type: "button", class: "button danger", id: "pc-erase", onclick: () => confirmErase(ctx) }, "Erase everything"),
    ),
    h("p", { class: "form-row" }, h("label", { for: "pc-import" }, "Import a file you exported"), input),
    message,
  );
}

function setMessage(kind, text) {
  const el = document.getElementById("pc-import-message");
  if (!el) return;
  el.className = kind;
  el.textContent = text;
}

function exportProfile(ctx) {
  const json = ctx.inkling.exportProfile();
  const blob = new Blob([json], { type: "application/json" });
  const a = h("a", { href: URL.createObjectURL(blob), download: `inkling-profile-${new Date(ctx.now()).toISOString().slice(0, 10)}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  ctx.toast("Exported: keep the file somewhere safe.");
}

function confirmErase(ctx) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("erase-dialog"));
  dialog.returnValue = "";
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== "erase") return;
    ctx.inkling.erase();
    ctx.refresh();
    ctx.toast("Everything is erased. This browser holds nothing from us now.");
  }, { once: true });
  dialog.showModal();
}

function storagePanel(ctx) {
  const s = ctx.inkling.status();
  return panel("pc-storage", "Where it is kept",
    h("p", { id: "pc-storage-text" }, s.storage === "local"
      ? "In this browser's local storage for this site, and nowhere else."
      : `In this page's memory only, gone when you leave${s.reason ? `, because ${storageReason(s.reason)}` : ""}.`),
    s.quarantine ? h("p", { class: "error" }, `Data stored earlier was damaged (${s.quarantine.error}), so we started clean and set it aside under “${s.quarantine.key}” instead of using it.`) : null,
  );
}
