// `inkling/personalize/bundler`: the entry without measurement, through webpack's
// WebAssembly ESM integration (no init() to call).
import { version, Inkling } from "inkling/personalize/bundler";
import { withoutMeasurement } from "./without-measurement.js";

const ink = withoutMeasurement(Inkling.open({ siteId: "packaging-check", policyVersion: "1" }));
ink.loadCatalog(new Uint8Array(await (await fetch("/catalog.bin")).arrayBuffer()));
const ranked = ink.rank({ limit: 10 });
document.getElementById("out").textContent = `inkling ${version()}; compiled catalog ranked ${ranked.length}`;
