// Runs the credential server on its own, against the vendor's emulator on loopback, for trying it by hand:
//
//   IMAUTH_VENDOR=netease PORT=3000 node src/server.ts
//   curl -s localhost:3000/login -d '{"userId":"alice"}'
//   curl -s localhost:3000/admin/users -d '{"userId":"alice"}'
import { createApp } from "./app.ts";
import { createHarness } from "./emulators.ts";
import { serve } from "./serve.ts";
import { createVendor, vendorFromEnv } from "./vendors.ts";

const vendor = vendorFromEnv(process.env);
const harness = createHarness(vendor, Date.now);
const emulator = await serve(harness.handler);
const { provider, admin, webhookReply } = createVendor(vendor, { baseUrl: harness.apiBaseUrl(emulator.url) });
const app = await serve(
  createApp({ provider, admin, webhookReply, log: (line) => console.log(line) }),
  Number(process.env.PORT ?? 3000),
);
console.log(`${vendor} emulator on ${emulator.url}; credential server on ${app.url} (Ctrl-C stops)`);
process.on("SIGINT", async () => {
  await app.close();
  await emulator.close();
  process.exit(0);
});
