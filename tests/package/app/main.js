// Imports Inkling exactly as a customer's bundled app would, and loads the catalog the
// build step compiled (build-catalog.mjs).
import init, { version, Inkling } from "inkling";

await init();
const ink = Inkling.open({ siteId: "packaging-check", policyVersion: "1" });
ink.loadCatalog(new Uint8Array(await (await fetch("/catalog.bin")).arrayBuffer()));
const ranked = ink.rank({ limit: 10 });
document.getElementById("out").textContent = `inkling ${version()}; compiled catalog ranked ${ranked.length}`;
