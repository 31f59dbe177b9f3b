// Two pages: index.html imports `inkling`, personalize.html imports `inkling/personalize`.
import { defineConfig } from "vite";

export default defineConfig({
  build: { rollupOptions: { input: { main: "index.html", personalize: "personalize.html" } } },
});
