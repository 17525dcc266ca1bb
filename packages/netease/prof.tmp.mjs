import { createHash, randomUUID } from "node:crypto";
import { checkSum, createCheckSumHeaders, randomNonce } from "./dist/index.js";

function bench(name, fn, ms = 500) {
  for (let i = 0; i < 50000; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let t;
  do {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    t = performance.now();
  } while (t - t0 < ms);
  console.log(name.padEnd(12), Math.round(n / ((t - t0) / 1000)));
}
const s = "c00000000000";
for (let k = 0; k < 2; k++) {
  bench("headers", () => createCheckSumHeaders({ appKey: "k", appSecret: s }));
  bench("nonce", () => randomNonce());
  bench("checkSum", () => checkSum(s, "8dfdb33d28408dfdb33d28408dfdb33d", "1700000000"));
  bench("floor", () =>
    createHash("sha1")
      .update(s + randomUUID().replaceAll("-", "") + "1700000000")
      .digest("hex"),
  );
  bench("date", () => String(Math.floor(Date.now() / 1000)));
}
