// Where crypto.subtle is missing (an insecure browser context), P-256 runs on @noble/curves instead.
import { sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { afterEach, expect, it, vi } from "vitest";
import { importLegacyPrivateKey, importLegacyPublicKey } from "../src/index.js";
import { opensslKey } from "./helpers.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

it("P-256 signs and verifies without Web Crypto, interoperating with OpenSSL", async () => {
  const k = opensslKey("P-256");
  const getRandomValues = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
  vi.stubGlobal("crypto", { getRandomValues });
  expect(globalThis.crypto.subtle).toBeUndefined();
  const signer = importLegacyPrivateKey(k.sec1);
  const verifier = importLegacyPublicKey(k.spki);
  const message = Buffer.from("TLS.identifier:alice\n");
  for (let i = 0; i < 8; i++) {
    const ours = await signer.sign(message);
    expect(nodeVerify("sha256", message, k.publicKey, ours)).toBe(true);
    const theirs = nodeSign("sha256", message, k.privateKey);
    expect(await verifier.verify(message, theirs)).toBe(true);
    expect(await verifier.verify(Buffer.from("TLS.identifier:bob\n"), theirs)).toBe(false);
  }
});
