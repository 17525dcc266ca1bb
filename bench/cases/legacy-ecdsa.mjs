// @imauth/legacy-ecdsa ECDSA-SHA256 throughput against node:crypto (OpenSSL), side by side in one process,
// for both curves of legacy UserSigs, on the text a typical UserSig signs:
// - sign:   importLegacyPrivateKey(pem).sign(text)   vs crypto.sign("sha256", text, privateKey)   (target 0.5)
// - verify: importLegacyPublicKey(pem).verify(text, sig) vs crypto.verify("sha256", text, publicKey, sig) (0.5)
// P-256 runs on Web Crypto, secp256k1 on @noble/curves (Web Crypto has no secp256k1). Both sides get their key
// parsed once up front, as a provider or verifier holds it. Verification uses OpenSSL's signatures (about half
// of them high-S). Imports the built package: run `turbo run build` first. Prints one JSON array of rows.
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { importLegacyPrivateKey, importLegacyPublicKey } from "@imauth/legacy-ecdsa";
import { compare } from "../lib/measure.mjs";

const text = new TextEncoder().encode(
  "TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:user_0042\nTLS.sdk_appid:1400000000\n" +
    "TLS.time:1700000000\nTLS.expire_after:15552000\n",
);

const rows = [];
for (const [curve, namedCurve] of [
  ["P-256", "prime256v1"],
  ["secp256k1", "secp256k1"],
]) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve });
  const ours = importLegacyPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" }));
  const oursPublic = importLegacyPublicKey(publicKey.export({ type: "spki", format: "pem" }));
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

  rows.push(
    await compare({
      comparison: `ECDSA-SHA256 ${curve} sign vs node:crypto`,
      subject: { name: `@imauth/legacy-ecdsa sign (${curve})`, fn: () => ours.sign(text) },
      anchor: { name: `node:crypto sign (${curve})`, fn: () => nodeSign("sha256", text, privateKey) },
      target: 0.5,
      isAsync: true,
    }),
  );
  let n = 0;
  const nextSig = () => opensslSigs[n++ & 63];
  rows.push(
    await compare({
      comparison: `ECDSA-SHA256 ${curve} verify vs node:crypto`,
      subject: {
        name: `@imauth/legacy-ecdsa verify (${curve})`,
        fn: () => oursPublic.verify(text, nextSig()),
      },
      anchor: {
        name: `node:crypto verify (${curve})`,
        fn: () => nodeVerify("sha256", text, publicKey, nextSig()),
      },
      target: 0.5,
      isAsync: true,
    }),
  );
}
console.log(JSON.stringify(rows, null, 2));
