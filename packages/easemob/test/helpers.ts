import type { Clock, RawWebhook } from "@imauth/core";
import { createEasemobProvider, type EasemobProviderOptions } from "../src/index.js";
import { createEasemobEmulator, signEasemobCallback } from "../src/testing/index.js";

export const T0 = 1_700_000_000_000;
export const orgName = "1100220704109048";
export const appName = "demo";
export const appKey = `${orgName}#${appName}`;
export const clientId = "YXA6clientidEXAMPLE0000001";
export const clientSecret = "YXA6clientSecretEXAMPLE000000000001";
export const callbackSecret = "Xy9kLmN0pQrStUv";
export const host = "a1.easemob.com";

/** A clock the test moves by hand. */
export function manualClock(start = T0): { clock: Clock; set(ms: number): void; advance(ms: number): void } {
  let now = start;
  return {
    clock: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** An emulator and a provider wired to it, sharing one clock. */
export function setup(options: Partial<EasemobProviderOptions> = {}, emulatorClock?: Clock) {
  const mc = manualClock();
  const clock = options.clock ?? mc.clock;
  const emulator = createEasemobEmulator({
    orgName,
    appName,
    clientId,
    clientSecret,
    callbackSecret,
    clock: emulatorClock ?? clock,
    ...(options.ttlUnit === undefined ? {} : { ttlUnit: options.ttlUnit }),
  });
  const provider = createEasemobProvider({
    orgName,
    appName,
    clientId,
    clientSecret,
    callbackSecret,
    baseUrl: host,
    fetch: emulator.fetch,
    clock,
    ...options,
  });
  return { mc, emulator, provider };
}

/** A callback signed as Easemob signs them, as a RawWebhook. */
export async function signedWebhook(
  body: Record<string, unknown>,
  nowMs: number,
  secret = callbackSecret,
): Promise<RawWebhook> {
  const request = signEasemobCallback({ appKey, secret, body, clock: () => nowMs });
  return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
}
