// The only vendor-specific code of the app: which provider and REST client it is built with.
// Everything in app.ts works unchanged for all three.
import type { Clock } from "@imauth/core";
import type { RetryInfo } from "@imauth/core/http";
import { createLegacyTencentProvider } from "@imauth/legacy-ecdsa";
import { createNeteaseProvider, neteaseCallbackResponse } from "@imauth/netease";
import { createNeteaseImClient } from "@imauth/netease/client";
import { createTencentProvider, tencentCallbackResponse } from "@imauth/tencent";
import { createTencentImClient } from "@imauth/tencent/client";
import type { AppOptions } from "./app.ts";
import { NETEASE_DEMO, TENCENT_DEMO, TENCENT_LEGACY_DEMO } from "./demo-keys.ts";

/** The vendors the app can run with (`IMAUTH_VENDOR`). */
export const VENDORS = ["tencent", "tencent-legacy", "netease"] as const;
export type VendorName = (typeof VENDORS)[number];

/** Where the vendor's API is and how the app is told about retries. */
export interface VendorOptions {
  /** The REST base URL (the emulator in the demo; omit for the vendor's real domains). */
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
  }
}
