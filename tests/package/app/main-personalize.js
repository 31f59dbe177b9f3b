// The `inkling/personalize` entry as a customer's bundled app uses it: the same API less
// private measurement. Ranks the compiled catalog, and fails the page if a measurement
// method is there after all (the entry would then not be the smaller one).
import init, { version, Inkling } from "inkling/personalize";
import { withoutMeasurement } from "./without-measurement.js";

await init();
const ink = withoutMeasurement(Inkling.open({ siteId: "packaging-check", policyVersion: "1" }));
ink.loadCatalog(new Uint8Array(await (await fetch("/catalog.bin")).arrayBuffer()));
const ranked = ink.rank({ limit: 10 });
document.getElementById("out").textContent = `inkling ${version()}; compiled catalog ranked ${ranked.length}`;
