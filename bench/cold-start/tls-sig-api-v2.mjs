// Cold-start anchor (bench/cases/cold-start.mjs): import the official tls-sig-api-v2 and make one UserSig, then
// exit. ESM like the subjects, so the loader is not what differs.
import TLSSigAPIv2 from "tls-sig-api-v2";

const api = new TLSSigAPIv2.Api(
  1400000000,
  "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
);
const sig = api.genUserSig("user_0042", 15552000);
if (typeof sig !== "string" || sig.length < 100) throw new Error("no UserSig");
