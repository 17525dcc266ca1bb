import { assertOptionsObject } from "@imauth/core/adapter";
import { createNeteaseProvider, type NeteaseProvider, type NeteaseProviderOptions } from "../provider.js";
import { createNeteaseImClient, type NeteaseImClient, type NeteaseImClientOptions } from "./client.js";

// A provider in static credential mode needs a REST client to make its tokens, so it cannot live in
// provider.ts (which never loads an HTTP library, for the browser bundle) and has no room of its own in the
// mold: it is the client's way of being a token source, and ships in @imauth/netease/client with it.

/**
 * Options of {@link createNeteaseStaticProvider}: the provider's, minus `credentialMode`, plus the client's.
 *
 * @example
 * ```ts
 * const options: NeteaseStaticProviderOptions = { appKey, appSecret, region: "cn", retryLimit: 2 };
 * const provider = createNeteaseStaticProvider(options);
 * ```
 */
export interface NeteaseStaticProviderOptions
  extends Omit<NeteaseProviderOptions, "credentialMode" | "staticTokens">,
    Omit<NeteaseImClientOptions, "baseUrl"> {}

/**
 * A provider in `"static"` credential mode whose `issueCredential` creates the account (v1
 * `user/create.action`) or, when it exists, refreshes its token (`user/refreshToken.action`) through
 * {@link createNeteaseImClient}. Refreshing invalidates the account's previous token. Static tokens do not
 * expire; `expiresAt` is `issuedAt + ttlSeconds` as a hint of when to ask again. The client is exposed as
 * `provider.client` for other calls.
 *
 * @example
 * ```ts
 * import { createNeteaseStaticProvider } from "@imauth/netease/client";
 *
 * const provider = createNeteaseStaticProvider({ appKey, appSecret, region: "cn" });
 * const { token } = await provider.issueCredential("user01"); // one API call
 * await provider.client.callV1("user/block.action", { accid: "spammer" });
 * ```
 */
export function createNeteaseStaticProvider(
  options: NeteaseStaticProviderOptions,
): NeteaseProvider & { readonly client: NeteaseImClient } {
  assertOptionsObject(options, "createNeteaseStaticProvider options", "ERR_INVALID_CONFIG");
  const { clientOptions, providerOptions } = splitOptions(options);
  let client: NeteaseImClient | undefined;
  const provider = createNeteaseProvider({
    ...providerOptions,
    credentialMode: "static",
    staticTokens: { issueToken: (accid) => client!.issueStaticToken(accid) },
  });
  client = createNeteaseImClient(provider, clientOptions);
  Object.defineProperty(provider, "client", { value: client, enumerable: false });
  return provider as NeteaseProvider & { readonly client: NeteaseImClient };
}

/** The options that belong to the REST client; the rest configure the provider. */
const CLIENT_OPTION_KEYS = [
  "timeoutMs",
  "maxResponseBytes",
  "retryLimit",
  "backoffMs",
  "maxBackoffMs",
  "onRetry",
  "fetch",
  "sleep",
  "random",
] as const;

function splitOptions(options: NeteaseStaticProviderOptions) {
  const providerOptions: Record<string, unknown> = { ...options };
  const clientOptions: Record<string, unknown> = {};
  for (const key of CLIENT_OPTION_KEYS) {
    if (options[key] !== undefined) clientOptions[key] = options[key];
    delete providerOptions[key];
  }
  return {
    clientOptions: clientOptions as NeteaseImClientOptions,
    providerOptions: providerOptions as Omit<
      NeteaseStaticProviderOptions,
      (typeof CLIENT_OPTION_KEYS)[number]
    >,
  };
}
