// The only vendor-specific code of the app: which provider and REST client it is built with.
// Everything in app.ts works unchanged for every one of them.
import { agoraCallbackResponse, createAgoraProvider } from "@imauth/agora";
import { createAgoraChatClient } from "@imauth/agora/client";
import { type Clock, isImAuthError } from "@imauth/core";
import type { RetryInfo } from "@imauth/core/http";
import { createEasemobProvider, easemobCallbackResponse } from "@imauth/easemob";
import { createEasemobImClient } from "@imauth/easemob/client";
import { createLegacyTencentProvider } from "@imauth/legacy-ecdsa";
import { createNeteaseProvider, neteaseCallbackResponse } from "@imauth/netease";
import { createNeteaseImClient } from "@imauth/netease/client";
import { createRongCloudProvider, rongCloudCallbackResponse } from "@imauth/rongcloud";
import { createRongCloudImClient } from "@imauth/rongcloud/client";
import { createTencentProvider, tencentCallbackResponse } from "@imauth/tencent";
import { createTencentImClient } from "@imauth/tencent/client";
import type { AppOptions } from "./app.ts";
import {
  AGORA_DEMO,
  EASEMOB_DEMO,
  NETEASE_DEMO,
  RONGCLOUD_DEMO,
  TENCENT_DEMO,
  TENCENT_LEGACY_DEMO,
} from "./demo-keys.ts";

/** The vendors the app can run with (`IMAUTH_VENDOR`). */
export const VENDORS = ["tencent", "tencent-legacy", "netease", "agora", "rongcloud", "easemob"] as const;
export type VendorName = (typeof VENDORS)[number];

/** Where the vendor's API is and how the app is told about retries. */
export interface VendorOptions {
  /**
   * The REST base URL (the emulator in the demo; omit for the vendor's real domains). For Easemob, the origin
   * of its host; for Agora, the Chat REST host.
   */
  baseUrl?: string;
  clock?: Clock;
  onRetry?: (info: RetryInfo) => void;
}

/** Reads `IMAUTH_VENDOR` (default `tencent`). */
export function vendorFromEnv(env: Record<string, string | undefined>): VendorName {
  const name = env.IMAUTH_VENDOR ?? "tencent";
  if (!(VENDORS as readonly string[]).includes(name)) {
    throw new Error(`IMAUTH_VENDOR must be one of ${VENDORS.join(", ")}`);
  }
  return name as VendorName;
}

const retry = { retryLimit: 3, backoffMs: 50, rateLimitDelayMs: 200 };

/**
 * Agora Chat and Easemob refuse to register a user twice (`duplicate_unique_property_exists`); the app's
 * "create the IM account" is idempotent, as Tencent's importAccount is, so an existing account is fine.
 */
async function ignoreExisting(register: () => Promise<unknown>): Promise<void> {
  try {
    await register();
  } catch (error) {
    if (isImAuthError(error, "ERR_VENDOR_API") && error.vendorCode === "duplicate_unique_property_exists")
      return;
    throw error;
  }
}

/** Builds the provider, admin API and callback reply for `vendor`. */
export function createVendor(vendor: VendorName, options: VendorOptions = {}): Omit<AppOptions, "log"> {
  const { baseUrl, clock, onRetry } = options;
  const common = { ...(baseUrl ? { baseUrl } : {}), ...(clock ? { clock } : {}) };
  const clientOptions = { ...retry, ...(onRetry ? { onRetry } : {}) };
  switch (vendor) {
    case "tencent": {
      const provider = createTencentProvider({ ...TENCENT_DEMO, ...common });
      const client = createTencentImClient(provider, clientOptions);
      return {
        provider,
        admin: { createUser: async (userId) => void (await client.importAccount({ userId })) },
        webhookReply: () => tencentCallbackResponse(),
      };
    }
    case "tencent-legacy": {
      const provider = createLegacyTencentProvider({ ...TENCENT_LEGACY_DEMO, ...common });
      const client = createTencentImClient(provider, clientOptions);
      return {
        provider,
        admin: { createUser: async (userId) => void (await client.importAccount({ userId })) },
        webhookReply: () => tencentCallbackResponse(),
      };
    }
    case "netease": {
      const provider = createNeteaseProvider({ ...NETEASE_DEMO, ...common });
      const client = createNeteaseImClient(provider, clientOptions);
      return {
        provider,
        admin: { createUser: async (accid) => void (await client.callV1("user/create.action", { accid })) },
        webhookReply: () => neteaseCallbackResponse(),
      };
    }
    case "agora": {
      // Users log in to Agora Chat with a Chat user token; REST calls carry a Chat app token as bearer.
      const provider = createAgoraProvider({ ...AGORA_DEMO, product: "chat", ...common });
      const client = createAgoraChatClient(provider, clientOptions);
      return {
        provider,
        admin: { createUser: (username) => ignoreExisting(() => client.registerUser(username)) },
        webhookReply: () => agoraCallbackResponse(),
      };
    }
    case "rongcloud": {
      // RongCloud tokens come from its server (user/getToken.json), which registers the user on first use.
      const provider = createRongCloudProvider({ ...RONGCLOUD_DEMO, ...common });
      const client = createRongCloudImClient(provider, clientOptions);
      return {
        provider,
        admin: { createUser: async (userId) => void (await client.getToken(userId)) },
        webhookReply: () => rongCloudCallbackResponse(),
      };
    }
    case "easemob": {
      // User tokens come from Easemob's inherit grant (which creates the user on first login); REST calls
      // carry the app token as bearer, asked for with a one-day lifetime.
      const { orgName, appName, clientId, clientSecret, callbackSecret } = EASEMOB_DEMO;
      const provider = createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret,
        callbackSecret,
        appTokenTtlSeconds: 86_400,
        ...(baseUrl ? { baseUrl } : {}),
        ...(clock ? { clock } : {}),
      });
      const client = createEasemobImClient(provider, clientOptions);
      // Users log in with tokens, never with a password: the one registration asks for is random.
      const password = () => crypto.randomUUID();
      return {
        provider,
        admin: { createUser: (username) => ignoreExisting(() => client.registerUser(username, password())) },
        webhookReply: () => easemobCallbackResponse(),
      };
    }
  }
}
