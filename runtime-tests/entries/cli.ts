// Entry for command-line runtimes (Node, Bun, Deno): runs the suite and prints one result line.
import { runAll } from "../suite/index.js";

const MARK = "IMAUTH_RESULTS ";

(async () => {
  const results = await runAll();
  console.log(MARK + JSON.stringify(results));
})().catch((error) => {
  console.log(
    MARK + JSON.stringify([{ pkg: "(suite)", name: "load", ok: false, error: String(error), ms: 0 }]),
  );
});
