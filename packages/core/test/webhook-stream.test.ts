// readWebhook runs before any authentication: a hostile sender must not make it buffer more than the cap.
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_WEBHOOK_BYTES, readWebhook } from "../src/adapter/index.js";

const CHUNK = 64 * 1024;

/** A request whose body would be `totalBytes` long, produced only as it is read; `pulled()` counts bytes. */
function streamedRequest(totalBytes: number, headers: Record<string, string> = {}) {
  let produced = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= totalBytes) return controller.close();
      produced += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK));
    },
  });
  const request = new Request("https://app.example.com/cb", {
    method: "POST",
    headers,
    body,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => produced };
}

describe("readWebhook streams the body and stops at the cap", () => {
  it("refuses a 512 MiB body without Content-Length after reading little more than the cap", async () => {
    const { request, pulled } = streamedRequest(512 * 1024 * 1024);
    await expect(readWebhook(request)).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
    expect(pulled()).toBeLessThanOrEqual(DEFAULT_MAX_WEBHOOK_BYTES + 4 * CHUNK);
  });

  it("ignores a lying Content-Length", async () => {
    const { request, pulled } = streamedRequest(64 * 1024 * 1024, { "content-length": "10" });
    await expect(readWebhook(request, 1024 * 1024)).rejects.toMatchObject({
      code: "ERR_WEBHOOK_INVALID",
      message: expect.stringMatching(/larger than 1048576 bytes/),
    });
    expect(pulled()).toBeLessThanOrEqual(1024 * 1024 + 4 * CHUNK);
  });

  it("refuses a declared Content-Length over the cap before reading", async () => {
    const { request, pulled } = streamedRequest(8 * CHUNK, { "content-length": String(8 * CHUNK) });
    await expect(readWebhook(request, CHUNK)).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
    expect(pulled()).toBeLessThanOrEqual(2 * CHUNK);
  });

  it("reads a body at the cap exactly, across chunks", async () => {
    const { request } = streamedRequest(4 * CHUNK);
    expect((await readWebhook(request, 4 * CHUNK)).body).toHaveLength(4 * CHUNK);
  });

  it("refuses a body that was already read", async () => {
    const request = new Request("https://app.example.com/cb", { method: "POST", body: "x" });
    await request.text();
    await expect(readWebhook(request)).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
  });
});
