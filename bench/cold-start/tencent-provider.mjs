// Cold-start program (bench/cases/cold-start.mjs): import @imauth/tencent, create the provider and issue one
// credential, then exit.
import { createTencentProvider } from "@imauth/tencent";

const provider = createTencentProvider({
  sdkAppId: 1400000000,
  secretKey: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
});
const credential = await provider.issueCredential("user_0042");
if (typeof credential.token !== "string" || credential.token.length < 100) throw new Error("no credential");
