// What the bench scripts share on the command line: the repository root and `--name VALUE` options.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The script's arguments. */
export const args = process.argv.slice(2);

/** The value after `--name` on the command line, or null. */
export const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : null;
};

/**
 * The `[NAME, DIR]` pair of every `--variant NAME=DIR` on the command line (repeatable):
 * other builds to measure beside the package. Exits with `usage` if one is not NAME=DIR.
 */
export const variants = (usage) =>
  args.flatMap((a, i) => (a === "--variant" ? [args[i + 1]] : [])).map((v) => {
    const [name, dir] = (v || "").split("=");
    if (!name || !dir) {
      console.error(usage);
      process.exit(2);
    }
    return [name, dir];
  });
