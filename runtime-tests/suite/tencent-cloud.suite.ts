// @imauth/tencent/cloud: every runtime export of "./cloud" and the TRTC server API emulator of "./testing",
// against the built package, with the official TC3 vectors (documentation example and official SDK outputs).
import { ImAuthError, Secret } from "@imauth/core";
import {
  classifyTencentCloudError,
  createTencentCloudClient,
  createTencentCloudSigner,
  parseTencentCloudEnvelope,
  TC3_ALGORITHM,
  TENCENT_CLOUD_IDEMPOTENT_ACTIONS,
  TENCENT_CLOUD_REGIONS,
  tc3Sign,
  tencentCloudEndpoints,
} from "@imauth/tencent/cloud";
import { createTencentCloudEmulator } from "@imauth/tencent/testing";
import v from "../../vectors/tencent-cloud-api.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/tencent");
const sdkVector = v.vectors.find((x) => x.kind === "trtcSdkRequest" && x.sessionToken !== null)!;

test("tc3Sign reproduces the official TC3-HMAC-SHA256 vectors", () => {
  for (const x of v.vectors) {
    const signed = tc3Sign({
      secretId: x.secretId,
      secretKey: x.secretKey,
      service: x.service,
      host: x.host,
      method: x.method,
      path: x.canonicalUri,
      query: x.canonicalQueryString,
      contentType: x.contentType,
      body: x.body,
      timestampSeconds: x.timestamp,
    });
    equal([signed.canonicalRequest, signed.stringToSign], [x.canonicalRequest, x.stringToSign], x.id);
    equal(signed.authorization, x.authorization, `${x.id} authorization`);
    assert(!JSON.stringify(signed).includes(x.signature), "the signature is not serialised");
  }
  assert(v.vectors[0]!.authorization.startsWith(TC3_ALGORITHM), "algorithm name");
  throws(() => tc3Sign({ ...v.vectors[0]!, secretKey: "" } as never), "ERR_INVALID_CONFIG", "empty key");
});

test("createTencentCloudSigner sends what the official SDK sent (session token vector)", async () => {
  const x = sdkVector;
  const signer = createTencentCloudSigner({
    secretId: x.secretId,
    secretKey: new Secret(x.secretKey),
    sessionToken: new Secret(x.sessionToken!),
    service: x.service,
    region: x.region,
    version: x.version,
    clock: fixedClock(x.timestamp * 1000),
  });
  const signed = await signer.signRequest(
    new Request(`https://${x.host}/`, {
      method: "POST",
      headers: { "X-TC-Action": x.action, "Content-Type": x.contentType },
      body: x.body,
    }),
  );
  for (const name of [
    "Authorization",
    "X-TC-Timestamp",
    "X-TC-Region",
    "X-TC-Version",
    "X-TC-Token",
    "Content-Type",
  ]) {
    equal(signed.headers.get(name), (x.headers as Record<string, string>)[name], name);
  }
  equal(await signed.text(), x.body, "body preserved");
  assert(!JSON.stringify(signer).includes(x.secretKey), "no key in JSON");
  await rejects(
    () => signer.signRequest(new Request(`https://${x.host}/`)),
    "ERR_INVALID_INPUT",
    "no X-TC-Action",
  );
  throws(
    () => createTencentCloudSigner({ ...x, service: "TRTC" } as never),
    "ERR_INVALID_CONFIG",
    "bad service",
  );
});

test("the client calls the room APIs on the emulator; it refuses a wrong key and a stale timestamp", async () => {
  const now = 1_735_689_600_000;
  const keys = { secretId: "AKIDruntime0001", secretKey: "runtimeKey0001" };
  const emulator = createTencentCloudEmulator({ ...keys, sdkAppId: 1400000001, clock: fixedClock(now) });
  const client = (secretKey: string, clockMs: number) =>
    createTencentCloudClient({
      signer: createTencentCloudSigner({
        ...keys,
        secretKey,
        service: "trtc",
        version: "2019-07-22",
        clock: fixedClock(clockMs),
      }),
      baseUrl: "https://trtc.tencentcloudapi.com/",
      fetch: emulator.fetch,
      retryLimit: 0,
    });
  const trtc = client(keys.secretKey, now);
  emulator.enterRoom({ sdkAppId: 1400000001, roomId: 1234, userId: "张三" });
  await trtc.call("RemoveUser", { SdkAppId: 1400000001, RoomId: 1234, UserIds: ["张三"] });
  await trtc.call("DismissRoom", { SdkAppId: 1400000001, RoomId: 1234 });
  const listed = await trtc.call<{ Total: number }>("DescribeRoomInfo", {
    SdkAppId: 1400000001,
    StartTime: now / 1000 - 60,
    EndTime: now / 1000,
  });
  equal(listed.Total, 1, "DescribeRoomInfo");
  const gone = (await rejects(
    () => trtc.call("DismissRoom", { SdkAppId: 1400000001, RoomId: 1234 }),
    "ERR_VENDOR_API",
    "again",
  )) as ImAuthError;
  equal(gone.vendorCode, "FailedOperation.RoomNotExist", "room gone");
  const wrong = (await rejects(
    () => client("other", now).call("DescribeRoomInfo", {}),
    "ERR_VENDOR_API",
    "wrong key",
  )) as ImAuthError;
  equal(wrong.vendorCode, "AuthFailure.SignatureFailure", "wrong key code");
  const stale = (await rejects(
    () => client(keys.secretKey, now - 301_000).call("DescribeRoomInfo", {}),
    "ERR_VENDOR_API",
    "stale",
  )) as ImAuthError;
  equal(stale.vendorCode, "AuthFailure.SignatureExpire", "stale code");
  equal(emulator.calls.length, 6, "calls recorded");
});

test("envelope, retry policy, idempotent actions and endpoints", () => {
  equal(parseTencentCloudEnvelope(200, { Response: { RequestId: "r" } }), { RequestId: "r" }, "success");
  const error = throws(
    () =>
      parseTencentCloudEnvelope(200, {
        Response: { Error: { Code: "InternalError", Message: "m" }, RequestId: "r1" },
      }),
    "ERR_VENDOR_API",
    "error envelope",
  ) as ImAuthError;
  equal([error.vendorCode, error.message.includes("r1")], ["InternalError", true], "code and RequestId");
  equal(classifyTencentCloudError(error, 1), { retry: true }, "InternalError retried");
  const auth = new ImAuthError("ERR_VENDOR_API", "x", {
    vendorCode: "AuthFailure.SignatureFailure",
    status: 200,
  });
  equal(classifyTencentCloudError(auth, 1).retry, false, "AuthFailure never");
  assert(TENCENT_CLOUD_IDEMPOTENT_ACTIONS.has("RemoveUser"), "RemoveUser idempotent");
  assert(TENCENT_CLOUD_REGIONS.includes("ap-singapore"), "regions");
  equal(
    tencentCloudEndpoints("trtc", "ap-singapore"),
    ["https://trtc.ap-singapore.tencentcloudapi.com/", "https://trtc.tencentcloudapi.com/"],
    "endpoints",
  );
});
