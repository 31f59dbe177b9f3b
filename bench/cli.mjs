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
