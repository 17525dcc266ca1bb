/**
 * One call an emulator answered, as recorded in {@link ImEmulator.calls}.
 *
 * @example
 * ```ts
 * const failed = emulator.calls.filter((call: ImEmulatorCall) => call.vendorCode !== 0);
 * ```
 */
export interface ImEmulatorCall {
  /** HTTP method. */
  method: string;
  /** The API path, relative to the vendor's base URL (e.g. `v4/openim/sendmsg`, `user/create.action`). */
  path: string;
  /** HTTP status answered; 0 for an emulated dropped connection. */
  status: number;
  /** The vendor's code in the answer (Tencent `ErrorCode`, NetEase `code`); -1 when there was none. */
  vendorCode: number;
}

/**
 * How {@link ImEmulator.failNext} fails the next calls: a vendor code (with the HTTP status the vendor uses
 * for it), an HTTP status, or a dropped connection.
 *
 * @example
 * ```ts
 * emulator.failNext(2, { vendorCode: 70500 });
 * emulator.failNext(1, { disconnect: true });
 * ```
 */
export interface ImEmulatorFailure {
  /** Answer with this vendor error code. */
  vendorCode?: number;
  /** Answer with this HTTP status. */
  status?: number;
  /** Drop the connection: the emulator's `fetch` rejects, as a network failure would. */
  disconnect?: boolean;
}

/**
 * What {@link ImEmulator.sendCallback} delivers a callback to: an absolute URL (POSTed with `fetch`) or a
 * handler called with the `Request`.
 *
 * @example
 * ```ts
 * const target: ImCallbackTarget = (request) => app.fetch(request);
 * ```
 */
export type ImCallbackTarget = string | ((request: Request) => Response | Promise<Response>);

/**
 * The app's answer to a callback sent by {@link ImEmulator.sendCallback}.
 *
 * @example
 * ```ts
 * const { ok, status, reply }: ImCallbackResult = await emulator.sendCallback(handler, callback);
 * ```
 */
export interface ImCallbackResult {
  /** Whether the app answered 2xx (and, where the vendor defines one, with a success reply). */
  ok: boolean;
  /** The HTTP status the app answered. */
  status: number;
  /** The answer's body, parsed as JSON when it is JSON, else the text. */
  reply: unknown;
}

/**
 * The shape every vendor emulator shares, so tests written against one read the same against the next: a
 * `fetch` to hand to the vendor's REST client, the calls it answered, failure injection, revocation of the
 * credentials issued so far, and signed callbacks (`Callback` is the vendor's callback description).
 *
 * @example
 * ```ts
 * const emulator: ImEmulator = createTencentEmulator({ sdkAppId, secretKey, clock });
 * const client = createTencentImClient(provider, { fetch: emulator.fetch });
 * emulator.failNext(1, { status: 503 });
 * ```
 */
export interface ImEmulator<Callback = never> {
  /** Answers like the vendor's server API; typed as the global `fetch`, so `{ fetch: emulator.fetch }` fits. */
  readonly fetch: typeof fetch;
  /** Every call answered, in order. */
  readonly calls: readonly ImEmulatorCall[];
  /** Fails the next `count` authenticated calls. */
  failNext(count: number, failure?: ImEmulatorFailure): void;
  /** Revokes every credential issued up to now: calls signed with one are refused with the vendor's code. */
  revokeCredentials(): void;
  /** A callback signed as the vendor signs them, as a `Request` with an absolute URL. */
  signCallback(callback: Callback): Request;
  /** Signs a callback and delivers it; resolves with the app's answer. */
  sendCallback(target: ImCallbackTarget, callback: Callback): Promise<ImCallbackResult>;
  /** Forgets state, queued failures and recorded calls. */
  reset(): void;
}
