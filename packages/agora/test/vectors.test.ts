import { base64Decode, hexEncode, utf8Encode, zlibDecompress } from "@imauth/core/adapter";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/agora.json" with { type: "json" };
import {
  type AgoraServiceInput,
  buildAccessToken,
  type DecodedAccessToken,
  decodeAccessToken,
  genChatAppToken,
  genChatUserToken,
  genRtcToken,
  genRtmToken,
  verifyAccessToken,
  verifyAgoraCallback,
} from "../src/index.js";
import { ncsSignatures } from "../src/webhook.js";

// Vectors made by the official builders (see vectors/agora.json `about` and `provenance`). Generated tokens are
// compared after inflating (`contentHex`): the deflate stream depends on the zlib build.

type Vector = { id: string; kind: string; appId: string; appCertificate: string; issueTs: number } & Record<
  string,
  unknown
>;
const all = vectors.vectors as unknown as Vector[];
const byKind = (kind: string) => all.filter((v) => v.kind === kind);

/** The inflated content of a token, as hex. */
function contentHex(token: string): string {
  return hexEncode(zlibDecompress(base64Decode(token.slice(3)), { maxBytes: 65_536 }));
}

const at = (v: { issueTs: number }) => () => v.issueTs * 1000;
/** Official builders take the relative privilege expiry; "(omitted -> default 0)" in the vectors is 0. */
const num = (value: unknown): number => (typeof value === "number" ? value : 0);

/** Calls the generator matching the vector's official call, with the same inputs. */
function generate(v: Vector): string {
  const args = v.args as Record<string, unknown>;
  const base = { appId: v.appId, appCertificate: v.appCertificate, clock: at(v), salt: v.salt as number };
  const call = String(v.call);
  if (v.kind === "rtmToken")
    return genRtmToken({ ...base, userId: args.userId as string, expireSeconds: num(args.expire) });
  if (v.kind === "chatUserToken") {
    return genChatUserToken({ ...base, userId: args.userId as string, expireSeconds: num(args.expire) });
  }
  if (v.kind === "chatAppToken") return genChatAppToken({ ...base, expireSeconds: num(args.expire) });
  // The official builders write a number as a uid (0 as "") and a string as an account, whatever the call.
  const user = args.uid ?? args.account;
  const who = typeof user === "number" ? { uid: user } : { account: String(user) };
  const common = {
    ...base,
    ...who,
    channelName: args.channelName as string,
    tokenExpireSeconds: num(args.tokenExpire),
  };
  if (/Privilege/.test(call)) {
    return genRtcToken({
      ...common,
      privileges: {
        joinChannel: num(args.joinChannelPrivilegeExpire),
        publishAudioStream: num(args.pubAudioPrivilegeExpire),
        publishVideoStream: num(args.pubVideoPrivilegeExpire),
        publishDataStream: num(args.pubDataStreamPrivilegeExpire),
      },
    });
  }
  return genRtcToken({
    ...common,
    role: args.role === 1 ? "publisher" : "subscriber",
    privilegeExpireSeconds: num(args.privilegeExpire),
    withRtm: /Rtm/.test(call),
  });
}

/** A vector's `servicesAdded` as AccessToken2 services (the official `add_service` defaults: user ID "" for RTM and Chat). */
function directServices(v: Vector): AgoraServiceInput[] {
  return (v.servicesAdded as Array<Record<string, unknown>>).map((s) => {
    const privileges = Object.fromEntries(
      Object.entries(s.privileges as Record<string, number>).map(([k, e]) => [Number(k), e]),
    );
    const type = s.type as number;
    const channelName = s.channelName ?? s.channel_name ?? s.channel;
    if (type === 1)
      return { type, channelName, uid: s.uid ?? s.account ?? 0, privileges } as AgoraServiceInput;
    if (type === 2 || type === 5) {
      return {
        type,
        userId: String(s.userId ?? s.user_id ?? s.userUuid ?? s.uid ?? ""),
        privileges,
      } as AgoraServiceInput;
    }
    return { ...s, privileges } as unknown as AgoraServiceInput;
  });
}

/** The decoded token in the vectors' shape. */
function asVectorDecoded(d: DecodedAccessToken) {
  return {
    signatureHex: d.signatureHex,
    appId: d.appId,
    issueTs: d.issuedAtSeconds,
    expire: d.expireSeconds,
    tokenExpiresAt: d.expiresAt === null ? null : d.expiresAt.getTime() / 1000,
    salt: d.salt,
    serviceCount: d.serviceCount,
    services: d.services.map(({ type, name, privileges, ...fields }) => ({
      type,
      name,
      privileges: Object.fromEntries(
        Object.entries(privileges).map(([k, p]) => [
          k,
          {
            id: p.id,
            expire: p.expireSeconds,
            expiresAt: p.expiresAt === null ? null : p.expiresAt.getTime() / 1000,
          },
        ]),
      ),
      ...fields,
    })),
  };
}

const tokenVectors = all.filter((v) => v.kind !== "ncsWebhookSignature");

describe("generated tokens equal the official content after inflating", () => {
  for (const v of tokenVectors) {
    it(`${v.id}`, () => {
      const token =
        v.kind === "accessToken2Direct"
          ? buildAccessToken({
              appId: v.appId,
              appCertificate: v.appCertificate,
              clock: at(v),
              salt: v.salt as number,
              expireSeconds: v.expire as number,
              services: directServices(v),
            })
          : generate(v);
      expect(token.startsWith("007")).toBe(true);
      const official = (v.contentHex as string | undefined) ?? contentHex(v.expectedInRepoNodeTest as string);
      expect(contentHex(token)).toBe(official);
    });
  }
});

describe("every official token string decodes and verifies", () => {
  for (const v of tokenVectors) {
    const strings = ["token", "tokenPython", "tokenEasemobJava", "expectedInRepoNodeTest"]
      .map((k) => [k, v[k]] as const)
      .filter((e): e is readonly [string, string] => typeof e[1] === "string");
    for (const [k, token] of strings) {
      it(`${v.id} ${k}`, () => {
        const decoded = decodeAccessToken(token);
        expect(asVectorDecoded(decoded)).toEqual(v.decoded);
        if (typeof v.contentHex === "string") expect(contentHex(token)).toBe(v.contentHex);
        const clock = () => (decoded.issuedAtSeconds + 1) * 1000;
        expect(verifyAccessToken(token, { appId: v.appId, appCertificate: v.appCertificate, clock })).toEqual(
          decoded,
        );
        expect(() =>
          verifyAccessToken(token, { appId: v.appId, appCertificate: "0".repeat(32), clock }),
        ).toThrow(expect.objectContaining({ code: "ERR_SIGNATURE_INVALID" }));
        const late = () => (decoded.issuedAtSeconds + decoded.expireSeconds + 1) * 1000;
        expect(() =>
          verifyAccessToken(token, { appId: v.appId, appCertificate: v.appCertificate, clock: late }),
        ).toThrow(expect.objectContaining({ code: "ERR_CREDENTIAL_EXPIRED" }));
      });
    }
  }
});

describe("Notification Center signature vectors", () => {
  for (const v of byKind("ncsWebhookSignature")) {
    const headers = v.headers as Record<string, string>;
    const body = v.body as string;
    it(`${v.id}: both signatures`, () => {
      expect(hexEncode(utf8Encode(body))).toBe(v.bodyUtf8Hex);
      const { v1, v2 } = ncsSignatures(v.secret as string, utf8Encode(body));
      expect(v1).toBe(headers["Agora-Signature"]);
      expect(v2).toBe(headers["Agora-Signature-V2"]);
    });
    it(`${v.id}: verifyAgoraCallback accepts it at its notifyMs`, async () => {
      const notifyMs = (JSON.parse(body) as { notifyMs: number }).notifyMs;
      const event = await verifyAgoraCallback(
        { url: "https://example.com/ncs", headers, body },
        { secret: v.secret as string, clock: () => notifyMs },
      );
      expect(event.details.signature).toBe("v2");
      expect(event.receivedAt.getTime()).toBe(notifyMs);
      const { "Agora-Signature-V2": _, ...v1Only } = headers;
      const sha1 = await verifyAgoraCallback(
        { url: "https://example.com/ncs", headers: v1Only, body },
        { secret: v.secret as string, clock: () => notifyMs, acceptSha1Signature: true },
      );
      expect(sha1.details.signature).toBe("v1");
    });
  }
});
