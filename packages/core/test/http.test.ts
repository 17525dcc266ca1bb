import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImClient, type RetryInfo } from "../src/http/index.js";
import { ImAuthError } from "../src/index.js";
import { createReferenceProvider, verifyReferenceRequest } from "../src/testing/index.js";

const SECRET = "http-test-secret-0123456789";
const provider = createReferenceProvider({ appId: "app", secret: SECRET, clock: () => 1_700_000_000_000 });

interface Seen {
  method: string;
  url: string;
  nonce: string;
  body: string;
  contentType: string;
}

let server: Server;
let base: string;
let closedBase: string;
const seen: Seen[] = [];
let script: Array<(res: ServerResponse) => void> = [];

function reply(status: number, body: string) {
  return (res: ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  };
}

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
    });
    try {
      await verifyReferenceRequest(request, SECRET);
    } catch {
      reply(401, '{"error":"unsigned"}')(res);
      return;
    }
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      nonce: String(req.headers["x-nonce"]),
      body,
      contentType: String(req.headers["content-type"]),
    });
    (script.shift() ?? reply(200, '{"ok":true}'))(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  // A port that was just free and is now closed: connections are refused at once.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedBase = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/api`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function reset(...steps: Array<(res: ServerResponse) => void>) {
  seen.length = 0;
  script = steps;
}

const noSleep = { sleep: async () => {}, random: () => 0.5 };

describe("createImClient", () => {
  it("signs, sends JSON and parses the answer", async () => {
    reset(reply(200, '{"value":42}'));
    const client = createImClient(provider, { baseUrl: base, ...noSleep });
    const result = await client.request("/v1/items", { json: { name: "好" }, searchParams: { page: 2 } });
    expect(result).toEqual({ value: 42 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe("/api/v1/items?page=2");
    expect(seen[0]!.body).toBe('{"name":"好"}');
    expect(seen[0]!.contentType).toBe("application/json");
  });

  it("sends forms url-encoded, a list repeating its field", async () => {
    reset();
    const client = createImClient(provider, { baseUrl: base, ...noSleep });
    await client.request("user/create.action", { form: { accid: "a b", n: 1, to: ["x", "y"] } });
    expect(seen[0]!.body).toBe("accid=a+b&n=1&to=x&to=y");
    expect(seen[0]!.contentType).toBe("application/x-www-form-urlencoded;charset=utf-8");
  });

  it("retries 5xx with backoff and signs every attempt afresh", async () => {
    reset(reply(503, "{}"), reply(500, "{}"), reply(200, '{"done":1}'));
    const retries: RetryInfo[] = [];
    const delays: number[] = [];
    const client = createImClient(provider, {
      baseUrl: base,
      backoffMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void delays.push(ms),
      onRetry: (info) => retries.push(info),
    });
    expect(await client.request("x", { idempotent: true })).toEqual({ done: 1 });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.nonce)).size).toBe(3);
    expect(delays).toEqual([75, 150]);
    expect(retries.map((r) => r.error.status)).toEqual([503, 500]);
  });

  it("does not retry client errors and reports them as ERR_VENDOR_API", async () => {
    reset(reply(400, '{"error":"bad"}'));
    const client = createImClient(provider, { baseUrl: base, ...noSleep });
    const error = await client.request("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImAuthError);
    expect(error).toMatchObject({ code: "ERR_VENDOR_API", status: 400 });
    expect(seen).toHaveLength(1);
  });

  it("gives up after the retry limit", async () => {
    reset(reply(503, "{}"), reply(503, "{}"), reply(503, "{}"));
    const client = createImClient(provider, { baseUrl: base, retryLimit: 2, ...noSleep });
    await expect(client.request("x", { method: "GET" })).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      status: 503,
    });
    expect(seen).toHaveLength(3);
  });

  it("fails over to the backup base URL on network errors", async () => {
    reset();
    const client = createImClient(provider, { baseUrl: [closedBase, base], ...noSleep });
    expect(await client.request("x")).toEqual({ ok: true });
    expect(client.baseUrl).toBe(`${base}/`);
    expect(seen).toHaveLength(1);
  });

  it("turns refused connections into ERR_NETWORK when nothing else is left", async () => {
    const client = createImClient(provider, { baseUrl: closedBase, retryLimit: 1, ...noSleep });
    await expect(client.request("x")).rejects.toMatchObject({ code: "ERR_NETWORK" });
  });

  it("times out slow answers", async () => {
    reset((res) => setTimeout(() => reply(200, "{}")(res), 1500));
    const client = createImClient(provider, { baseUrl: base, timeoutMs: 100, retryLimit: 0, ...noSleep });
    await expect(client.request("x")).rejects.toMatchObject({
      code: "ERR_NETWORK",
      message: expect.stringMatching(/timed out after 100 ms/),
    });
  });

  it("reports non-JSON answers as ERR_VENDOR_API", async () => {
    reset(reply(200, "<html>"));
    const client = createImClient(provider, { baseUrl: base, ...noSleep });
    await expect(client.request("x")).rejects.toMatchObject({ code: "ERR_VENDOR_API", status: 200 });
  });

  it("lets an adapter parse envelopes and extend the retry policy", async () => {
    reset(reply(200, '{"ErrorCode":70001}'), reply(200, '{"ErrorCode":0,"v":1}'));
    let renewed = 0;
    const client = createImClient<{ v: number }>(provider, {
      baseUrl: base,
      ...noSleep,
      parse: ({ json }) => {
        const env = json as { ErrorCode: number; v: number };
        if (env.ErrorCode !== 0) {
          throw new ImAuthError("ERR_VENDOR_API", "vendor error", { vendorCode: env.ErrorCode });
        }
        return env;
      },
      classify: (error, attempt) =>
        error.vendorCode === 70001 && attempt === 1
          ? { retry: true, noEffect: true, beforeRetry: () => void renewed++ }
          : { retry: false },
    });
    expect(await client.request("x")).toMatchObject({ v: 1 });
    expect(renewed).toBe(1);
  });

  it("rejects a bad base URL as configuration error", () => {
    expect(() => createImClient(provider, { baseUrl: "not a url" })).toThrowError(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createImClient(provider, { baseUrl: [] })).toThrowError(ImAuthError);
  });
});
