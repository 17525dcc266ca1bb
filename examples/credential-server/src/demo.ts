// `pnpm demo`: runs the credential server against each vendor's emulator on loopback and walks the whole
// flow, printing it. Needs nothing but the built packages: no account, no network beyond 127.0.0.1.
//
//   node src/demo.ts                  every vendor in turn
//   IMAUTH_VENDOR=netease node src/demo.ts   one vendor
//
// Exit code 0 when every step behaved as expected, 1 otherwise.
import type { RetryInfo } from "@imauth/core/http";
import { createApp } from "./app.ts";
import { createHarness, short } from "./emulators.ts";
import { serve } from "./serve.ts";
import { createVendor, VENDORS, type VendorName, vendorFromEnv } from "./vendors.ts";

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint("1");
const dim = paint("2");
const green = paint("32");
const red = paint("31");

const say = (line = "") => console.log(line);
let passed = 0;
const failures: string[] = [];

function check(ok: boolean, what: string): void {
  if (ok) {
    passed++;
    say(`     ${green("ok")} ${what}`);
  } else {
    failures.push(what);
    say(`     ${red("FAIL")} ${what}`);
  }
}

/** The demo's clock: real time plus an offset the demo moves forward to make credentials expire. */
const start = Date.now();
let offsetMs = 0;
const clock = () => start + offsetMs + (Date.now() - start);

async function call(appUrl: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(path, appUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function runVendor(vendor: VendorName): Promise<void> {
  const harness = createHarness(vendor, clock);
  const emulator = await serve(harness.handler);
  const retries: RetryInfo[] = [];
  const { provider, admin, webhookReply } = createVendor(vendor, {
    baseUrl: harness.apiBaseUrl(emulator.url),
    clock,
    onRetry: (info) => {
      retries.push(info);
      say(
        `     ${dim(`client: attempt ${info.attempt} failed (${info.error.code} ${info.error.vendorCode ?? ""}), retrying in ${info.delayMs} ms`)}`,
      );
    },
  });
  const appLog: string[] = [];
  const app = await serve(createApp({ provider, admin, webhookReply, log: (l) => appLog.push(l) }));
  try {
    say();
    say(bold(`== IMAUTH_VENDOR=${vendor}: ${harness.label}`));
    say(dim(`   vendor emulator ${emulator.url}   app server ${app.url}`));

    say(`\n1. ${bold("Issue a credential")}: POST /login {"userId":"alice"}`);
    const login = await call(app.url, "/login", { userId: "alice" });
    say(
      `   -> ${login.status} vendor ${login.json?.vendor}, appId ${login.json?.appId}, token ${short(String(login.json?.token))}`,
    );
    check(login.status === 200 && typeof login.json?.token === "string", "the app issued a login credential");

    say(`\n2. ${bold("Decode it")} (no key needed)`);
    const rows = harness.decode(login.json.token);
    for (const [k, v] of rows) say(`   ${k.padEnd(11)} ${v}`);
    const expiresIn = (Date.parse(login.json.expiresAt) - clock()) / 1000;
    check(Math.abs(expiresIn - 86_400) < 5, "it expires in the 24 h the app asked for");

    say(`\n3. ${bold("Signed REST call")}: POST /admin/users {"userId":"alice"} -> app -> vendor API`);
    let r = await call(app.url, "/admin/users", { userId: "alice" });
    say(`   -> ${r.status} ${JSON.stringify(r.json)}`);
    say(`   emulator saw: ${harness.lastCall()}`);
    say(`                 ${harness.lastCallAuth()}`);
    check(r.status === 200, "the emulator accepted the signed call");

    say(`\n4. ${bold("Force the admin credential to expire")}: the clock jumps 25 h ahead`);
    const before = harness.lastCallAuth();
    offsetMs += 25 * 3600 * 1000;
    say(`   ${harness.expiry}`);
    if (harness.replayLastRequest) {
      const replay = await harness.replayLastRequest(emulator.url);
      say(`   replaying step 3's signed headers now -> emulator answers ${replay.answer}`);
      check(replay.refused, replay.expected);
    }
    r = await call(app.url, "/admin/users", { userId: "bob" });
    say(`   POST /admin/users {"userId":"bob"} -> ${r.status} ${JSON.stringify(r.json)}`);
    say(`   emulator saw: ${harness.lastCallAuth()}`);
    check(r.status === 200 && harness.lastCallAuth() !== before, harness.renewal);

    say(`\n5. ${bold("Rate limit")}: the emulator answers the next call with ${harness.rateLimitNext()}`);
    const retriesBefore = retries.length;
    r = await call(app.url, "/admin/users", { userId: "carol" });
    say(`   POST /admin/users {"userId":"carol"} -> ${r.status} ${JSON.stringify(r.json)}`);
    check(
      r.status === 200 && retries.length === retriesBefore + 1,
      "the client waited, re-signed and retried once",
    );

    const callbackUrl = new URL("/im/callback", app.url).toString();
    say(`\n6. ${bold("Signed callback")}: the emulator POSTs an event to ${callbackUrl}`);
    const cb = await harness.sendCallback(callbackUrl);
    say(`   app log: ${appLog.at(-1)}`);
    say(`   -> ${cb.status} ${cb.body || "(empty body)"}`);
    check(cb.status === 200, "the app verified the callback and acknowledged it");

    say(`\n7. ${bold("Forged callback")}`);
    const forged = await harness.sendForgedCallback(callbackUrl);
    say(`   forged: ${forged.how}`);
    say(`   app log: ${appLog.at(-1)}`);
    say(`   -> ${forged.status} ${forged.body}`);
    check(forged.status === 401, "the app rejected the forged callback");
  } finally {
    await app.close();
    await emulator.close();
    offsetMs = 0;
  }
}

const vendors: VendorName[] = process.env.IMAUTH_VENDOR ? [vendorFromEnv(process.env)] : [...VENDORS];
say(
  bold(
    `imauth demo: one app server, ${vendors.length === 1 ? "one IM vendor" : `${vendors.length} IM vendors`}, everything on 127.0.0.1`,
  ),
);
for (const vendor of vendors) await runVendor(vendor);

say();
say(
  `The app code (src/app.ts) was the same for ${vendors.length === 1 ? "this vendor" : `all ${vendors.length} vendors`}: ` +
    "only src/vendors.ts, which constructs the provider and REST client, differs.",
);
const seconds = ((Date.now() - start) / 1000).toFixed(1);
if (failures.length === 0) {
  say(green(`demo: ${vendors.length} vendor(s), ${passed} checks passed in ${seconds} s`));
} else {
  say(
    red(
      `demo: ${failures.length} check(s) failed (${failures.join("; ")}), ${passed} passed in ${seconds} s`,
    ),
  );
  process.exitCode = 1;
}
