import { constantTimeEqual } from "@imauth/core/adapter";
import { TC3_ALGORITHM, tc3Date, tc3Sign } from "../../cloud/tc3.js";

/** An error answer of the emulated Tencent Cloud API: `Error.Code` and `Error.Message`. */
export class CloudApiError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the emulator checks a request against. */
export interface CloudAuthContext {
  secretId: string;
  secretKey: string;
  sessionToken: string | undefined;
  service: string;
  /** The server's tolerance for `X-TC-Timestamp`, in seconds (Tencent: 300). */
  maxSkewSeconds: number;
  /** Whether the key was revoked (`revokeCredentials`): every call is then refused. */
  revoked: boolean;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string | null): ParsedAuthorization {
  const m = header === null ? null : AUTHORIZATION.exec(header);
  if (m === null) {
    throw new CloudApiError(
      "AuthFailure.InvalidAuthorization",
      `Authorization is not a valid ${TC3_ALGORITHM} header.`,
    );
  }
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!.split(";"), signature: m[5]! };
}

function readTimestamp(header: string | null, nowSeconds: number, maxSkewSeconds: number): number {
  if (header === null) throw new CloudApiError("MissingParameter", "The request is missing X-TC-Timestamp.");
  if (!/^\d{1,12}$/.test(header)) {
    throw new CloudApiError("InvalidParameter", "X-TC-Timestamp must be a Unix time in seconds.");
  }
  const timestamp = Number(header);
  if (Math.abs(nowSeconds - timestamp) > maxSkewSeconds) {
    throw new CloudApiError(
      "AuthFailure.SignatureExpire",
      `The signature expired: X-TC-Timestamp differs from the server time by more than ${maxSkewSeconds} seconds.`,
    );
  }
  return timestamp;
}

/**
 * Checks a request's TC3-HMAC-SHA256 signature as Tencent Cloud's gateway does: the header's form, a known
 * SecretId, the timestamp within the window, the scope's date and service, `content-type` and `host` among
 * the signed headers, the signature recomputed over what was received (constant-time comparison), and the
 * session token of temporary credentials. Throws `CloudApiError` with Tencent's common error code.
 */
export function authenticateCloudRequest(
  request: Request,
  url: URL,
  body: Uint8Array,
  auth: CloudAuthContext,
  nowSeconds: number,
): void {
  const parsed = parseAuthorization(request.headers.get("authorization"));
  if (auth.revoked) throw new CloudApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
  const timestamp = readTimestamp(request.headers.get("x-tc-timestamp"), nowSeconds, auth.maxSkewSeconds);
  if (parsed.secretId !== auth.secretId) {
    throw new CloudApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
  }
  if (parsed.service !== auth.service || parsed.date !== tc3Date(timestamp)) {
    throw new CloudApiError(
      "AuthFailure.InvalidAuthorization",
      "The credential scope does not match the service or the date of X-TC-Timestamp.",
    );
  }
  const names = parsed.signedHeaders;
  if (!names.includes("content-type") || !names.includes("host")) {
    throw new CloudApiError(
      "AuthFailure.InvalidAuthorization",
      "SignedHeaders must include content-type and host.",
    );
  }
  const extra: Record<string, string> = {};
  for (const name of names) {
    if (name === "content-type" || name === "host") continue;
    extra[name] = request.headers.get(name) ?? "";
  }
  let expected: string;
  try {
    expected = tc3Sign({
      secretId: parsed.secretId,
      secretKey: auth.secretKey,
      service: auth.service,
      host: url.hostname,
      method: request.method,
      path: url.pathname,
      query: url.search.slice(1),
      contentType: request.headers.get("content-type") ?? "",
      body,
      headers: extra,
      timestampSeconds: timestamp,
    }).signature;
  } catch {
    expected = "";
  }
  if (!constantTimeEqual(expected, parsed.signature)) {
    throw new CloudApiError(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated.",
    );
  }
  const token = request.headers.get("x-tc-token");
  const tokenOk =
    auth.sessionToken === undefined
      ? token === null
      : token !== null && constantTimeEqual(token, auth.sessionToken);
  if (!tokenOk) throw new CloudApiError("AuthFailure.TokenFailure", "The token is wrong or missing.");
}
