import { describe, expect, it } from "vitest";
import { readWebhook, utf8Decode } from "../src/adapter/index.js";
import { ImAuthError } from "../src/index.js";

describe("readWebhook", () => {
  it("reads a Fetch Request", async () => {
    const req = new Request("https://app.example.com/cb?a=1", {
      method: "POST",
      headers: { "X-Sig": "abc" },
      body: "héllo",
    });
    const w = await readWebhook(req);
    expect(w.url.searchParams.get("a")).toBe("1");
    expect(w.headers.get("x-sig")).toBe("abc");
    expect(utf8Decode(w.body)).toBe("héllo");
  });

  it("reads Node-style raw webhooks with array headers and path-only URLs", async () => {
    const w = await readWebhook({
      url: "/cb?SdkAppid=1",
      headers: { "x-multi": ["a", "b"], "x-none": undefined, CheckSum: "c" },
      body: new Uint8Array([104, 105]),
    });
    expect(w.url.pathname).toBe("/cb");
    expect(w.headers.get("x-multi")).toBe("a, b");
    expect(w.headers.get("checksum")).toBe("c");
    expect(w.headers.has("x-none")).toBe(false);
    expect(utf8Decode(w.body)).toBe("hi");
  });

  it("refuses parsed bodies, oversized bodies and non-objects with ERR_WEBHOOK_INVALID", async () => {
    const cases: unknown[] = [
      null,
      "x",
      { url: "/", headers: {}, body: { a: 1 } },
      { url: 5, headers: {}, body: "" },
      { url: "/", headers: null, body: "" },
      { url: "/", headers: { "bad name": "x" }, body: "" },
    ];
    for (const c of cases) {
      await expect(readWebhook(c as never)).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
    }
    await expect(readWebhook({ url: "/", headers: {}, body: "x".repeat(11) }, 10)).rejects.toBeInstanceOf(
      ImAuthError,
    );
    const big = new Request("https://a.example/", { method: "POST", body: "x".repeat(11) });
    await expect(readWebhook(big, 10)).rejects.toThrowError(/larger than 10 bytes/);
  });
});
