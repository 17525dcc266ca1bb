// @imauth/legacy-ecdsa ECDSA-SHA256 throughput against node:crypto (OpenSSL), side by side in one process,
// for both curves of legacy UserSigs, on the text a typical UserSig signs. On Node the package loads its Node
// flavour (`#ecdsa-platform` under the `node` condition: node:crypto with a cached KeyObject).
// - key sign:       importLegacyPrivateKey(pem).sign(text)  vs crypto.sign("sha256", text, privateKey)   (0.6)
// - key verify:     importLegacyPublicKey(pem).verify(text, sig) vs crypto.verify(..., publicKey, sig)  (0.8)
// - UserSig sign:   genLegacyUserSig (PEM, JSON, zlib, base64 around the signature) vs crypto.sign      (0.6)
// - UserSig verify: verifyLegacyUserSig (base64, inflate, JSON, checks around it) vs crypto.verify       (0.8)
// Both sides get their key parsed once up front, as a provider or verifier holds it (genLegacyUserSig and
// verifyLegacyUserSig find theirs in the package's PEM cache). Key verification uses OpenSSL's signatures
// (about half of them high-S). Imports the built package: run `turbo run build` first. Prints one JSON array
// of rows.
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import {
  genLegacyUserSig,
  importLegacyPrivateKey,
  importLegacyPublicKey,
  verifyLegacyUserSig,
} from "@imauth/legacy-ecdsa";
import { compare } from "../lib/measure.mjs";

const text = new TextEncoder().encode(
  "TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:user_0042\nTLS.sdk_appid:1400000000\n" +
    "TLS.time:1700000000\nTLS.expire_after:15552000\n",
);
const sdkAppId = 1400000000;
const expireSeconds = 15552000;
const clock = () => 1_700_000_000_000;
const USERS = Array.from({ length: 64 }, (_, i) => `user_${String(i).padStart(4, "0")}`);

const rows = [];
for (const [curve, namedCurve] of [
  ["P-256", "prime256v1"],
  ["secp256k1", "secp256k1"],
]) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" });
  const publicPem = publicKey.export({ type: "spki", format: "pem" });
  const ours = importLegacyPrivateKey(privatePem);
  const oursPublic = importLegacyPublicKey(publicPem);
  if (ours.curve !== curve || oursPublic.curve !== curve) throw new Error(`expected a ${curve} key`);

  // Cross-check before timing: each side accepts the other's signatures.
  const opensslSigs = Array.from({ length: 64 }, () => nodeSign("sha256", text, privateKey));
  for (const sig of opensslSigs) {
    if (!(await oursPublic.verify(text, sig)))
      throw new Error(`${curve}: ours rejected an OpenSSL signature`);
  }
  if (!nodeVerify("sha256", text, publicKey, await ours.sign(text))) {
    throw new Error(`${curve}: OpenSSL rejected our signature`);
  }
  const userSigs = await Promise.all(
    USERS.map((userId) =>
      genLegacyUserSig({ sdkAppId, privateKey: privatePem, userId, expireSeconds, clock }),
    ),
  );
  for (const [i, userSig] of userSigs.entries()) {
    await verifyLegacyUserSig(userSig, { sdkAppId, publicKey: publicPem, userId: USERS[i], clock });
  }

  let n = 0;
  const nextSig = () => opensslSigs[n++ & 63];
  const anchorSign = { name: `node:crypto sign (${curve})`, fn: () => nodeSign("sha256", text, privateKey) };
  const anchorVerify = {
    name: `node:crypto verify (${curve})`,
    fn: () => nodeVerify("sha256", text, publicKey, nextSig()),
  };
  rows.push(
    await compare({
      comparison: `ECDSA-SHA256 ${curve} sign vs node:crypto`,
      subject: { name: `@imauth/legacy-ecdsa sign (${curve})`, fn: () => ours.sign(text) },
      anchor: anchorSign,
      target: 0.6,
      isAsync: true,
    }),
    await compare({
      comparison: `ECDSA-SHA256 ${curve} verify vs node:crypto`,
      subject: {
        name: `@imauth/legacy-ecdsa verify (${curve})`,
        fn: () => oursPublic.verify(text, nextSig()),
      },
      anchor: anchorVerify,
      target: 0.8,
      isAsync: true,
    }),
    await compare({
      comparison: `genLegacyUserSig ${curve} vs node:crypto sign`,
      subject: {
        name: `@imauth/legacy-ecdsa genLegacyUserSig (${curve})`,
        fn: () =>
          genLegacyUserSig({
            sdkAppId,
            privateKey: privatePem,
            userId: USERS[n++ & 63],
            expireSeconds,
            clock,
          }),
      },
      anchor: anchorSign,
      target: 0.6,
      isAsync: true,
    }),
    await compare({
      comparison: `verifyLegacyUserSig ${curve} vs node:crypto verify`,
      subject: {
        name: `@imauth/legacy-ecdsa verifyLegacyUserSig (${curve})`,
        fn: () => {
          const i = n++ & 63;
          return verifyLegacyUserSig(userSigs[i], {
            sdkAppId,
            publicKey: publicPem,
            userId: USERS[i],
            clock,
          });
        },
      },
      anchor: anchorVerify,
      target: 0.8,
      isAsync: true,
    }),
  );
}
console.log(JSON.stringify(rows, null, 2));
