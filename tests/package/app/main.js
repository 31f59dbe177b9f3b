// Imports Inkling exactly as a customer's bundled app would.
import init, { version } from "inkling";

await init();
document.getElementById("out").textContent = "inkling " + version();
