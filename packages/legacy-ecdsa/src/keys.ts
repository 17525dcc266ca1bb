import { ImAuthError } from "@imauth/core";
import { base64Decode, base64Encode } from "@imauth/core/adapter";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  DerError,
  DerReader,
  encode,
  encodeOid,
  readBitString,
  readOid,
  readSmallInteger,
  Tag,
} from "./der.js";

/**
 * The two curves legacy UserSig keys use, named as Web Crypto names them (`P-256` is also called prime256v1
 * or secp256r1).
 *
 * @example
 * ```ts
 * const curve: LegacyCurve = importLegacyPrivateKey(pem).curve; // "secp256k1" or "P-256"
 * ```
 */
export type LegacyCurve = "secp256k1" | "P-256";

/**
 * How a private key was written: PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`).
 *
 * @example
 * ```ts
 * const form: LegacyKeyForm = importLegacyPrivateKey(pem).form; // "pkcs8" or "sec1"
 * ```
 */
export type LegacyKeyForm = "pkcs8" | "sec1";

/**
 * A parsed legacy private key: its curve, form, scalar and the matching public key. Returned by
 * {@link parseLegacyPrivateKey}; keep it to yourself (it holds the private scalar).
 *
 * @example
 * ```ts
 * const { curve, form, publicKeyPem } = parseLegacyPrivateKey(pem);
 * ```
 */
export interface ParsedLegacyPrivateKey {
  /** The curve named by the key's OID. */
  readonly curve: LegacyCurve;
  /** The PEM form the key came in. */
  readonly form: LegacyKeyForm;
  /** The private scalar, 32 bytes big-endian. */
  readonly scalar: Uint8Array;
  /** The public point, uncompressed (65 bytes), derived from the scalar. */
  readonly publicPoint: Uint8Array;
  /** The public key as SPKI PEM (`BEGIN PUBLIC KEY`), e.g. to hand to a verifier. */
  readonly publicKeyPem: string;
}

/**
 * A parsed legacy public key. Returned by {@link parseLegacyPublicKey}.
 *
 * @example
 * ```ts
 * const { curve } = parseLegacyPublicKey(publicKeyPem);
 * ```
 */
export interface ParsedLegacyPublicKey {
  /** The curve named by the key's OID. */
  readonly curve: LegacyCurve;
  /** The public point, uncompressed (65 bytes). */
  readonly publicPoint: Uint8Array;
}

const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const CURVE_BY_OID: Record<string, LegacyCurve> = {
  "1.3.132.0.10": "secp256k1",
  "1.2.840.10045.3.1.7": "P-256",
};
const OID_BY_CURVE: Record<LegacyCurve, string> = {
  secp256k1: "1.3.132.0.10",
  "P-256": "1.2.840.10045.3.1.7",
};
/** Names of algorithms and curves people are likely to hand us by mistake, for clearer messages. */
const KNOWN_OIDS: Record<string, string> = {
  "1.2.840.113549.1.1.1": "RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.10040.4.1": "DSA",
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
  "1.2.156.10197.1.301": "SM2",
  "1.3.132.0.33": "P-224",
  "1.3.132.0.34": "P-384",
  "1.3.132.0.35": "P-521",
  "1.2.840.10045.3.1.1": "P-192",
  "1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1",
};
const MAX_PEM_LENGTH = 16_384;

/** Curve implementations from @noble/curves, used to derive and validate points. */
export const nobleCurve = { secp256k1, "P-256": p256 } as const;

function invalid(what: string, problem: string, cause?: unknown): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", `${what} ${problem}`, { cause });
}

function describeOid(oid: string): string {
  const name = KNOWN_OIDS[oid];
  return name ? `${name} (${oid})` : oid;
}

interface PemBlock {
  label: string;
  der: Uint8Array;
}

/**
 * Splits PEM text into its blocks. Text outside blocks is ignored, as OpenSSL does. Block contents may have
 * any line breaks; PEM headers (`Proc-Type:`, used by encrypted keys) are refused.
 */
function readPem(pem: unknown, what: string): PemBlock[] {
  if (typeof pem !== "string") throw invalid(what, `must be a PEM string, got ${typeNameOf(pem)}`);
  if (pem.trim().length === 0) throw invalid(what, "must not be empty");
  if (pem.length > MAX_PEM_LENGTH) throw invalid(what, `is longer than ${MAX_PEM_LENGTH} characters`);
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]{1,40})-----([\s\S]*?)-----END ([A-Z0-9 ]{1,40})-----/g;
  for (let m = re.exec(pem); m !== null; m = re.exec(pem)) {
    const label = m[1]!;
    if (m[3] !== label) throw invalid(what, `has a PEM block "${label}" closed by a different END line`);
    const body = m[2]!;
    if (body.includes(":")) {
      throw invalid(
        what,
        `is an encrypted or annotated PEM block ("${label}" has headers); decrypt it first`,
      );
    }
    let der: Uint8Array;
    try {
      der = base64Decode(body.replace(/[\s]+/g, ""), `${what} PEM block`);
    } catch (cause) {
      throw invalid(what, `has a "${label}" PEM block that is not valid base64`, cause);
    }
    if (der.length === 0) throw invalid(what, `has an empty "${label}" PEM block`);
    blocks.push({ label, der });
  }
  if (blocks.length === 0) {
    const hint = pem.includes("-----BEGIN") ? "a broken PEM block" : "no -----BEGIN ...----- line";
    throw invalid(what, `is not PEM (${hint})`);
  }
  return blocks;
}

function typeNameOf(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return "bytes (pass the PEM text)";
  return typeof value;
}

function curveOf(oid: string, what: string): LegacyCurve {
  const curve = CURVE_BY_OID[oid];
  if (!curve) {
    throw invalid(
      what,
      `uses the unsupported curve ${describeOid(oid)}; legacy UserSig keys are secp256k1 or P-256`,
    );
  }
  return curve;
}

/** The contents of the one top-level SEQUENCE of `der`; nothing may follow it. */
function topLevel(der: Uint8Array): DerReader {
  const outer = new DerReader(der);
  const seq = outer.enter();
  outer.end("the key");
  return seq;
}

/** Reads an AlgorithmIdentifier and returns the EC curve it names. */
function readEcAlgorithm(outer: DerReader, what: string): LegacyCurve {
  const alg = outer.enter();
  const algorithm = readOid(alg);
  if (algorithm !== OID_EC_PUBLIC_KEY) {
    throw invalid(what, `is a ${describeOid(algorithm)} key, not an EC key`);
  }
  if (alg.peekTag() !== Tag.OID) {
    throw invalid(what, "does not name its curve (explicit EC parameters are not supported)");
  }
  const curve = curveOf(readOid(alg), what);
  alg.end("the algorithm identifier");
  return curve;
}

/** Parses SEC1 ECPrivateKey (RFC 5915); `outerCurve` is the PKCS#8 algorithm's curve, if wrapped. */
function readEcPrivateKey(
  der: Uint8Array,
  what: string,
  outerCurve?: LegacyCurve,
): { curve: LegacyCurve; scalar: Uint8Array; embeddedPoint?: Uint8Array } {
  const seq = topLevel(der);
  if (readSmallInteger(seq) !== 1) throw invalid(what, "has an unknown EC private key version");
  const raw = seq.read(Tag.OCTET_STRING).value;
  let curve = outerCurve;
  let embeddedPoint: Uint8Array | undefined;
  if (seq.peekTag() === Tag.CONTEXT_0) {
    const params = seq.enter(Tag.CONTEXT_0);
    if (params.peekTag() !== Tag.OID) {
      throw invalid(what, "does not name its curve (explicit EC parameters are not supported)");
    }
    const inner = curveOf(readOid(params), what);
    params.end("the EC parameters");
    if (curve && inner !== curve) throw invalid(what, "names two different curves");
    curve = inner;
  }
  if (seq.peekTag() === Tag.CONTEXT_1) embeddedPoint = readBitString(seq.enter(Tag.CONTEXT_1));
  seq.end("the EC private key");
  if (!curve) throw invalid(what, "does not name its curve (no EC parameters in the key)");
  // RFC 5915 says 32 bytes; some old encoders dropped leading zero bytes, so left-pad short scalars.
  if (raw.length === 0 || raw.length > 32) throw invalid(what, "has a private scalar of the wrong length");
  const scalar = new Uint8Array(32);
  scalar.set(raw, 32 - raw.length);
  return embeddedPoint ? { curve, scalar, embeddedPoint } : { curve, scalar };
}

function classifyLabel(label: string, what: string, want: "private" | "public"): "pkcs8" | "sec1" | "spki" {
  if (label === "PRIVATE KEY") return "pkcs8";
  if (label === "EC PRIVATE KEY") return "sec1";
  if (label === "PUBLIC KEY") return "spki";
  if (label === "RSA PRIVATE KEY" || label === "RSA PUBLIC KEY")
    throw invalid(what, "is an RSA key, not an EC key");
  if (label === "ENCRYPTED PRIVATE KEY") throw invalid(what, "is an encrypted private key; decrypt it first");
  if (label === "CERTIFICATE") {
    throw invalid(what, `is a certificate; pass the ${want === "public" ? "public" : "private"} key itself`);
  }
  throw invalid(what, `is a "${label}" PEM block, not an EC ${want} key`);
}

/**
 * Parses a legacy UserSig private key: PEM PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`),
 * secp256k1 or P-256 as the key's OID says. An `EC PARAMETERS` block in front is ignored, as OpenSSL does.
 * Derives the public key. Throws `ImAuthError` `ERR_INVALID_CONFIG` saying what is wrong (never echoing the
 * key) for anything else.
 *
 * @example
 * ```ts
 * const key = parseLegacyPrivateKey(fs.readFileSync("private_key", "utf8"));
 * console.log(key.curve, key.form); // "secp256k1" "sec1"
 * fs.writeFileSync("public_key", key.publicKeyPem);
 * ```
 */
export function parseLegacyPrivateKey(pem: string, what = "privateKey"): ParsedLegacyPrivateKey {
  const blocks = readPem(pem, what).filter((b) => b.label !== "EC PARAMETERS");
  if (blocks.length === 0) throw invalid(what, "holds only EC PARAMETERS, no private key");
  const kinds = blocks.map((b) => classifyLabel(b.label, what, "private"));
  const index = kinds.findIndex((k) => k !== "spki");
  if (index < 0) {
    throw invalid(what, "is a public key (BEGIN PUBLIC KEY); the private key is needed to sign");
  }
  if (kinds.filter((k) => k !== "spki").length > 1) throw invalid(what, "holds more than one private key");
  const form = kinds[index] as LegacyKeyForm;
  const der = blocks[index]!.der;
  let parsed: { curve: LegacyCurve; scalar: Uint8Array; embeddedPoint?: Uint8Array };
  try {
    if (form === "sec1") {
      parsed = readEcPrivateKey(der, what);
    } else {
      const seq = topLevel(der);
      const version = readSmallInteger(seq);
      if (version > 1) throw invalid(what, "has an unknown PKCS#8 version");
      const curve = readEcAlgorithm(seq, what);
      const inner = seq.read(Tag.OCTET_STRING).value;
      if (seq.peekTag() === Tag.CONTEXT_0) seq.read(Tag.CONTEXT_0); // attributes: unused
      if (seq.peekTag() === Tag.CONTEXT_1) seq.read(Tag.CONTEXT_1); // OneAsymmetricKey public key
      seq.end("the PKCS#8 key");
      parsed = readEcPrivateKey(inner, what, curve);
    }
  } catch (error) {
    if (error instanceof DerError)
      throw invalid(what, `is not a valid ${form} EC private key (${error.message})`);
    throw error;
  }
  const { curve, scalar, embeddedPoint } = parsed;
  let publicPoint: Uint8Array;
  try {
    publicPoint = nobleCurve[curve].getPublicKey(scalar, false);
  } catch {
    throw invalid(what, `has a private scalar outside the range of ${curve}`);
  }
  if (embeddedPoint && !samePoint(curve, embeddedPoint, publicPoint)) {
    throw invalid(what, "carries a public key that does not belong to its private scalar");
  }
  return { curve, form, scalar, publicPoint, publicKeyPem: toSpkiPem(curve, publicPoint) };
}

function samePoint(curve: LegacyCurve, encoded: Uint8Array, uncompressed: Uint8Array): boolean {
  try {
    const a = nobleCurve[curve].Point.fromBytes(encoded).toBytes(false);
    return a.length === uncompressed.length && a.every((v, i) => v === uncompressed[i]);
  } catch {
    return false;
  }
}

/**
 * Parses a legacy UserSig public key: PEM SPKI (`BEGIN PUBLIC KEY`), secp256k1 or P-256 as the key's OID
 * says, point compressed or not. Throws `ImAuthError` `ERR_INVALID_CONFIG` for anything else, including a
 * private key given by mistake.
 *
 * @example
 * ```ts
 * const { curve } = parseLegacyPublicKey(fs.readFileSync("public_key", "utf8")); // "P-256"
 * ```
 */
export function parseLegacyPublicKey(pem: string, what = "publicKey"): ParsedLegacyPublicKey {
  const blocks = readPem(pem, what).filter((b) => b.label !== "EC PARAMETERS");
  if (blocks.length === 0) throw invalid(what, "holds only EC PARAMETERS, no public key");
  const kinds = blocks.map((b) => classifyLabel(b.label, what, "public"));
  const index = kinds.indexOf("spki");
  if (index < 0) {
    throw invalid(what, "is a private key; pass the public key (BEGIN PUBLIC KEY) instead");
  }
  if (kinds.filter((k) => k === "spki").length > 1) throw invalid(what, "holds more than one public key");
  let curve: LegacyCurve;
  let encoded: Uint8Array;
  try {
    const seq = topLevel(blocks[index]!.der);
    curve = readEcAlgorithm(seq, what);
    encoded = readBitString(seq);
    seq.end("the public key");
  } catch (error) {
    if (error instanceof DerError) throw invalid(what, `is not a valid EC public key (${error.message})`);
    throw error;
  }
  let publicPoint: Uint8Array;
  try {
    publicPoint = nobleCurve[curve].Point.fromBytes(encoded).toBytes(false);
  } catch {
    throw invalid(what, `is not a point on ${curve}`);
  }
  return { curve, publicPoint };
}

/** The SPKI DER encoding of a public key (uncompressed point), as node:crypto's `createPublicKey` takes it. */
export function toSpki(key: ParsedLegacyPublicKey): Uint8Array {
  return encode(
    Tag.SEQUENCE,
    encode(Tag.SEQUENCE, encodeOid(OID_EC_PUBLIC_KEY), encodeOid(OID_BY_CURVE[key.curve])),
    encode(Tag.BIT_STRING, new Uint8Array([0]), key.publicPoint),
  );
}

/** Writes a public point as SPKI PEM. */
function toSpkiPem(curve: LegacyCurve, publicPoint: Uint8Array): string {
  const b64 = base64Encode(toSpki({ curve, publicPoint }));
  const lines = b64.match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n`;
}

/**
 * A canonical PKCS#8 encoding of a key, as Web Crypto's `importKey("pkcs8")` wants it (SEC1 keys are wrapped
 * here, so every runtime sees the same, fully specified form).
 */
export function toPkcs8(key: ParsedLegacyPrivateKey): Uint8Array {
  const ecPrivateKey = encode(
    Tag.SEQUENCE,
    encode(Tag.INTEGER, new Uint8Array([1])),
    encode(Tag.OCTET_STRING, key.scalar),
    encode(Tag.CONTEXT_1, encode(Tag.BIT_STRING, new Uint8Array([0]), key.publicPoint)),
  );
  return encode(
    Tag.SEQUENCE,
    encode(Tag.INTEGER, new Uint8Array([0])),
    encode(Tag.SEQUENCE, encodeOid(OID_EC_PUBLIC_KEY), encodeOid(OID_BY_CURVE[key.curve])),
    encode(Tag.OCTET_STRING, ecPrivateKey),
  );
}
