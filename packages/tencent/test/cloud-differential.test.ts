// Differential test: the official Node SDK (tencentcloud-sdk-nodejs-common, CommonClient.request, the path
// every generated product client takes) and this package's client + signer build the same HTTP request
// for the same call, byte for byte: URL, body, Content-Type, X-TC-* headers and Authorization. The SDK's
// transport (node-fetch) is replaced in the require cache by a recorder, so nothing leaves the process,
// and its clock (`new Date()`) is faked; ours is injected.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTencentCloudClient } from "../src/cloud/client.js";
import { createTencentCloudSigner } from "../src/cloud/signer.js";

interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const require = createRequire(import.meta.url);
const sdkMain = require.resolve("tencentcloud-sdk-nodejs-common");
const fetchModule = `${dirname(sdkMain)}/common/http/fetch.js`;
const nodeFetchPath = require.resolve("node-fetch", { paths: [dirname(fetchModule)] });
let recorded: Recorded | undefined;
const recorder = async (
  url: string,
  config: { method: string; headers: Record<string, unknown>; body?: string },
) => {
  recorded = {
    url,
    method: config.method,
    headers: Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    body: config.body,
  };
  return new Response(JSON.stringify({ Response: { RequestId: "sdk" } }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
};
require.cache[nodeFetchPath] = {
  id: nodeFetchPath,
  filename: nodeFetchPath,
  loaded: true,
  exports: recorder,
} as never;
const { CommonClient } = require("tencentcloud-sdk-nodejs-common") as {
  CommonClient: new (
    endpoint: string,
    version: string,
    options: Record<string, unknown>,
  ) => { request(action: string, params: object): Promise<unknown> };
};

const ACTIONS = [
  "DismissRoom",
  "RemoveUser",
  "DismissRoomByStrRoomId",
  "RemoveUserByStrRoomId",
  "StartMCUMixTranscode",
  "CreateCloudRecording",
  "DescribeRoomInfo",
];
const REGIONS = ["ap-guangzhou", "ap-singapore", "ap-beijing", "na-siliconvalley", "eu-frankfurt"];

// Strings that exercise the SDK's serialiser: JSON escapes, characters json-bigint escapes and
// JSON.stringify does not, query escapes, and any code point.
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "张三",
    "emoji😀",
    "a b&c=d+e%",
    "'!()*~",
    "\u2028\u2029",
    "\u00ad\u007f\u0085",
    "\ufeff",
    '"\\/\n\t',
  ),
);
const leaf = fc.oneof(
  text,
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,11}$/),
  text.filter((k) => k !== "__proto__"),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("node"), { maxKeys: 4 }),
})).node;

const request = fc.record({
  secretId: fc.stringMatching(/^AKID[A-Za-z0-9]{8,32}$/),
  secretKey: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9]{16,40}$/),
    fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
  ),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), { nil: undefined }),
  region: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
  action: fc.constantFrom(...ACTIONS),
  method: fc.constantFrom("POST" as const, "GET" as const),
  // 2000-01-01 to 2099-12-31, any millisecond.
  clockMs: fc.integer({ min: 946_684_800_000, max: 4_102_444_799_999 }),
  params: fc.record(
    {
      SdkAppId: fc.integer({ min: 1, max: 0xffff_ffff }),
      RoomId: fc.oneof(fc.integer({ min: 1, max: 4_294_967_294 }), text),
      More: fc.dictionary(key, value, { maxKeys: 5 }),
    },
    { requiredKeys: ["SdkAppId"] },
  ),
});

type Call = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function viaSdk(r: Call): Promise<Recorded> {
  vi.setSystemTime(r.clockMs);
  recorded = undefined;
  const client = new CommonClient("trtc.tencentcloudapi.com", "2019-07-22", {
    credential: {
      secretId: r.secretId,
      secretKey: r.secretKey,
      ...(r.sessionToken ? { token: r.sessionToken } : {}),
    },
    ...(r.region ? { region: r.region } : {}),
    profile: { httpProfile: { reqMethod: r.method, headers: { "X-TC-TraceId": "fixed" } } },
  });
  await client.request(r.action, r.params);
  if (recorded === undefined) throw new Error("the SDK sent nothing");
  return recorded;
}

async function viaImauth(r: Call): Promise<{ request: Request; body: string }> {
  let sent: { request: Request; body: string } | undefined;
  const signer = createTencentCloudSigner({
    secretId: r.secretId,
    secretKey: r.secretKey,
    ...(r.sessionToken ? { sessionToken: r.sessionToken } : {}),
    service: "trtc",
    ...(r.region ? { region: r.region } : {}),
    version: "2019-07-22",
    clock: () => r.clockMs,
  });
  const client = createTencentCloudClient({
    signer,
    method: r.method,
    retryLimit: 0,
    fetch: (async (input: Request) => {
      sent = { request: input, body: await input.text() };
      return new Response(JSON.stringify({ Response: { RequestId: "ours" } }), { status: 200 });
    }) as typeof fetch,
  });
  await client.call(r.action, r.params);
  if (sent === undefined) throw new Error("the client sent nothing");
  return sent;
}

const COMPARED = [
  "authorization",
  "content-type",
  "x-tc-action",
  "x-tc-region",
  "x-tc-timestamp",
  "x-tc-token",
  "x-tc-version",
];

describe("TC3 signing against the official SDK (tencentcloud-sdk-nodejs-common@4.1.220)", () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("builds the same request as CommonClient.request for 300 random calls", async () => {
    let gets = 0;
    let tokens = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const sdk = await viaSdk(r);
        const { request: ours, body } = await viaImauth(r);
        const oursUrl = new URL(ours.url);
        const sdkUrl = new URL(sdk.url);
        expect(oursUrl.origin + oursUrl.pathname).toBe(sdkUrl.origin + sdkUrl.pathname);
        expect(oursUrl.search.replace(/^\?$/, "")).toBe(sdkUrl.search.replace(/^\?$/, ""));
        expect(ours.method).toBe(sdk.method);
        for (const name of COMPARED)
          expect([name, ours.headers.get(name)]).toEqual([name, sdk.headers[name] ?? null]);
        if (r.method === "POST") expect(body).toBe(sdk.body);
        if (r.method === "GET") gets++;
        if (r.sessionToken) tokens++;
      }),
      { numRuns: 300, seed: 20261201, endOnFailure: true },
    );
    // The generator reached both methods and temporary credentials.
    expect(gets).toBeGreaterThan(50);
    expect(tokens).toBeGreaterThan(50);
  });

  it("signs the SDK's bytes for bodies json-bigint escapes differently from JSON.stringify", async () => {
    const r = {
      secretId: "AKIDdiff0000",
      secretKey: "diffKey",
      sessionToken: undefined,
      region: "ap-guangzhou",
      action: "RemoveUser",
      method: "POST" as const,
      clockMs: 1_735_689_600_000,
      params: { SdkAppId: 1400000001, RoomId: 1, More: { Text: "a\u2028b\u00adc\ufeff", Gone: null } },
    };
    const sdk = await viaSdk(r);
    const { request: ours, body } = await viaImauth(r);
    expect(sdk.body).toContain("\\u2028");
    expect(sdk.body).not.toContain("Gone");
    expect(body).toBe(sdk.body);
    expect(ours.headers.get("authorization")).toBe(sdk.headers.authorization);
  });
});
