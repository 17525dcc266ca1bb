// Finds the machine's own Node.js: the first `node` on PATH that is not a node_modules shim (pnpm puts
// node_modules/.bin, with the Node 24 devDependency, first on PATH while it runs a script).
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join, sep } from "node:path";

export function systemNode() {
  const dirs = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((d) => d && !d.split(sep).includes("node_modules"));
  for (const dir of [...dirs, "/usr/local/bin", "/usr/bin"]) {
    const candidate = join(dir, "node");
    try {
      accessSync(candidate, constants.X_OK);
      if (realpathSync(candidate).split(sep).includes("node_modules")) continue;
      return candidate;
    } catch {}
  }
  return undefined;
}
