// @imauth/netease CheckSum headers against anchors measured side by side in one process:
// - createCheckSumHeaders vs the floor: node:crypto createHash("sha1") + randomUUID (target 0.5)
// - createCheckSumHeaders vs the crypto-js SHA1 snippet of NetEase's Node documentation, what integrations
//   paste today (target 10)
// - checkSum (the package's own SHA-1) vs @noble/hashes sha1 on the same input (target 1.5): the reason the
//   package carries a SHA-1 of its own instead of the library's
// Every header subject builds the same four headers. Imports the built package: run `turbo run build` first.
// Prints one JSON array of rows.
import { createHash, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { checkSum, createCheckSumHeaders } from "@imauth/netease";
import CryptoJS from "crypto-js";
import { compare } from "../lib/measure.mjs";

// @noble/hashes is a dependency of @imauth/netease, not of the bench: resolve it from the package.
const requireFromNetease = createRequire(createRequire(import.meta.url).resolve("@imauth/netease"));
const { sha1 } = await import(pathToFileURL(requireFromNetease.resolve("@noble/hashes/legacy.js")).href);

const AppKey = "c37bf7a8758a4ed00000000000000000";
const AppSecret = "c00000000000"; // NetEase AppSecrets are 12 hex characters
const NONCE = "8dfdb33d28408dfdb33d28408dfdb33d";
const curTime = () => String(Math.floor(Date.now() / 1000));

const imauth = {
  name: "@imauth/netease createCheckSumHeaders",
  fn: () => createCheckSumHeaders({ appKey: AppKey, appSecret: AppSecret }),
};
const floor = {
  name: "node:crypto createHash('sha1') + randomUUID",
  fn: () => {
    const Nonce = randomUUID().replaceAll("-", "");
    const CurTime = curTime();
    const CheckSum = createHash("sha1")
      .update(AppSecret + Nonce + CurTime)
      .digest("hex");
    return { AppKey, Nonce, CurTime, CheckSum };
  },
};
// The documentation's snippet: CryptoJS.SHA1 over the concatenation, as hex. Its nonce comes from the same
// source as the floor's, so the row compares the hashing, not the nonce generator.
const snippet = {
  name: "crypto-js SHA1 snippet (NetEase Node docs)",
  fn: () => {
    const Nonce = randomUUID().replaceAll("-", "");
    const CurTime = curTime();
    const CheckSum = CryptoJS.SHA1(AppSecret + Nonce + CurTime).toString(CryptoJS.enc.Hex);
    return { AppKey, Nonce, CurTime, CheckSum };
  },
};

let t = 1_700_000_000;
const ownSha1 = { name: "@imauth/netease checkSum", fn: () => checkSum(AppSecret, NONCE, String(t++)) };
const encoder = new TextEncoder();
const nobleSha1 = {
  name: "@noble/hashes sha1 + hex",
  fn: () => Buffer.from(sha1(encoder.encode(AppSecret + NONCE + String(t++)))).toString("hex"),
};

// Each subject must agree with node:crypto before it is timed.
for (const { name, fn } of [imauth, floor, snippet]) {
  const h = fn();
  const expected = createHash("sha1")
    .update(AppSecret + h.Nonce + h.CurTime)
    .digest("hex");
  if (h.CheckSum !== expected || !/^[0-9a-f]{32}$/.test(h.Nonce)) throw new Error(`${name} is wrong`);
}
t = 5;
const a = ownSha1.fn();
t = 5;
if (a !== nobleSha1.fn()) throw new Error("checkSum and @noble/hashes disagree");

const rows = [
  await compare({
    comparison: "CheckSum headers vs node:crypto floor",
    subject: imauth,
    anchor: floor,
    target: 0.5,
  }),
  await compare({
    comparison: "CheckSum headers vs crypto-js snippet",
    subject: imauth,
    anchor: snippet,
    target: 10,
  }),
  await compare({
    comparison: "CheckSum SHA-1 vs @noble/hashes sha1",
    subject: ownSha1,
    anchor: nobleSha1,
    target: 1.5,
  }),
];
console.log(JSON.stringify(rows, null, 2));
