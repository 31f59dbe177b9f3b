// The same app through the `inkling/bundler` layout: the .wasm is imported as an ES
// module (webpack's asyncWebAssembly), so there is no init() to call.
import { version, Inkling } from "inkling/bundler";

const ink = Inkling.open({ siteId: "packaging-check", policyVersion: "1" });
ink.loadCatalog(new Uint8Array(await (await fetch("/catalog.bin")).arrayBuffer()));
const ranked = ink.rank({ limit: 10 });
document.getElementById("out").textContent = `inkling ${version()}; compiled catalog ranked ${ranked.length}`;
