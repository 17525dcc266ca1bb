// Regression tests for the HTTP client's handling of hostile networks: no credential in any error, no
// redirect followed, one deadline per attempt, a capped answer, paths that stay under the base URL and
// retries that never duplicate a non-idempotent call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImClient, type ImClientOptions, type RetryInfo } from "../src/http/index.js";
import { type ImAuthProvider, isImAuthError } from "../src/index.js";

const USERSIG = "eJwUSERSIGSECRETx0123456789";
const CHECKSUM = "c0ffee0123456789abcdefCHECKSUMSECRET";
const NONCE = "NONCESECRET9876543210";
const SECRETS = [USERSIG, CHECKSUM, NONCE];

// Signs the way both vendors do: a credential in the query (Tencent) and in headers (NetEase).
const provider: ImAuthProvider = {
  vendor: "test",
  issueCredential: () => Promise.reject(new Error("unused")),
  verifyWebhook: () => Promise.reject(new Error("unused")),
  async signRequest(request) {
    const url = new URL(request.url);
    url.searchParams.set("usersig", USERSIG);
    const headers = new Headers(request.headers);
    headers.set("AppKey", "appkey");
    headers.set("CheckSum", CHECKSUM);
    headers.set("Nonce", NONCE);
    const body = request.body === null ? undefined : await request.arrayBuffer();
    return new Request(url, { method: request.method, headers, body });
  },
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end("{}");
const hits: string[] = [];
let server: Server;
let base: string;
let otherHits = 0;
let other: Server;
let otherBase: string;
let closedBase: string;

async function listen(s: Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  base = await listen(server);
  other = createServer((_req, res) => {
    otherHits++;
    res.end("{}");
  });
  otherBase = await listen(other);
  const probe = createServer();
  closedBase = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await Promise.all([server, other].map((s) => new Promise((resolve) => s.close(resolve))));
});

function use(next: Handler) {
  hits.length = 0;
  otherHits = 0;
  handler = next;
}

const noSleep = { sleep: async () => {}, random: () => 0.5 };

function client(extra: Partial<ImClientOptions> = {}, retries: RetryInfo[] = []) {
  return createImClient(provider, {
    baseUrl: base,
    retryLimit: 1,
    onRetry: (info) => retries.push(info),
    ...noSleep,
    ...extra,
  });
}

/** Every rendering of an error and its cause chain a log could show. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    const e = current as Error;
    out.push(String(e.message), String(e.stack), JSON.stringify(e) ?? "", String(e));
    out.push(inspect(e, { depth: 10, showHidden: true }));
    current = (e as { cause?: unknown }).cause;
  }
  return out;
}

function expectNoSecret(value: unknown) {
  for (const text of renderings(value)) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

describe("errors never carry the credential", () => {
  const failures: Array<[string, () => Partial<ImClientOptions>, Handler]> = [
    ["a refused connection", () => ({ baseUrl: closedBase }), () => {}],
    ["a reset", () => ({}), (req) => req.socket.destroy()],
    ["a timeout waiting for headers", () => ({ timeoutMs: 100 }), () => {}],
    [
      "a timeout in the body",
      () => ({ timeoutMs: 100 }),
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"partial":');
      },
    ],
    ["an error answer", () => ({}), (_req, res) => res.writeHead(500).end("oops")],
  ];
  for (const [what, options, next] of failures) {
    it(`on ${what}: message, stack, JSON, inspect and causes; onRetry too`, async () => {
      use(next);
      const retries: RetryInfo[] = [];
      const error = await client(options(), retries)
        .request("v4/openim/sendmsg", { idempotent: true })
        .catch((e: unknown) => e);
      expect(isImAuthError(error)).toBe(true);
      expectNoSecret(error);
      for (const info of retries) expectNoSecret(info.error);
      expect(inspect(retries, { depth: 10, showHidden: true })).not.toContain(USERSIG);
      expect(String((error as Error).message)).not.toContain("usersig=eJw");
    });
  }

  it("keeps a redacted URL and the transport's code", async () => {
    const error = (await client({ baseUrl: closedBase })
      .request("v4/openim/sendmsg", { idempotent: true })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("usersig=[redacted]");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error).toMatchObject({ code: "ERR_NETWORK", delivery: "not-sent" });
  });
});

describe("redirects are never followed", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`HTTP ${status} to another origin is ERR_VENDOR_API, with no second request`, async () => {
      use((_req, res) => res.writeHead(status, { location: `${otherBase}steal` }).end());
      const error = await client({ retryLimit: 3 })
        .request("user/create.action", { form: { accid: "a", token: "static-token" }, idempotent: true })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_VENDOR_API", status });
      expect(hits).toHaveLength(1);
      expect(otherHits).toBe(0);
      expectNoSecret(error);
    });
  }
});

describe("one deadline per attempt, body included, and a size cap", () => {
  it("a server that sends headers and then stalls times out", async () => {
    use((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    const started = performance.now();
    const error = await client({ timeoutMs: 150, retryLimit: 0 })
      .request("x")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_NETWORK", delivery: "unknown" });
    expect((error as Error).message).toMatch(/timed out after 150 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("refuses a 50 MB streamed answer without reading it whole", async () => {
    let written = 0;
    let closed = false;
    use((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.on("close", () => {
        closed = true;
      });
      const pump = () => {
        while (written < 50 * 1024 * 1024 && !closed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const error = await client({ maxResponseBytes: 1024 * 1024, retryLimit: 0 })
      .request("x")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_VENDOR_API", status: 200 });
    expect((error as Error).message).toMatch(/larger than 1048576 bytes/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBeLessThan(50 * 1024 * 1024);
  });

  it("refuses a declared Content-Length over the cap at once", async () => {
    use((_req, res) => res.writeHead(200, { "content-length": String(17 * 1024 * 1024) }).write("{"));
    const error = await client({ retryLimit: 0, timeoutMs: 2000 })
      .request("x")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_VENDOR_API" });
    expect((error as Error).message).toMatch(/larger than 16777216 bytes/);
  });
});

describe("paths stay under the base URL", () => {
  const escapes = [
    "\t//127.0.0.2/x",
    " //127.0.0.2/x",
    "\n//127.0.0.2/x",
    "\\\\127.0.0.2/x",
    "/\\127.0.0.2/x",
    "https://127.0.0.2/x",
    "../x",
    "a/../../x",
    "%2e%2e/x",
  ];
  for (const path of escapes) {
    it(`refuses ${JSON.stringify(path)} with ERR_INVALID_INPUT before signing`, async () => {
      use((_req, res) => res.end("{}"));
      const error = await client()
        .request(path)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_INVALID_INPUT" });
      expect(hits).toHaveLength(0);
    });
  }
});

describe("retries never duplicate a call that is not idempotent", () => {
  const ambiguous: Array<[string, Partial<ImClientOptions>, Handler]> = [
    ["HTTP 500", {}, (_req, res) => res.writeHead(500).end("{}")],
    ["a reset", {}, (req) => req.socket.destroy()],
    ["a timeout", { timeoutMs: 100 }, () => {}],
  ];
  for (const [what, options, next] of ambiguous) {
    it(`a POST is sent once after ${what}; an idempotent call is retried`, async () => {
      use(next);
      await expect(client({ ...options, retryLimit: 3 }).request("sendmsg")).rejects.toMatchObject({});
      expect(hits).toHaveLength(1);
      use(next);
      await expect(
        client({ ...options, retryLimit: 3 }).request("query", { idempotent: true }),
      ).rejects.toMatchObject({});
      expect(hits).toHaveLength(4);
    });
  }

  it("a POST that never reached the server is retried (on the backup)", async () => {
    use((_req, res) => res.end('{"ok":1}'));
    const c = createImClient(provider, { baseUrl: [closedBase, base], ...noSleep });
    expect(await c.request("sendmsg")).toEqual({ ok: 1 });
    expect(hits).toHaveLength(1);
  });

  it("a POST refused by a rate limit (429) is retried: it had no effect", async () => {
    let n = 0;
    use((_req, res) => (n++ === 0 ? res.writeHead(429).end("{}") : res.end('{"ok":1}')));
    expect(await client().request("sendmsg")).toEqual({ ok: 1 });
    expect(hits).toHaveLength(2);
  });

  it("idempotent: false overrides the method's default", async () => {
    use((_req, res) => res.writeHead(503).end("{}"));
    await expect(
      client({ retryLimit: 3 }).request("x", { method: "DELETE", idempotent: false }),
    ).rejects.toMatchObject({ status: 503 });
    expect(hits).toHaveLength(1);
  });
});
