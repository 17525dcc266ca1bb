import { inspect } from "node:util";
import { ImAuthError, Secret } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-cloud-api.json" with { type: "json" };
import {
  classifyTencentCloudError,
  createTencentCloudClient,
  createTencentCloudSigner,
  parseTencentCloudEnvelope,
  TENCENT_CLOUD_IDEMPOTENT_ACTIONS,
  TENCENT_CLOUD_REGIONS,
  tc3Sign,
  tencentCloudEndpoints,
} from "../src/cloud/index.js";

type Vector = (typeof vectors.vectors)[number];
const sdkVectors = vectors.vectors.filter((v) => v.kind === "trtcSdkRequest") as Array<
  Vector & { clockMsInjected: number; url: string }
>;

const signInput = (v: Vector) => ({
  secretId: v.secretId,
  secretKey: v.secretKey,
  service: v.service,
  host: v.host,
  method: v.method,
  path: v.canonicalUri,
  query: v.canonicalQueryString,
  contentType: v.contentType,
  body: v.body,
  timestampSeconds: v.timestamp,
});

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof ImAuthError ? error.code : `not an ImAuthError: ${String(error)}`;
  }
  return undefined;
};

describe("tc3Sign", () => {
  it.each(vectors.vectors)("reproduces $id", (v) => {
    const signed = tc3Sign(signInput(v));
    expect(signed.canonicalRequest).toBe(v.canonicalRequest);
    expect(signed.canonicalRequest.endsWith(`\n${v.hashedPayload}`)).toBe(true);
    expect(signed.stringToSign).toBe(v.stringToSign);
    expect(signed.date).toBe(v.date);
    expect(signed.signedHeaders).toBe(v.signedHeaders);
    expect(signed.signature).toBe(v.signature);
    expect(signed.authorization).toBe(v.authorization);
  });

  it("accepts the key as a Secret and reads the time from the clock", () => {
    const v = vectors.vectors[1]!;
    const signed = tc3Sign({
      ...signInput(v),
      secretKey: new Secret(v.secretKey),
      timestampSeconds: undefined,
      clock: () => v.timestamp * 1000 + 999,
    });
    expect(signed.authorization).toBe(v.authorization);
  });

  it("keeps the signature out of JSON and inspect", () => {
    const v = vectors.vectors[1]!;
    const signed = tc3Sign(signInput(v));
    for (const text of [JSON.stringify(signed), inspect(signed, { depth: 5 })]) {
      expect(text).not.toContain(v.signature);
      expect(text).toContain(v.date);
    }
  });

  it("signs extra headers sorted, with trimmed lower-case values, as the documentation prescribes", () => {
    const v = vectors.vectors[1]!;
    const signed = tc3Sign({ ...signInput(v), headers: { "X-TC-Action": " DismissRoom " } });
    expect(signed.signedHeaders).toBe("content-type;host;x-tc-action");
    expect(signed.canonicalRequest).toContain(
      `host:${v.host}\nx-tc-action:dismissroom\n\ncontent-type;host;x-tc-action\n`,
    );
    expect(signed.signature).not.toBe(v.signature);
  });

  it("refuses bad keys as configuration and bad request parts as input", () => {
    const base = signInput(vectors.vectors[1]!);
    expect(code(() => tc3Sign({ ...base, secretId: "AKID/x" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => tc3Sign({ ...base, secretId: "" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => tc3Sign({ ...base, secretKey: "" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => tc3Sign({ ...base, secretKey: 42 as never }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => tc3Sign({ ...base, service: "TRTC" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => tc3Sign({ ...base, contentType: "application/json\nx: y" }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => tc3Sign({ ...base, host: "" }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => tc3Sign({ ...base, body: "a\uD800" }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => tc3Sign({ ...base, body: 5 as never }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => tc3Sign({ ...base, timestampSeconds: 1.5 }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => tc3Sign({ ...base, headers: { "bad name": "x" } }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => tc3Sign({ ...base, timestampSeconds: undefined, clock: () => Number.NaN }))).toBe(
      "ERR_INVALID_CONFIG",
    );
    expect(code(() => tc3Sign(null as never))).toBe("ERR_INVALID_INPUT");
  });

  it("never shows the key in an error", () => {
    const base = signInput(vectors.vectors[1]!);
    const error = (() => {
      try {
        tc3Sign({ ...base, secretKey: "hunter2\uD800" });
      } catch (e) {
        return e as ImAuthError;
      }
    })();
    expect(error?.code).toBe("ERR_INVALID_CONFIG");
    expect(error?.message).not.toContain("hunter2");
  });

  it("property: any change of one body byte changes the signature", () => {
    const v = vectors.vectors[1]!;
    const body = new TextEncoder().encode(v.body);
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const changed = body.slice();
        changed[index] = (changed[index]! + delta) & 255;
        expect(tc3Sign({ ...signInput(v), body: changed }).signature).not.toBe(v.signature);
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it("property: arbitrary input throws ImAuthError or signs, never anything else", () => {
    const base = signInput(vectors.vectors[1]!);
    fc.assert(
      fc.property(
        fc.record({ field: fc.constantFrom(...Object.keys(base)), value: fc.anything() }),
        ({ field, value }) => {
          const result = code(() => tc3Sign({ ...base, [field]: value }));
          expect(result === undefined || result.startsWith("ERR_")).toBe(true);
        },
      ),
      { seed: 14, numRuns: 300 },
    );
  });
});

describe("createTencentCloudSigner", () => {
  const signerFor = (v: Vector & { clockMsInjected: number }) =>
    createTencentCloudSigner({
      secretId: v.secretId,
      secretKey: v.secretKey,
      ...(v.sessionToken ? { sessionToken: new Secret(v.sessionToken) } : {}),
      service: v.service,
      region: v.region,
      version: v.version,
      clock: () => v.clockMsInjected,
    });

  it.each(sdkVectors)("sends the headers the official SDK sent for $id", async (v) => {
    const signed = await signerFor(v).signRequest(
      new Request(v.url, {
        method: v.method,
        // A string body would otherwise be sent as text/plain, which Tencent refuses.
        headers: { "X-TC-Action": v.action, "Content-Type": v.contentType },
        body: v.body,
      }),
    );
    const wanted = Object.entries(v.headers).filter(
      ([name]) => !["host", "x-tc-traceid", "x-tc-requestclient"].includes(name.toLowerCase()),
    );
    for (const [name, value] of wanted) expect([name, signed.headers.get(name)]).toEqual([name, value]);
    expect(signed.headers.has("x-tc-token")).toBe(v.sessionToken !== null);
    expect(await signed.text()).toBe(v.body);
    expect(signed.url).toBe(v.url);
  });

  it("preserves method, URL, body and other headers; signs GET queries", async () => {
    const v = sdkVectors[0]!;
    const signer = signerFor(v);
    const get = await signer.signRequest(
      new Request("https://trtc.tencentcloudapi.com/?SdkAppId=1&UserIds.0=a%20b", {
        method: "GET",
        headers: { "X-TC-Action": "DescribeRoomInfo", "X-Custom": "kept" },
      }),
    );
    expect(get.method).toBe("GET");
    expect(get.url).toBe("https://trtc.tencentcloudapi.com/?SdkAppId=1&UserIds.0=a%20b");
    expect(get.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(get.headers.get("x-custom")).toBe("kept");
    const expected = tc3Sign({
      secretId: v.secretId,
      secretKey: v.secretKey,
      service: "trtc",
      host: "trtc.tencentcloudapi.com",
      method: "GET",
      query: "SdkAppId=1&UserIds.0=a%20b",
      contentType: "application/x-www-form-urlencoded",
      timestampSeconds: v.timestamp,
    });
    expect(get.headers.get("authorization")).toBe(expected.authorization);
    // A region, version or language the request names itself is kept.
    const own = await signer.signRequest(
      new Request(v.url, {
        method: "POST",
        headers: { "X-TC-Action": "DismissRoom", "X-TC-Region": "ap-beijing", "X-TC-Version": "2020-01-01" },
        body: "{}",
      }),
    );
    expect([own.headers.get("x-tc-region"), own.headers.get("x-tc-version")]).toEqual([
      "ap-beijing",
      "2020-01-01",
    ]);
  });

  it("sends X-TC-Language when configured, without signing it", async () => {
    const v = sdkVectors[0]!;
    const signer = createTencentCloudSigner({
      secretId: v.secretId,
      secretKey: v.secretKey,
      service: "trtc",
      language: "en-US",
      clock: () => v.clockMsInjected,
    });
    const signed = await signer.signRequest(
      new Request(v.url, {
        method: "POST",
        headers: { "X-TC-Action": v.action, "Content-Type": v.contentType },
        body: v.body,
      }),
    );
    expect(signed.headers.get("x-tc-language")).toBe("en-US");
    expect(signed.headers.get("authorization")).toBe(v.authorization);
  });

  it("signs extra headers when asked", async () => {
    const v = sdkVectors[0]!;
    const signer = createTencentCloudSigner({
      secretId: v.secretId,
      secretKey: v.secretKey,
      service: "trtc",
      signedHeaders: ["X-TC-Action"],
      clock: () => v.clockMsInjected,
    });
    const signed = await signer.signRequest(
      new Request(v.url, { method: "POST", headers: { "X-TC-Action": v.action }, body: v.body }),
    );
    expect(signed.headers.get("authorization")).toContain("SignedHeaders=content-type;host;x-tc-action,");
  });

  it("refuses requests it cannot sign with ERR_INVALID_INPUT", async () => {
    const signer = signerFor(sdkVectors[0]!);
    const url = "https://trtc.tencentcloudapi.com/";
    await expect(signer.signRequest(new Request(url, { method: "POST", body: "{}" }))).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(signer.signRequest("https://x/" as never)).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    const used = new Request(url, { method: "POST", headers: { "X-TC-Action": "DismissRoom" }, body: "{}" });
    await used.text();
    await expect(signer.signRequest(used)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    const small = createTencentCloudSigner({
      secretId: "AKIDx",
      secretKey: "k",
      service: "trtc",
      maxBodyBytes: 8,
    });
    await expect(
      small.signRequest(
        new Request(url, { method: "POST", headers: { "X-TC-Action": "DismissRoom" }, body: "x".repeat(9) }),
      ),
    ).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });

  it("checks its options with ERR_INVALID_CONFIG", () => {
    const ok = { secretId: "AKIDx", secretKey: "k", service: "trtc" };
    expect(code(() => createTencentCloudSigner(undefined as never))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudSigner({ ...ok, secretKey: "" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudSigner({ ...ok, sessionToken: "" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudSigner({ ...ok, region: "Guangzhou" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudSigner({ ...ok, version: "v3" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudSigner({ ...ok, language: "fr" as never }))).toBe(
      "ERR_INVALID_CONFIG",
    );
    expect(code(() => createTencentCloudSigner({ ...ok, clock: 5 as never }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudSigner({ ...ok, signedHeaders: ["a b"] }))).toBe(
      "ERR_INVALID_CONFIG",
    );
    expect(code(() => createTencentCloudSigner(ok))).toBeUndefined();
  });

  it("never shows its key or token when logged", async () => {
    const v = sdkVectors[3]!;
    const signer = signerFor(v);
    for (const text of [JSON.stringify(signer), String(signer), inspect(signer, { depth: 5 })]) {
      expect(text).not.toContain(v.secretKey);
      expect(text).not.toContain(v.sessionToken!);
    }
    expect(JSON.stringify(signer)).toContain(v.secretId);
  });
});

describe("parseTencentCloudEnvelope", () => {
  it("returns Response when it has no Error", () => {
    const result = parseTencentCloudEnvelope(200, { Response: { TaskId: "t1", RequestId: "r-1" } });
    expect(result).toEqual({ TaskId: "t1", RequestId: "r-1" });
  });

  it("turns Error into ERR_VENDOR_API with the Code, the Message and the RequestId", () => {
    const answer = {
      Response: {
        Error: { Code: "FailedOperation.RoomNotExist", Message: "room not exist" },
        RequestId: "abc-123",
      },
    };
    let error: ImAuthError | undefined;
    try {
      parseTencentCloudEnvelope(200, answer);
    } catch (e) {
      error = e as ImAuthError;
    }
    expect(error).toBeInstanceOf(ImAuthError);
    expect(error).toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: "FailedOperation.RoomNotExist",
      vendorMessage: "room not exist",
      status: 200,
    });
    expect(error?.message).toContain("RequestId abc-123");
  });

  it("refuses answers without an envelope", () => {
    expect(code(() => parseTencentCloudEnvelope(502, undefined))).toBe("ERR_VENDOR_API");
    expect(code(() => parseTencentCloudEnvelope(200, { Response: {} }))).toBe("ERR_VENDOR_API");
    expect(code(() => parseTencentCloudEnvelope(200, [1]))).toBe("ERR_VENDOR_API");
    let error: ImAuthError | undefined;
    try {
      parseTencentCloudEnvelope(503, "gateway");
    } catch (e) {
      error = e as ImAuthError;
    }
    expect([error?.status, error?.vendorCode]).toEqual([503, 503]);
  });

  it("property: any JSON answer is a result or an ImAuthError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.jsonValue(), (status, json) => {
        const result = code(() => parseTencentCloudEnvelope(status, { Response: json }));
        expect(result === undefined || result === "ERR_VENDOR_API").toBe(true);
      }),
      { seed: 15, numRuns: 300 },
    );
  });
});

describe("classifyTencentCloudError", () => {
  const vendor = (vendorCode: string | number, status = 200) =>
    new ImAuthError("ERR_VENDOR_API", "x", { vendorCode, status });

  it("retries network failures, 5xx, InternalError and rate limits, never AuthFailure or InvalidParameter", () => {
    expect(classifyTencentCloudError(new ImAuthError("ERR_NETWORK", "x"), 1)).toEqual({
      retry: true,
      failover: true,
    });
    expect(classifyTencentCloudError(vendor(502, 502), 1)).toEqual({ retry: true, failover: true });
    expect(classifyTencentCloudError(vendor("InternalError"), 1)).toEqual({ retry: true });
    expect(classifyTencentCloudError(vendor("InternalError.BackendTimeOut"), 1)).toEqual({ retry: true });
    expect(classifyTencentCloudError(vendor("RequestLimitExceeded"), 2)).toEqual({
      retry: true,
      noEffect: true,
      delayMs: 2000,
    });
    expect(
      classifyTencentCloudError(vendor("RequestLimitExceeded.UinLimitExceeded"), 1, { rateLimitDelayMs: 50 }),
    ).toEqual({ retry: true, noEffect: true, delayMs: 50 });
    for (const c of [
      "AuthFailure.SignatureFailure",
      "AuthFailure.SignatureExpire",
      "InvalidParameter",
      "InvalidParameterValue.RoomId",
      "FailedOperation.RoomNotExist",
      "InternalErrorX",
    ]) {
      expect([c, classifyTencentCloudError(vendor(c), 1).retry]).toEqual([c, false]);
    }
    expect(classifyTencentCloudError(new ImAuthError("ERR_INVALID_INPUT", "x"), 1).retry).toBe(false);
  });

  it("treats Describe* and removals as idempotent, creations not", () => {
    expect(TENCENT_CLOUD_IDEMPOTENT_ACTIONS.has("DismissRoom")).toBe(true);
    expect(TENCENT_CLOUD_IDEMPOTENT_ACTIONS.has("CreateCloudRecording")).toBe(false);
    expect(TENCENT_CLOUD_IDEMPOTENT_ACTIONS.has("StartMCUMixTranscode")).toBe(false);
  });
});

describe("tencentCloudEndpoints and the client's options", () => {
  it("names the global and nearest-region domains", () => {
    expect(tencentCloudEndpoints("trtc")).toEqual(["https://trtc.tencentcloudapi.com/"]);
    expect(tencentCloudEndpoints("trtc", "ap-singapore")).toEqual([
      "https://trtc.ap-singapore.tencentcloudapi.com/",
      "https://trtc.tencentcloudapi.com/",
    ]);
    expect(TENCENT_CLOUD_REGIONS).toContain("ap-guangzhou");
    expect(code(() => tencentCloudEndpoints("trtc", "evil.com/"))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => tencentCloudEndpoints("a.b"))).toBe("ERR_INVALID_CONFIG");
  });

  it("starts at the global domain, or the region's with endpoint nearest", () => {
    const signer = createTencentCloudSigner({
      secretId: "AKIDx",
      secretKey: "k",
      service: "trtc",
      region: "ap-seoul",
    });
    expect(createTencentCloudClient({ signer }).baseUrl).toBe("https://trtc.tencentcloudapi.com/");
    expect(createTencentCloudClient({ signer, endpoint: "nearest" }).baseUrl).toBe(
      "https://trtc.ap-seoul.tencentcloudapi.com/",
    );
    expect(createTencentCloudClient({ signer, baseUrl: "http://127.0.0.1:9/" }).baseUrl).toBe(
      "http://127.0.0.1:9/",
    );
  });

  it("refuses bad options with ERR_INVALID_CONFIG", () => {
    const signer = createTencentCloudSigner({ secretId: "AKIDx", secretKey: "k", service: "trtc" });
    expect(code(() => createTencentCloudClient({ signer: {} as never }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudClient(undefined as never))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudClient({ signer, endpoint: "nearest" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudClient({ signer, endpoint: "global", baseUrl: "https://a/" }))).toBe(
      "ERR_INVALID_CONFIG",
    );
    expect(code(() => createTencentCloudClient({ signer, baseUrl: [] }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createTencentCloudClient({ signer, method: "PUT" as never }))).toBe(
      "ERR_INVALID_CONFIG",
    );
  });

  it("refuses bad calls with ERR_INVALID_INPUT before sending", async () => {
    const signer = createTencentCloudSigner({ secretId: "AKIDx", secretKey: "k", service: "trtc" });
    let sent = 0;
    const client = createTencentCloudClient({
      signer,
      fetch: (async () => {
        sent++;
        return new Response("{}");
      }) as unknown as typeof fetch,
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const [action, params] of [
      ["Dismiss Room", {}],
      ["../x", {}],
      ["DismissRoom", [1]],
      ["DismissRoom", { RoomId: 1n }],
      ["DismissRoom", { UserId: "a\uD800" }],
      ["DismissRoom", cyclic],
    ] as const) {
      await expect(client.call(action, params as object)).rejects.toMatchObject({
        code: "ERR_INVALID_INPUT",
      });
    }
    expect(sent).toBe(0);
  });
});
