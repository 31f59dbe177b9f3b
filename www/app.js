import init, { version } from "inkling";

await init();
document.getElementById("version").textContent = version();
document.body.dataset.ready = "true";
