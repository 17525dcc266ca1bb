// @imauth/rongcloud signature headers against the floor: a bare node:crypto SHA-1 hex of the same string
// (AppSecret + Nonce + Timestamp), with the nonce from the same kind of source (target 1: the headers, nonce
// and timestamp included, cost no more than hashing alone with node:crypto). Imports the built package: run
// `turbo run build` first. Prints one JSON array of rows.
import { createHash, randomUUID } from "node:crypto";
import { createRongCloudHeaders } from "@imauth/rongcloud";
import { compare } from "../lib/measure.mjs";

const appKey = "uwd1c0sxdlx2";
const appSecret = "Y1W2MeFwwwRxa0";

const imauth = {
  name: "@imauth/rongcloud createRongCloudHeaders",
  fn: () => createRongCloudHeaders({ appKey, appSecret }),
};
const floor = {
  name: "node:crypto createHash('sha1') of the same string",
  fn: () => {
    const nonce = randomUUID().slice(0, 18);
    const timestamp = String(Date.now());
    return createHash("sha1")
      .update(appSecret + nonce + timestamp)
      .digest("hex");
  },
};

// The subject must agree with node:crypto before it is timed.
const h = new Headers(imauth.fn());
const expected = createHash("sha1")
  .update(appSecret + h.get("Nonce") + h.get("Timestamp"))
  .digest("hex");
if (h.get("Signature") !== expected || h.get("App-Key") !== appKey)
  throw new Error("createRongCloudHeaders disagrees with node:crypto");

const rows = [
  await compare({
    comparison: "RongCloud headers vs node:crypto SHA-1",
    subject: imauth,
    anchor: floor,
    target: 1,
  }),
];
console.log(JSON.stringify(rows, null, 2));
