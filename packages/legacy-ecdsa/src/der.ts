/**
 * A small, strict DER reader (and the few writers the package needs). Only what EC keys and ECDSA
 * signatures use: single-byte tags, definite minimal lengths, every read bounds-checked. Failures throw a
 * plain `DerError` that callers turn into an `ImAuthError` naming the field.
 */

/** A malformed DER structure; carries no input bytes in its message. */
export class DerError extends Error {
  override name = "DerError";
}

/** DER tags used by EC keys and signatures. */
export const Tag = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

/** One TLV element. */
export interface DerElement {
  tag: number;
  value: Uint8Array;
}

/** Reads consecutive DER elements from a byte range. */
export class DerReader {
  #bytes: Uint8Array;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Whether every byte has been read. */
  get done(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  /** The tag of the next element, or -1 at the end. */
  peekTag(): number {
    return this.done ? -1 : this.#bytes[this.#pos]!;
  }

  /** Reads the next element; with `tag`, it must have that tag. */
  read(tag?: number): DerElement {
    const b = this.#bytes;
    if (this.#pos + 2 > b.length) throw new DerError("truncated DER element");
    const t = b[this.#pos++]!;
    if ((t & 0x1f) === 0x1f) throw new DerError("multi-byte DER tags are not used here");
    if (tag !== undefined && t !== tag) {
      throw new DerError(`expected DER tag 0x${hex2(tag)}, found 0x${hex2(t)}`);
    }
    let len = b[this.#pos++]!;
    if (len & 0x80) {
      const count = len & 0x7f;
      // Keys and signatures here are far below 64 KiB; 0x80 (indefinite) is BER, not DER.
      if (count === 0 || count > 2) throw new DerError("unsupported DER length encoding");
      if (this.#pos + count > b.length) throw new DerError("truncated DER length");
      len = 0;
      for (let i = 0; i < count; i++) len = (len << 8) | b[this.#pos++]!;
      if (len < 0x80 || (count === 2 && len < 0x100)) throw new DerError("non-minimal DER length");
    }
    if (this.#pos + len > b.length) throw new DerError("DER element runs past the end of its container");
    const value = b.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return { tag: t, value };
  }

  /** Reads a SEQUENCE (or other constructed element) and returns a reader over its contents. */
  enter(tag: number = Tag.SEQUENCE): DerReader {
    return new DerReader(this.read(tag).value);
  }

  /** Throws unless every byte has been read. */
  end(what: string): void {
    if (!this.done) throw new DerError(`unexpected data after ${what}`);
  }
}

/** Reads a non-negative INTEGER strictly (minimal two's complement) and returns its magnitude bytes. */
export function readUnsigned(reader: DerReader): Uint8Array {
  const v = reader.read(Tag.INTEGER).value;
  if (v.length === 0) throw new DerError("empty DER INTEGER");
  if (v[0]! & 0x80) throw new DerError("negative DER INTEGER");
  if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) throw new DerError("non-minimal DER INTEGER");
  return v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
}

/** Reads a small non-negative INTEGER (a version field). */
export function readSmallInteger(reader: DerReader): number {
  const v = readUnsigned(reader);
  if (v.length > 1) throw new DerError("DER version number out of range");
  return v[0]!;
}

/** Decodes an OBJECT IDENTIFIER's content bytes into dotted form (e.g. `1.2.840.10045.2.1`). */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0 || value.length > 32) throw new DerError("bad OBJECT IDENTIFIER length");
  const arcs: number[] = [];
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const byte = value[i]!;
    if (n === 0 && byte === 0x80) throw new DerError("non-minimal OBJECT IDENTIFIER arc");
    n = n * 128 + (byte & 0x7f);
    if (n > 0xffffffff) throw new DerError("OBJECT IDENTIFIER arc too large");
    if (!(byte & 0x80)) {
      arcs.push(n);
      n = 0;
    } else if (i === value.length - 1) {
      throw new DerError("truncated OBJECT IDENTIFIER");
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join(".");
}

/** Reads an OBJECT IDENTIFIER in dotted form. */
export function readOid(reader: DerReader): string {
  return decodeOid(reader.read(Tag.OID).value);
}

/** Reads a BIT STRING without unused bits and returns its bytes. */
export function readBitString(reader: DerReader): Uint8Array {
  const v = reader.read(Tag.BIT_STRING).value;
  if (v.length === 0 || v[0] !== 0) throw new DerError("BIT STRING with unused bits");
  return v.subarray(1);
}

/** Encodes one TLV element (definite length, short or long form). */
export function encode(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 255];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Encodes a non-negative integer given as big-endian magnitude bytes, minimally. */
export function encodeUnsigned(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return m[0]! & 0x80 ? encode(Tag.INTEGER, new Uint8Array([0]), m) : encode(Tag.INTEGER, m);
}

/** Encodes a dotted OBJECT IDENTIFIER (only the small arcs used here). */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return encode(Tag.OID, new Uint8Array(bytes));
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}
