// Entry for the browser: runs the suite on page load and publishes the results on globalThis.
import { runAll } from "../suite/index.js";

const target = globalThis as { __IMAUTH_RESULTS__?: unknown };
runAll().then(
  (results) => {
    target.__IMAUTH_RESULTS__ = results;
  },
  (error) => {
    target.__IMAUTH_RESULTS__ = [{ pkg: "(suite)", name: "load", ok: false, error: String(error), ms: 0 }];
  },
);
