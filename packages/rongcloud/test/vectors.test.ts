import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/rongcloud.json" with { type: "json" };
import {
  createRongCloudHeaders,
  rongCloudSignature,
  verifyRongCloudCallback,
  verifyRongCloudHeaders,
} from "../src/index.js";
import { createRongCloudEmulator, signRongCloudCallback } from "../src/testing/index.js";

// Vectors made by running RongCloud's official Node SDK (rongcloud-sdk 3.1.1) and the documented formula; see
// vectors/rongcloud.json for provenance. Every expected value comes from that file.

type Vector = (typeof vectors.vectors)[number] & Record<string, unknown>;
const all = vectors.vectors as Vector[];
const api = all.filter((v) => v.kind === "apiSignature");
const callbacks = all.filter((v) => v.kind === "callbackSignature");

/** The instant a vector was made at: the injected clock, else its timestamp in its own unit. */
function instantOf(v: Vector): number {
  if (typeof v.clockMsInjected === "number") return v.clockMsInjected;
  const timestamp = String(v.timestamp ?? v.signTimestamp);
  return timestamp.length <= 11 ? Number(timestamp) * 1000 : Number(timestamp);
}

const unitOf = (v: Vector) => (String(v.timestampUnit).startsWith("seconds") ? "seconds" : "ms");

describe("API signature vectors", () => {
  for (const v of api) {
    const headers = v.headers as Record<string, string>;
    it(`${v.id}: rongCloudSignature over the documented string`, () => {
      expect(`${v.appSecret}${v.nonce}${v.timestamp}`).toBe(v.stringToHash);
      expect(rongCloudSignature(String(v.appSecret), String(v.nonce), String(v.timestamp))).toBe(v.signature);
    });
    it(`${v.id}: createRongCloudHeaders reproduces the headers`, () => {
      const made = createRongCloudHeaders({
        appKey: String(v.appKey),
        appSecret: String(v.appSecret),
        nonce: String(v.nonce),
        clock: () => instantOf(v),
        timestampUnit: unitOf(v),
      });
      expect(made).toEqual({
        "App-Key": headers["App-Key"],
        Nonce: headers.Nonce,
        Timestamp: headers.Timestamp,
        Signature: headers.Signature,
      });
    });
    it(`${v.id}: verifyRongCloudHeaders accepts the captured headers`, () => {
      const verified = verifyRongCloudHeaders(headers, {
        appKey: String(v.appKey),
        appSecret: ["another-secret", String(v.appSecret)],
        clock: () => instantOf(v) + 1000,
      });
      expect(verified.timestampUnit).toBe(unitOf(v));
      expect(verified.signedAt.getTime()).toBe(
        unitOf(v) === "ms" ? Number(v.timestamp) : Number(v.timestamp) * 1000,
      );
      const prefixed = Object.fromEntries(Object.entries(headers).map(([k, x]) => [`RC-${k}`, x]));
      expect(
        verifyRongCloudHeaders(prefixed, { appSecret: String(v.appSecret), clock: () => instantOf(v) })
          .prefixed,
      ).toBe(true);
      expect(() =>
        verifyRongCloudHeaders(headers, { appSecret: `${v.appSecret}x`, clock: () => instantOf(v) }),
      ).toThrow(expect.objectContaining({ code: "ERR_SIGNATURE_INVALID" }));
    });
    const request = v.request as { method: string; path: string; body: string } | undefined;
    if (request) {
      it(`${v.id}: the emulator answers the SDK's captured request`, async () => {
        const emulator = createRongCloudEmulator({
          appKey: String(v.appKey),
          appSecret: String(v.appSecret),
          clock: () => instantOf(v),
        });
        const response = await emulator.fetch(`http://rc.test${request.path}`, {
          method: request.method,
          headers,
          body: request.body,
        });
        const reply = (await response.json()) as { code: number; userId: string; token: string };
        expect(reply.code).toBe(200);
        const form = new URLSearchParams(request.body);
        expect(reply.userId).toBe(form.get("userId"));
        expect(emulator.users.get(reply.userId)?.name).toBe(form.get("name"));
        expect(emulator.acceptsLogin(reply.userId, reply.token)).toBe(true);
      });
    }
  }
});

describe("callback signature vectors", () => {
  for (const v of callbacks) {
    it(`${v.id}: the signature is SHA-1 of the documented string`, () => {
      const timestamp = String(v.signTimestamp ?? v.timestamp);
      expect(`${v.appSecret}${v.nonce}${timestamp}`).toBe(v.stringToHash);
      expect(rongCloudSignature(String(v.appSecret), String(v.nonce), timestamp)).toBe(v.signature);
    });
    it(`${v.id}: verifyRongCloudCallback accepts the URL`, async () => {
      const event = await verifyRongCloudCallback(
        { url: String(v.url), headers: {}, body: "" },
        { appSecret: ["wrong-secret", String(v.appSecret)], clock: () => instantOf(v) + 1000 },
      );
      expect(event.receivedAt.getTime()).toBe(instantOf(v));
      expect(event.details.nonce).toBe(v.nonce);
      await expect(
        verifyRongCloudCallback(
          { url: String(v.url), headers: {}, body: "" },
          { appSecret: `${v.appSecret}x`, clock: () => instantOf(v) },
        ),
      ).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
    });
    if (typeof v.signTimestamp === "string") {
      it(`${v.id}: signRongCloudCallback signs the same query`, () => {
        const request = signRongCloudCallback({
          appSecret: String(v.appSecret),
          nonce: String(v.nonce),
          clock: () => Number(v.signTimestamp),
          url: String(v.url).split("?")[0],
        });
        const query = new URL(request.url).searchParams;
        expect(query.get("signature")).toBe(v.signature);
        expect(query.get("signTimestamp")).toBe(v.signTimestamp);
      });
    }
  }
});
