// Cold-start program (bench/cases/cold-start.mjs): import @imauth/tencent and make one UserSig, then exit.
import { genUserSig } from "@imauth/tencent";

const sig = genUserSig({
  sdkAppId: 1400000000,
  secretKey: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
  userId: "user_0042",
});
if (typeof sig !== "string" || sig.length < 100) throw new Error("no UserSig");
