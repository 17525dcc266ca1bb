import { hmacSigner, type UserSigSigner } from "../../src/signer.js";

/** An HMAC signer that records the instant (`nowMs`) of every UserSig it makes, to count renewals. */
export function recordingSigner(secretKey: string): { signer: UserSigSigner; signings: number[] } {
  const inner = hmacSigner({ secretKey });
  const signings: number[] = [];
  const signer: UserSigSigner = {
    algorithm: inner.algorithm,
    sign(input) {
      signings.push(input.nowMs);
      return inner.sign(input);
    },
  };
  return { signer, signings };
}
