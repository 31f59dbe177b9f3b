// Test harness: opens Inkling for the site named in `?site=` with a tiny catalog
// and exposes it on `window`, exactly as a page using the package would.
import init, { Inkling } from "inkling";

const catalog = {
  topics: [
    { id: "hiking", label: "Hiking" },
    { id: "travel", label: "Travel" },
    { id: "cooking", label: "Cooking" },
  ],
  items: [
    { id: "a1", title: "Ridge walks", topics: { hiking: 1 }, popularity: 0.2 },
    { id: "a2", title: "City breaks", topics: { travel: 1 }, popularity: 0.9 },
    { id: "a3", title: "Soup", topics: { cooking: 1 }, popularity: 0.5 },
  ],
};

await init();
const site = new URLSearchParams(location.search).get("site") || "harness";
const inkling = Inkling.open({ siteId: site, policyVersion: "2026-11" });
inkling.loadCatalog(catalog);
window.Inkling = Inkling;
window.inkling = inkling;
document.body.dataset.ready = "true";
