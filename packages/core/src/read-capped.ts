import type { ImAuthError } from "./errors.js";

/**
 * Reads a byte stream to its end, chunk by chunk, and gives up as soon as more than `maxBytes` arrived:
 * the stream is cancelled and `tooLarge()` is thrown, so a hostile sender costs at most `maxBytes` of memory
 * whatever its `Content-Length` claims. Shared by callback reading and the HTTP client.
 *
 * @example
 * ```ts
 * const body = await readCapped(request.body, 4 << 20, () => new ImAuthError("ERR_WEBHOOK_INVALID", "too large"));
 * ```
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => ImAuthError,
): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Not awaited: a stalled sender must not keep the refusal waiting.
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
