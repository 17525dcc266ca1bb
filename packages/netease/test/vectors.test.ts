import { tencentBase64Decode, utf8Decode, zlibDecompress } from "@imauth/core/adapter";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/netease.json" with { type: "json" };
import {
  checkSum,
  createCheckSumHeaders,
  decodeNertcPermissionKey,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
  verifyNeteaseCallback,
} from "../src/index.js";
import { bodyMd5, callbackCheckSum } from "../src/webhook.js";

// Vectors copied from the project's shared vector set (official NetEase tests and documentation); see
// vectors/netease.json for provenance.

describe("API CheckSum vectors", () => {
  for (const v of vectors.apiCheckSum) {
    it(`checkSum(${v.nonce}, ${v.curTime})`, () => {
      expect(checkSum(v.appSecret, v.nonce, v.curTime)).toBe(v.expected);
    });
    it(`createCheckSumHeaders with nonce ${v.nonce}`, () => {
      const headers = createCheckSumHeaders({
        appKey: "app",
        appSecret: v.appSecret,
        nonce: v.nonce,
        clock: () => Number(v.curTime) * 1000 + 999,
      });
      expect(headers).toEqual({ AppKey: "app", Nonce: v.nonce, CurTime: v.curTime, CheckSum: v.expected });
    });
  }
});

describe("callback vectors", () => {
  for (const v of vectors.callback) {
    it("MD5 and CheckSum", () => {
      expect(bodyMd5(v.body)).toBe(v.md5);
      expect(callbackCheckSum(v.appSecret, v.md5, v.curTimeMs)).toBe(v.checkSum);
    });
    it("verifyNeteaseCallback accepts it", async () => {
      const event = await verifyNeteaseCallback(
        {
          url: "/cb",
          headers: { md5: v.md5, curtime: v.curTimeMs, checksum: v.checkSum, appkey: "app" },
          body: v.body,
        },
        { appSecret: v.appSecret, appKey: "app", clock: () => Number(v.curTimeMs) + 1000 },
      );
      expect(event.payload).toEqual(JSON.parse(v.body));
      expect(event.receivedAt.getTime()).toBe(Number(v.curTimeMs));
    });
  }
});

describe("dynamic token vectors", () => {
  for (const v of vectors.imDynamicToken) {
    it(`token for ${v.accid}`, () => {
      const token = genDynamicToken({
        appKey: v.appKey,
        appSecret: v.appSecret,
        accid: v.accid,
        ttlSeconds: v.ttlSeconds,
        clock: () => v.curTimeMs,
      });
      expect(token).toBe(v.token);
      expect(JSON.parse(atob(token)).signature).toBe(v.signature);
      const decoded = verifyDynamicToken({
        token: v.token,
        appKey: v.appKey,
        appSecret: v.appSecret,
        accid: v.accid,
        clock: () => v.curTimeMs + 1000,
      });
      expect(decoded.expiresAt.getTime()).toBe(v.curTimeMs + v.ttlSeconds * 1000);
    });
  }
});

describe("NERTC token vectors", () => {
  for (const v of vectors.nertcToken) {
    it(`token for uid ${v.uid} in ${v.channelName}`, () => {
      const options = {
        appKey: v.appKey,
        appSecret: v.appSecret,
        uid: v.uid,
        channelName: v.channelName,
        ttlSeconds: v.ttlSeconds,
        clock: () => v.curTimeMs,
      };
      expect(genNertcToken(options)).toBe(v.expected);
      expect(genNertcToken({ ...options, uid: String(v.uid) })).toBe(v.expected);
      expect(genNertcToken({ ...options, uid: BigInt(v.uid) })).toBe(v.expected);
      expect(verifyNertcToken({ ...options, token: v.expected }).ttlSeconds).toBe(v.ttlSeconds);
    });
  }
});

describe("NERTC permission key vectors", () => {
  const inflate = (key: string) =>
    JSON.parse(utf8Decode(zlibDecompress(tencentBase64Decode(key), { maxBytes: 4096 })));
  for (const v of vectors.nertcPermissionKey) {
    const options = {
      appKey: v.appKey,
      permSecret: v.permSecret,
      uid: v.uid,
      channelName: v.channelName,
      privilege: v.privilege,
      ttlSeconds: v.ttlSeconds,
      clock: () => v.curTimeSec * 1000,
    };
    it("the official key decodes to the documented JSON", () => {
      // Made by another zlib build: compare the decoded JSON, not the bytes.
      expect(inflate(v.expected)).toEqual(v.decodedJson);
      const decoded = decodeNertcPermissionKey(v.expected);
      expect(decoded).toMatchObject({
        appKey: v.appKey,
        checksum: v.decodedJson.checksum,
        channelName: v.channelName,
        curTimeSeconds: v.curTimeSec,
        ttlSeconds: v.ttlSeconds,
        privilege: v.privilege,
        uid: String(v.uid),
      });
    });
    it("our key decodes to the same JSON, with the same checksum", () => {
      const key = genNertcPermissionKey(options);
      expect(inflate(key)).toEqual(v.decodedJson);
      expect(/^[A-Za-z0-9*\-_]+$/.test(key)).toBe(true);
    });
    it("verifyNertcPermissionKey accepts the official key until it expires", () => {
      const at = (ms: number) => () => ms;
      expect(
        verifyNertcPermissionKey({
          key: v.expected,
          appKey: v.appKey,
          permSecret: v.permSecret,
          clock: at(v.curTimeSec * 1000),
        }).privilege,
      ).toBe(v.privilege);
      expect(() =>
        verifyNertcPermissionKey({
          key: v.expected,
          appKey: v.appKey,
          permSecret: v.permSecret,
          clock: at((v.curTimeSec + v.ttlSeconds) * 1000),
        }),
      ).toThrow(expect.objectContaining({ code: "ERR_CREDENTIAL_EXPIRED" }));
      expect(() =>
        verifyNertcPermissionKey({
          key: v.expected,
          appKey: v.appKey,
          permSecret: `${v.permSecret}0`,
          clock: at(v.curTimeSec * 1000),
        }),
      ).toThrow(expect.objectContaining({ code: "ERR_SIGNATURE_INVALID" }));
    });
    if (v.expectedFromOfficialTest) {
      it("the second official key decodes to the same fields", () => {
        expect(inflate(v.expectedFromOfficialTest)).toEqual(v.decodedJson);
      });
    }
  }
});
