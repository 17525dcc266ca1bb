import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { randomHex, readCapped, readClock, redactable, utf8Decode } from "@imauth/core/adapter";
import { createFailureQueue, type ImEmulatorCall } from "@imauth/core/testing";
import { assertSecretId, assertService, revealSecret } from "../../cloud/tc3.js";
import { authenticateCloudRequest, CloudApiError, type CloudAuthContext } from "./auth.js";
import {
  CLOUD_HANDLERS,
  type CloudState,
  roomKey,
  type TencentCloudEmulatorRoom,
  type TencentCloudEmulatorTask,
} from "./rooms.js";

/**
 * Options of {@link createTencentCloudEmulator}.
 *
 * @example
 * ```ts
 * const options: TencentCloudEmulatorOptions = { secretId: "AKIDtest", secretKey: "test-key", clock: () => 0 };
 * ```
 */
export interface TencentCloudEmulatorOptions {
  /** The SecretId the emulated account has. */
  secretId: string;
  /** Its SecretKey. */
  secretKey: string | Secret;
  /** The token of temporary credentials: when given, every call must carry it in `X-TC-Token`. */
  sessionToken?: string | Secret;
  /** The only SDKAppID the key may operate; other ones get `UnauthorizedOperation.SdkAppId`. Default any. */
  sdkAppId?: number;
  /** Source of the current time (epoch ms), for the timestamp window and room times. Default `Date.now`. */
  clock?: Clock;
}

/**
 * One call the emulator answered: core's `ImEmulatorCall` from `@imauth/core/testing` (`path` is the URL
 * path, `vendorCode` 0 on success and -1 on an error answer) with the action and Tencent's `Error.Code`.
 *
 * @example
 * ```ts
 * emulator.calls.filter((c: TencentCloudEmulatorCall) => c.errorCode?.startsWith("AuthFailure"));
 * ```
 */
export interface TencentCloudEmulatorCall extends ImEmulatorCall {
  /** `X-TC-Action`. */
  action: string;
  /** `Error.Code` of an error answer. */
  errorCode?: string;
}

/**
 * A failure the emulator plays instead of answering: an error code (HTTP 200 with that `Error.Code`, as
 * Tencent answers), an HTTP status alone (a gateway's non-JSON answer), or a dropped connection.
 *
 * @example
 * ```ts
 * emulator.failNext(2, { errorCode: "RequestLimitExceeded" });
 * ```
 */
export interface TencentCloudEmulatorFailure {
  /** Answer with this `Error.Code`. */
  errorCode?: string;
  /** `Error.Message`. Default `"emulated failure"`. */
  message?: string;
  /** Answer with this HTTP status (with `errorCode`: the envelope's status). */
  status?: number;
  /** Drop the connection: the emulator's `fetch` rejects. */
  disconnect?: boolean;
}

/**
 * An in-memory stand-in for TRTC's server API (Tencent Cloud API 3.0), made by
 * {@link createTencentCloudEmulator}, in the shape of core's `ImEmulator` (`fetch`, `calls`, `failNext`,
 * `revokeCredentials`, `reset`; TRTC callbacks are not part of it).
 *
 * @example
 * ```ts
 * const trtc = createTencentCloudClient({ signer, baseUrl: "https://trtc.tencentcloudapi.com/", fetch: emulator.fetch });
 * emulator.enterRoom({ sdkAppId: 1400000001, roomId: 1234, userId: "alice" });
 * await trtc.call("DismissRoom", { SdkAppId: 1400000001, RoomId: 1234 });
 * ```
 */
export interface TencentCloudEmulator {
  /** Answers like `https://<service>.tencentcloudapi.com/`; typed as the global `fetch`. */
  readonly fetch: typeof fetch;
  /** Every call answered, in order. */
  readonly calls: readonly TencentCloudEmulatorCall[];
  /** The rooms entered so far. */
  readonly rooms: readonly TencentCloudEmulatorRoom[];
  /** Mixing jobs and recording tasks started so far. */
  readonly tasks: readonly TencentCloudEmulatorTask[];
  /** Puts a user in a room (as a client entering it would), creating the room if needed. */
  enterRoom(entry: { sdkAppId: number; roomId: number | string; userId: string }): void;
  /** Plays `failure` (default `InternalError`) for the next `count` calls. */
  failNext(count: number, failure?: TencentCloudEmulatorFailure): void;
  /** Revokes the key (deleted in the console): every later call gets `AuthFailure.SecretIdNotFound`. */
  revokeCredentials(): void;
  /** Forgets rooms, tasks, queued failures, recorded calls and a revocation. */
  reset(): void;
}

type Played =
  | { kind: "disconnect" }
  | { kind: "status"; status: number }
  | { kind: "error"; status: number; errorCode: string; message: string };

function toPlayed(failure: TencentCloudEmulatorFailure): Played {
  if (typeof failure !== "object" || failure === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure must be an object");
  }
  const { errorCode, status, disconnect, message = "emulated failure" } = failure;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure status must be an HTTP status from 100 to 599");
  }
  if (
    errorCode !== undefined &&
    (typeof errorCode !== "string" || !/^[A-Za-z][\w.]{0,127}$/.test(errorCode))
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure errorCode must be a code such as InternalError");
  }
  if (typeof message !== "string")
    throw new ImAuthError("ERR_INVALID_INPUT", "failure message must be a string");
  if (disconnect) return { kind: "disconnect" };
  if (errorCode !== undefined) return { kind: "error", status: status ?? 200, errorCode, message };
  if (status !== undefined) return { kind: "status", status };
  throw new ImAuthError("ERR_INVALID_INPUT", "failure needs errorCode, status or disconnect");
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const VERSION = "2019-07-22";

function readOptions(
  options: TencentCloudEmulatorOptions,
): CloudAuthContext & { sdkAppId?: number; clock?: Clock } {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createTencentCloudEmulator needs an options object");
  }
  assertSecretId(options.secretId);
  const { sdkAppId, clock } = options;
  if (sdkAppId !== undefined && (!Number.isInteger(sdkAppId) || sdkAppId < 1 || sdkAppId > 0xffff_ffff)) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "sdkAppId must be an integer from 1 to 4294967295");
  }
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function returning epoch milliseconds");
  }
  const service = "trtc";
  assertService(service);
  return {
    secretId: options.secretId,
    secretKey: revealSecret(options.secretKey, "secretKey"),
    sessionToken:
      options.sessionToken === undefined ? undefined : revealSecret(options.sessionToken, "sessionToken"),
    service,
    maxSkewSeconds: 300,
    revoked: false,
    ...(sdkAppId === undefined ? {} : { sdkAppId }),
    ...(clock === undefined ? {} : { clock }),
  };
}

/**
 * Creates an emulator of TRTC's server API (`trtc.tencentcloudapi.com`, version `2019-07-22`) for offline
 * tests. It checks every call as Tencent Cloud does: the TC3-HMAC-SHA256 signature recomputed over what it
 * received (`AuthFailure.SignatureFailure` for a wrong key or a changed body, query or header),
 * `AuthFailure.SignatureExpire` for an `X-TC-Timestamp` more than 5 minutes off, `AuthFailure.SecretIdNotFound`,
 * `AuthFailure.InvalidAuthorization`, `AuthFailure.TokenFailure` (temporary credentials), `InvalidAction`,
 * `NoSuchVersion`; and implements `DismissRoom`, `DismissRoomByStrRoomId`, `RemoveUser`,
 * `RemoveUserByStrRoomId`, `StartMCUMixTranscode`, `CreateCloudRecording` and `DescribeRoomInfo` on rooms
 * entered with `enterRoom`, with TRTC's error codes (`FailedOperation.RoomNotExist`, `MissingParameter.*`,
 * `InvalidParameter.*`, `UnauthorizedOperation.SdkAppId`). Any host is accepted; the signature covers it.
 *
 * @example
 * ```ts
 * import { createTencentCloudClient, createTencentCloudSigner } from "@imauth/tencent/cloud";
 * import { createTencentCloudEmulator } from "@imauth/tencent/testing";
 *
 * const emulator = createTencentCloudEmulator({ secretId: "AKIDtest", secretKey: "test-key" });
 * const signer = createTencentCloudSigner({ secretId: "AKIDtest", secretKey: "test-key", service: "trtc", version: "2019-07-22" });
 * const trtc = createTencentCloudClient({ signer, fetch: emulator.fetch });
 * emulator.enterRoom({ sdkAppId: 1400000001, roomId: 1234, userId: "alice" });
 * await trtc.call("RemoveUser", { SdkAppId: 1400000001, RoomId: 1234, UserIds: ["alice"] });
 * ```
 */
export function createTencentCloudEmulator(options: TencentCloudEmulatorOptions): TencentCloudEmulator {
  const config = readOptions(options);
  const state: CloudState = {
    sdkAppId: config.sdkAppId,
    rooms: new Map(),
    tasks: [],
    nowSeconds: () => Math.floor(readClock(config.clock) / 1000),
  };
  const calls: TencentCloudEmulatorCall[] = [];
  const failures = createFailureQueue(toPlayed);
  const emulator: TencentCloudEmulator = {
    fetch: createRouter(state, config, failures.next, calls),
    calls,
    get rooms() {
      return [...state.rooms.values()];
    },
    tasks: state.tasks,
    enterRoom({ sdkAppId, roomId, userId }) {
      const validRoom =
        (typeof roomId === "number" && Number.isInteger(roomId) && roomId > 0) ||
        (typeof roomId === "string" && roomId.length > 0 && roomId.length <= 64);
      if (!Number.isInteger(sdkAppId) || !validRoom || typeof userId !== "string" || userId === "") {
        throw new ImAuthError(
          "ERR_INVALID_INPUT",
          "enterRoom needs an integer sdkAppId, a roomId and a userId",
        );
      }
      const key = roomKey(sdkAppId, roomId);
      let room = state.rooms.get(key);
      if (room === undefined || room.dismissedAtSeconds !== undefined) {
        room = { sdkAppId, roomId, users: [], creator: userId, createdAtSeconds: state.nowSeconds() };
        state.rooms.set(key, room);
      }
      if (!room.users.includes(userId)) room.users.push(userId);
    },
    failNext: (count, failure = { errorCode: "InternalError" }) => failures.push(count, failure),
    revokeCredentials() {
      config.revoked = true;
    },
    reset() {
      calls.length = 0;
      state.rooms.clear();
      state.tasks.length = 0;
      failures.clear();
      config.revoked = false;
    },
  };
  return redactable(emulator, "TencentCloudEmulator");
}

/** The emulator's `fetch`: records each call, plays a queued failure, or authenticates and routes it. */
function createRouter(
  state: CloudState,
  auth: CloudAuthContext,
  nextFailure: () => Played | undefined,
  calls: TencentCloudEmulatorCall[],
): typeof fetch {
  async function route(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const action = request.headers.get("x-tc-action") ?? "";
    const record = (status: number, errorCode?: string) =>
      calls.push({
        method: request.method,
        path: url.pathname,
        action,
        status,
        vendorCode: errorCode === undefined ? 0 : -1,
        ...(errorCode === undefined ? {} : { errorCode }),
      });
    const failure = nextFailure();
    if (failure?.kind === "disconnect") {
      record(0);
      throw new TypeError("emulated network failure");
    }
    if (failure?.kind === "status") {
      record(failure.status);
      return new Response("emulated gateway error", {
        status: failure.status,
        headers: { "content-type": "text/plain" },
      });
    }
    if (failure?.kind === "error") {
      record(failure.status, failure.errorCode);
      return answer(failure.status, { Error: { Code: failure.errorCode, Message: failure.message } });
    }
    try {
      const result = await handle(request, url, action, state, auth);
      record(200);
      return answer(200, result);
    } catch (error) {
      if (!(error instanceof CloudApiError)) throw error;
      record(200, error.errorCode);
      return answer(200, { Error: { Code: error.errorCode, Message: error.message } });
    }
  }
  return route as typeof fetch;
}

async function handle(
  request: Request,
  url: URL,
  action: string,
  state: CloudState,
  auth: CloudAuthContext,
): Promise<Record<string, unknown>> {
  if (request.method !== "POST" && request.method !== "GET") {
    throw new CloudApiError("UnsupportedProtocol", "Only POST and GET are supported.");
  }
  const body = await readCapped(
    request.body,
    MAX_BODY_BYTES,
    () => new ImAuthError("ERR_INVALID_INPUT", "too large"),
  ).catch(() => {
    throw new CloudApiError("RequestSizeLimitExceeded", "The request body is larger than 10 MB.");
  });
  authenticateCloudRequest(request, url, body, auth, state.nowSeconds());
  if (action === "") throw new CloudApiError("MissingParameter", "The request is missing X-TC-Action.");
  const version = request.headers.get("x-tc-version");
  if (version === null) throw new CloudApiError("MissingParameter", "The request is missing X-TC-Version.");
  if (version !== VERSION) throw new CloudApiError("NoSuchVersion", "The API version does not exist.");
  const handler = CLOUD_HANDLERS.get(action);
  if (handler === undefined) throw new CloudApiError("InvalidAction", "The action does not exist.");
  return handler(state, request.method === "GET" ? paramsOfQuery(url) : paramsOfBody(body));
}

function paramsOfBody(body: Uint8Array): Record<string, unknown> {
  let params: unknown;
  try {
    params = JSON.parse(utf8Decode(body));
  } catch {
    throw new CloudApiError("InvalidParameter.BodyParamsError", "The request body is not valid JSON.");
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new CloudApiError("InvalidParameter.BodyParamsError", "The request body must be a JSON object.");
  }
  return params as Record<string, unknown>;
}

/** Rebuilds parameters from a GET query (`UserIds.0=a`), numbers where the text is an integer. */
function paramsOfQuery(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of url.searchParams) {
    const path = name.split(".");
    if (path.length > 16 || path.some((p) => p === "" || p === "__proto__")) {
      throw new CloudApiError("InvalidParameter.UrlParamsError", "A query parameter name is not valid.");
    }
    let node = out;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      if (typeof node[key] !== "object" || node[key] === null)
        node[key] = /^\d+$/.test(path[i + 1]!) ? [] : {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1)!] = /^-?\d{1,15}$/.test(text) ? Number(text) : text;
  }
  return out;
}

function answer(status: number, response: Record<string, unknown>): Response {
  const requestId = `${randomHex(4)}-${randomHex(2)}-${randomHex(2)}-${randomHex(2)}-${randomHex(6)}`;
  return new Response(JSON.stringify({ Response: { ...response, RequestId: requestId } }), {
    status,
    headers: { "content-type": "application/json" },
  });
}
