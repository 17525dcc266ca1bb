import { ImAuthError } from "@imauth/core";

// AccessToken2's byte layout: little-endian integers, strings as a u16 byte length followed by the bytes.
// The writer grows by doubling (a token is a few hundred bytes); the reader checks every length against
// what is left, so a hostile token can never make it read past the end or allocate more than it holds.

const MAX_U16 = 0xffff;

/** @internal A growing little-endian byte writer. */
export class ByteWriter {
  #bytes = new Uint8Array(256);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  #reserve(n: number): number {
    const at = this.#length;
    if (at + n > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, at + n));
      grown.set(this.#bytes.subarray(0, at));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = at + n;
    return at;
  }

  u16(value: number): this {
    this.#view.setUint16(this.#reserve(2), value, true);
    return this;
  }

  u32(value: number): this {
    this.#view.setUint32(this.#reserve(4), value, true);
    return this;
  }

  /** A u16 length then the bytes; longer than 65535 bytes cannot be written. */
  bytes(value: Uint8Array): this {
    if (value.length > MAX_U16) {
      throw new ImAuthError("ERR_INVALID_INPUT", "a token field must be at most 65535 bytes");
    }
    this.u16(value.length);
    this.#bytes.set(value, this.#reserve(value.length));
    return this;
  }

  raw(value: Uint8Array): this {
    this.#bytes.set(value, this.#reserve(value.length));
    return this;
  }

  /** The bytes written so far (a view, not a copy). */
  done(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** @internal A bounds-checked little-endian reader over untrusted bytes. */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.#bytes.length - this.#at;
  }

  #take(n: number, what: string): number {
    if (n > this.remaining) {
      throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", `token is truncated (in ${what})`);
    }
    const at = this.#at;
    this.#at += n;
    return at;
  }

  u16(what: string): number {
    return this.#view.getUint16(this.#take(2, what), true);
  }

  u32(what: string): number {
    return this.#view.getUint32(this.#take(4, what), true);
  }

  bytes(what: string): Uint8Array {
    const n = this.u16(what);
    const at = this.#take(n, what);
    return this.#bytes.subarray(at, at + n);
  }

  rest(): Uint8Array {
    return this.#bytes.subarray(this.#at);
  }
}
