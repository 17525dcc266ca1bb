// Regression tests of the NetEase REST client against hostile inputs and networks: paths that try to leave
// the base URL, redirects that would re-send the CheckSum and the form, errors that would carry the headers.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { closedPortUrl, type LoopbackServer, serve } from "../../../test-support/loopback.js";
import { createNeteaseImClient } from "../src/client/index.js";
import { createNeteaseProvider } from "../src/index.js";

const appKey = "0123456789abcdef0123456789abcdef";
const appSecret = "client-hardening-secret";
const clock = () => 1_700_000_000_000;

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function recorder() {
  const seen: Array<{ url: string; headers: Headers; body: string }> = [];
  const server = await serve(async (request) => {
    seen.push({ url: request.url, headers: request.headers, body: await request.text() });
    return Response.json({ code: 200 });
  });
  servers.push(server);
  return { server, seen };
}

describe("callV1/callV2 paths cannot leave the base URL", () => {
  it.each([
    "\t//127.0.0.2/x",
    " //127.0.0.2/x",
    "\n//127.0.0.2/x",
    "\\\\127.0.0.2/x",
    "/\\127.0.0.2/x",
    "\r\n//127.0.0.2/x",
  ])("refuses %j before anything is signed or sent", async (path) => {
    const { server, seen } = await recorder();
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const client = createNeteaseImClient(provider, {
      baseUrl: `${server.url}/nimserver/`,
      sleep: async () => {},
    });
    await expect(client.callV1(path, { accid: "a" })).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    await expect(client.callV2("POST", path, {})).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    expect(seen).toHaveLength(0);
  });
});

describe("redirects", () => {
  it("a 307 to another host re-sends neither the CheckSum nor the form (a static token)", async () => {
    const { server: thief, seen } = await recorder();
    const redirector = await serve(
      async () => new Response(null, { status: 307, headers: { location: `${thief.url}/steal` } }),
    );
    servers.push(redirector);
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const client = createNeteaseImClient(provider, {
      baseUrl: `${redirector.url}/nimserver/`,
      retryLimit: 3,
    });
    await expect(client.updateToken("alice", "static-token-of-alice")).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      status: 307,
    });
    expect(seen).toHaveLength(0);
  });
});

describe("errors never carry the signing headers", () => {
  it("a refused connection: no CheckSum, Nonce or AppKey+CheckSum in any rendering", async () => {
    const signed: Request[] = [];
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const spy = {
      ...provider,
      signRequest: async (r: Request) => {
        const s = await provider.signRequest(r);
        signed.push(s.clone());
        return s;
      },
    };
    const infos: unknown[] = [];
    const client = createNeteaseImClient(spy, {
      baseUrl: `${await closedPortUrl()}/nimserver/`,
      retryLimit: 2,
      sleep: async () => {},
      onRetry: (info) => infos.push(info),
    });
    const error = await client.refreshToken("alice").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_NETWORK" });
    expect(signed.length).toBe(3);
    const shown = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error)];
    shown.push(String((error as Error).stack), inspect(infos, { depth: 10, showHidden: true }));
    for (const request of signed) {
      for (const name of ["CheckSum", "Nonce"]) {
        const value = request.headers.get(name)!;
        expect(value.length).toBeGreaterThan(8);
        for (const text of shown) expect(text).not.toContain(value);
      }
    }
  });
});

describe("signRequest on its own", () => {
  it("marks the signed request never to follow a redirect", async () => {
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const signed = await provider.signRequest(
      new Request("https://api.example.com/nimserver/x", { method: "POST" }),
    );
    expect(signed.redirect).toBe("manual");
  });
});
