/**
 * An in-memory emulator of NetEase's server API and callbacks (`@imauth/netease/testing`), for tests.
 *
 * @example
 * ```ts
 * import { createNeteaseEmulator } from "@imauth/netease/testing";
 * const emulator = createNeteaseEmulator({ appKey, appSecret });
 * const client = createNeteaseImClient(provider, { baseUrl: "http://nim.test/nimserver/", fetch: emulator.fetch });
 * ```
 *
 * @packageDocumentation
 */
import { type Clock, ImAuthError, type RawWebhook, randomHex, readClock } from "@imauth/core";
import { checkSum, MAX_NONCE_LENGTH } from "../checksum.js";
import { bodyMd5, callbackCheckSum } from "../webhook.js";

/**
 * Options of {@link createNeteaseEmulator}.
 *
 * @example
 * ```ts
 * const options: NeteaseEmulatorOptions = { appKey, appSecret, rejectReplayedNonce: true };
 * const emulator = createNeteaseEmulator(options);
 * ```
 */
export interface NeteaseEmulatorOptions {
  /** The AppKey requests must carry. */
  appKey: string;
  /** The AppSecret CheckSums are made with. */
  appSecret: string;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** How far `CurTime` may be from the clock, in milliseconds. Default 5 minutes, as NetEase. */
  maxSkewMs?: number;
  /** Answer 414 to a request whose Nonce was seen before (stricter than NetEase documents). Default false. */
  rejectReplayedNonce?: boolean;
}

/**
 * One request the emulator received.
 *
 * @example
 * ```ts
 * const nonces = emulator.requests.map((call: EmulatedCall) => call.nonce);
 * ```
 */
export interface EmulatedCall {
  /** HTTP method. */
  method: string;
  /** Path below `/nimserver/`, e.g. `user/create.action`. */
  path: string;
  /** The `Nonce` header, if any. */
  nonce: string | null;
  /** The `CurTime` header, if any. */
  curTime: string | null;
  /** The `CheckSum` header, if any. */
  checkSum: string | null;
  /** The `code` the emulator answered. */
  code: number;
  /** The HTTP status the emulator answered. */
  status: number;
}

/**
 * An account of the emulator's store.
 *
 * @example
 * ```ts
 * const account: EmulatedAccount | undefined = emulator.accounts.get("user01");
 * ```
 */
export interface EmulatedAccount {
  /** Its static login token. */
  token: string;
  /** Its display name, if set. */
  name?: string;
}

/**
 * Options of {@link NeteaseEmulator.signCallback}.
 *
 * @example
 * ```ts
 * const options: SignCallbackOptions = { lowerCaseHeaders: true, nowMs: Date.now() - 1000 };
 * const raw = emulator.signCallback("{}", options);
 * ```
 */
export interface SignCallbackOptions {
  /** Signing time (epoch ms). Default: the emulator's clock. */
  nowMs?: number;
  /** The URL the callback is for. Default `/netease/callback`. */
  url?: string;
  /** Sign with another secret (to test rejection). */
  appSecret?: string;
  /** Send header names in lower case, as some proxies deliver them. */
  lowerCaseHeaders?: boolean;
}

/**
 * NetEase's server API in memory: a fetch handler plus controls and a record of what it saw.
 *
 * @example
 * ```ts
 * const emulator: NeteaseEmulator = createNeteaseEmulator({ appKey, appSecret });
 * emulator.failNext(2, { code: 503 });
 * ```
 */
export interface NeteaseEmulator {
  /** A `fetch`-compatible handler: authenticates like NetEase, then answers v1 and v2 account calls. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Checks a request's CheckSum headers like NetEase; throws `ImAuthError` `ERR_SIGNATURE_INVALID`. */
  verifyRequest(request: Request): Promise<void>;
  /** The next `count` authenticated calls fail with `code` (500, 503 or 514; default 503). */
  failNext(count: number, options?: { code?: 500 | 503 | 514; httpStatus?: number }): void;
  /** The next `count` authenticated calls are rate limited (code 416). */
  rateLimitNext(count: number): void;
  /** How many requests arrived. */
  readonly calls: number;
  /** Every request, in order. */
  readonly requests: readonly EmulatedCall[];
  /** The accounts, by accid. */
  readonly accounts: ReadonlyMap<string, EmulatedAccount>;
  /** Whether `token` is the current static token of `accid` (what NetEase checks at login). */
  acceptsLogin(accid: string, token: string): boolean;
  /** Signs a callback body the way NetEase signs callbacks (MD5, CurTime in ms, CheckSum). */
  signCallback(body: string | Uint8Array, options?: SignCallbackOptions): RawWebhook;
  /** Signs and POSTs a callback to the app's `url`; resolves with the app's answer. */
  sendCallback(
    url: string,
    body: string | Uint8Array,
    options?: SignCallbackOptions & { fetch?: typeof fetch },
  ): Promise<Response>;
  /** Forgets accounts, queued failures and recorded calls. */
  reset(): void;
}

const ACCID = /^[A-Za-z0-9_@.-]{1,32}$/;

class Reject extends Error {
  constructor(
    readonly code: number,
    readonly desc: string,
    readonly status = 200,
  ) {
    super(desc);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}

/**
 * Creates an emulator of NetEase's server API: requests must carry `AppKey`, `Nonce` (at most 128
 * characters), `CurTime` (seconds, within 5 minutes) and a matching `CheckSum`, else code 414 (403 for
 * another AppKey). It answers v1 (`user/create.action`, `user/refreshToken.action`, `user/update.action`,
 * form bodies, `{code, info|desc}`) and v2 (`im/v2/accounts`, `.../actions/refresh_token`, JSON,
 * `{code, msg, data}`) account calls from an in-memory store, can fail transiently or rate-limit on
 * demand, and signs callbacks.
 *
 * @example
 * ```ts
 * import { createNeteaseEmulator } from "@imauth/netease/testing";
 * import { createNeteaseImClient } from "@imauth/netease/client";
 *
 * const emulator = createNeteaseEmulator({ appKey, appSecret, clock: () => 1_700_000_000_000 });
 * const client = createNeteaseImClient(provider, { baseUrl: "http://nim.test/nimserver/", fetch: emulator.fetch });
 * emulator.failNext(1, { code: 503 });
 * const { token } = await client.createAccount("user01"); // retried once, then created
 * emulator.acceptsLogin("user01", token); // true
 * ```
 */
export function createNeteaseEmulator(options: NeteaseEmulatorOptions): NeteaseEmulator {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createNeteaseEmulator options must be an object");
  }
  const { appKey, appSecret, clock, maxSkewMs = 5 * 60 * 1000, rejectReplayedNonce = false } = options;
  if (typeof appKey !== "string" || appKey === "" || typeof appSecret !== "string" || appSecret === "") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createNeteaseEmulator needs appKey and appSecret strings");
  }
  const accounts = new Map<string, EmulatedAccount>();
  const requests: EmulatedCall[] = [];
  const seenNonces = new Set<string>();
  const queued: Array<{ code: number; status: number }> = [];

  function authenticate(headers: Headers): void {
    const key = headers.get("AppKey");
    const nonce = headers.get("Nonce");
    const curTime = headers.get("CurTime");
    const sum = headers.get("CheckSum");
    for (const [name, value] of [
      ["AppKey", key],
      ["Nonce", nonce],
      ["CurTime", curTime],
      ["CheckSum", sum],
    ] as const) {
      if (!value) throw new Reject(414, `bad http header: missing ${name}`);
    }
    if (key !== appKey) throw new Reject(403, "illegal AppKey");
    if (nonce!.length > MAX_NONCE_LENGTH) throw new Reject(414, "Nonce is longer than 128 characters");
    if (!/^\d{1,12}$/.test(curTime!)) throw new Reject(414, "CurTime is illegal");
    if (Math.abs(readClock(clock) - Number(curTime) * 1000) > maxSkewMs) {
      throw new Reject(414, "CurTime is illegal (more than 5 minutes away)");
    }
    if (checkSum(appSecret, nonce!, curTime!) !== sum!.toLowerCase()) throw new Reject(414, "checksum error");
    if (rejectReplayedNonce && seenNonces.has(nonce!)) throw new Reject(414, "Nonce replayed");
    seenNonces.add(nonce!);
  }

  function createToken(): string {
    return randomHex(16);
  }

  async function readForm(request: Request): Promise<URLSearchParams> {
    if (request.method !== "POST") throw new Reject(414, "v1 APIs take POST");
    const type = request.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      throw new Reject(414, "Content-Type must be application/x-www-form-urlencoded;charset=utf-8");
    }
    return new URLSearchParams(await request.text());
  }

  async function readJson(request: Request): Promise<Record<string, unknown>> {
    const text = await request.text();
    if (text === "") return {};
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      throw new Reject(414, "Content-Type must be application/json");
    }
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {}
    throw new Reject(414, "body is not a JSON object");
  }

  function accidFrom(value: unknown): string {
    if (typeof value !== "string" || !ACCID.test(value)) throw new Reject(414, "accid is illegal");
    return value;
  }

  function tokenParam(value: unknown): string | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string" || value.length > 128) throw new Reject(414, "token is illegal");
    return value;
  }

  async function v1(path: string, request: Request): Promise<Response> {
    const form = await readForm(request);
    switch (path) {
      case "user/create.action": {
        const accid = accidFrom(form.get("accid") ?? undefined);
        if (accounts.has(accid)) throw new Reject(414, "already register");
        const token = tokenParam(form.get("token") ?? undefined) ?? createToken();
        const name = form.get("name") ?? undefined;
        accounts.set(accid, name === undefined ? { token } : { token, name });
        return json(200, { code: 200, info: { token, accid, name: name ?? "" } });
      }
      case "user/refreshToken.action": {
        const accid = accidFrom(form.get("accid") ?? undefined);
        const account = accounts.get(accid);
        if (!account) throw new Reject(414, "not register");
        account.token = createToken();
        return json(200, { code: 200, info: { token: account.token, accid } });
      }
      case "user/update.action": {
        const accid = accidFrom(form.get("accid") ?? undefined);
        const account = accounts.get(accid);
        if (!account) throw new Reject(414, "not register");
        const token = tokenParam(form.get("token") ?? undefined);
        if (token !== undefined) account.token = token;
        return json(200, { code: 200 });
      }
      default:
        throw new Reject(404, "not found", 404);
    }
  }

  async function v2(path: string, request: Request): Promise<Response> {
    const ok = (data: unknown) => json(200, { code: 200, msg: "success", data });
    if (path === "im/v2/accounts" && request.method === "POST") {
      const body = await readJson(request);
      const accid = accidFrom(body.account_id);
      if (accounts.has(accid)) throw new Reject(414, "account already exists");
      const token = tokenParam(body.token) ?? createToken();
      const name = typeof body.name === "string" ? body.name : undefined;
      accounts.set(accid, name === undefined ? { token } : { token, name });
      return ok({ account_id: accid, token });
    }
    const refresh = /^im\/v2\/accounts\/([^/]+)\/actions\/refresh_token$/.exec(path);
    if (refresh && request.method === "PATCH") {
      await readJson(request);
      const accid = accidFrom(decodeURIComponent(refresh[1]!));
      const account = accounts.get(accid);
      if (!account) throw new Reject(404, "account not found");
      account.token = createToken();
      return ok({ account_id: accid, token: account.token });
    }
    const one = /^im\/v2\/accounts\/([^/]+)$/.exec(path);
    if (one && request.method === "GET") {
      const accid = accidFrom(decodeURIComponent(one[1]!));
      const account = accounts.get(accid);
      if (!account) throw new Reject(404, "account not found");
      return ok({ account_id: accid, ...(account.name === undefined ? {} : { name: account.name }) });
    }
    throw new Reject(404, "not found", 404);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/+/, "").replace(/^nimserver\//, "");
    const isV2 = path.startsWith("im/v2/");
    const call: EmulatedCall = {
      method: request.method,
      path,
      nonce: request.headers.get("Nonce"),
      curTime: request.headers.get("CurTime"),
      checkSum: request.headers.get("CheckSum"),
      code: 200,
      status: 200,
    };
    requests.push(call);
    let response: Response;
    try {
      authenticate(request.headers);
      const failure = queued.shift();
      if (failure)
        throw new Reject(
          failure.code,
          failure.code === 416 ? "api freq control" : "server busy",
          failure.status,
        );
      response = await (isV2 ? v2(path, request) : v1(path, request));
    } catch (error) {
      if (!(error instanceof Reject)) throw error;
      call.code = error.code;
      response = json(
        error.status,
        isV2 ? { code: error.code, msg: error.desc } : { code: error.code, desc: error.desc },
      );
    }
    call.status = response.status;
    return response;
  }

  function signCallback(body: string | Uint8Array, opts: SignCallbackOptions = {}): RawWebhook {
    const curTime = String(Math.floor(opts.nowMs ?? readClock(clock)));
    const md5 = bodyMd5(body);
    const headers: Record<string, string> = {
      AppKey: appKey,
      CurTime: curTime,
      MD5: md5,
      CheckSum: callbackCheckSum(opts.appSecret ?? appSecret, md5, curTime),
      "Content-Type": "application/json;charset=utf-8",
    };
    const finalHeaders = opts.lowerCaseHeaders
      ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
      : headers;
    return { url: opts.url ?? "/netease/callback", headers: finalHeaders, body };
  }

  function queue(count: number, code: number, status: number): void {
    if (!Number.isInteger(count) || count < 0 || count > 10_000) {
      throw new ImAuthError("ERR_INVALID_INPUT", "count must be an integer from 0 to 10000");
    }
    for (let i = 0; i < count; i++) queued.push({ code, status });
  }

  return {
    fetch: (input, init) =>
      handle(input instanceof Request && init === undefined ? input : new Request(input, init)),
    async verifyRequest(request) {
      try {
        authenticate(request.headers);
      } catch (error) {
        if (!(error instanceof Reject)) throw error;
        throw new ImAuthError("ERR_SIGNATURE_INVALID", `NetEase would answer ${error.code}: ${error.desc}`, {
          vendorCode: error.code,
          vendorMessage: error.desc,
        });
      }
    },
    failNext(count, opts = {}) {
      const code = opts.code ?? 503;
      if (![500, 503, 514].includes(code))
        throw new ImAuthError("ERR_INVALID_INPUT", "code must be 500, 503 or 514");
      queue(count, code, opts.httpStatus ?? 200);
    },
    rateLimitNext(count) {
      queue(count, 416, 200);
    },
    get calls() {
      return requests.length;
    },
    get requests() {
      return requests;
    },
    get accounts() {
      return accounts;
    },
    acceptsLogin(accid, token) {
      return accounts.get(accid)?.token === token;
    },
    signCallback,
    async sendCallback(url, body, opts = {}) {
      const signed = signCallback(body, { ...opts, url });
      const fetchImpl = opts.fetch ?? globalThis.fetch;
      return fetchImpl(url, {
        method: "POST",
        headers: signed.headers as Record<string, string>,
        body: signed.body as BodyInit,
      });
    },
    reset() {
      accounts.clear();
      requests.length = 0;
      seenNonces.clear();
      queued.length = 0;
    },
  };
}
