// Signing overhead of a Tencent REST call, measured side by side in one process:
// - subject: createTencentImClient(...).call(...) with the provider signing every attempt (cached admin
//   UserSig, fresh `random`, query rewritten), against createTencentEmulator served by node:http on 127.0.0.1
// - anchor: the same client, server and call, but the provider's signRequest only copies a query signed once
//   at start-up: the identical round trip without the per-request signing work ("unsigned")
// Both sides pay the same HTTP, JSON, envelope parsing and server-side UserSig verification, so the ratio is
// the cost of signing. Target: at most 5% overhead (ratio >= 0.95).
// Imports the built packages: run `turbo run build` first. Prints one JSON array of rows.
import { createServer } from "node:http";
import { createTencentProvider } from "@imauth/tencent";
import { createTencentImClient } from "@imauth/tencent/client";
import { createTencentEmulator } from "@imauth/tencent/testing";

const sdkAppId = 1400000000;
const secretKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"; // public sample key

const emulator = createTencentEmulator({ sdkAppId, secretKey });
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const response = await emulator.fetch(
    new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers,
      body: Buffer.concat(chunks),
    }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}/`;

const provider = createTencentProvider({ sdkAppId, secretKey, baseUrl });

// The anchor's provider: everything as the real one, but signRequest reuses one signed query.
const presigned = new URL((await provider.signRequest(new Request(`${baseUrl}v4/presign`))).url).searchParams;
const unsignedProvider = new Proxy(provider, {
  get(target, key) {
    if (key !== "signRequest") return Reflect.get(target, key);
    return async (request) => {
      const url = new URL(request.url);
      for (const [k, v] of presigned) url.searchParams.set(k, v);
      return new Request(url, request);
    };
  },
});

const signedClient = createTencentImClient(provider, { retryLimit: 0 });
const unsignedClient = createTencentImClient(unsignedProvider, { retryLimit: 0 });
const path = "v4/im_open_login_svc/account_check";
const body = { CheckItem: [{ UserID: "alice" }] };

// Both sides must really succeed against the emulator before anything is timed.
await signedClient.call(path, body);
await unsignedClient.call(path, body);

// Round trips take 0.3 to 2 ms and loopback timing on a busy machine is noisy, so the two sides alternate
// call by call (order flipped every pair) and each side's throughput is 1000 / its median latency in ms:
// a burst of load hits both sides of neighbouring calls alike, and outliers do not move a median.
const quick = process.env.BENCH_QUICK === "1";
const pairs = quick ? 300 : 4000;
const signed = () => signedClient.call(path, body);
const unsigned = () => unsignedClient.call(path, body);
for (let i = 0; i < (quick ? 50 : 300); i++) {
  await signed();
  await unsigned();
}
const latencies = { signed: [], unsigned: [] };
const time = async (name, fn) => {
  const t = performance.now();
  await fn();
  latencies[name].push(performance.now() - t);
};
for (let i = 0; i < pairs; i++) {
  if (i % 2 === 0) {
    await time("signed", signed);
    await time("unsigned", unsigned);
  } else {
    await time("unsigned", unsigned);
    await time("signed", signed);
  }
}
const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const subjectOpsPerSec = 1000 / median(latencies.signed);
const anchorOpsPerSec = 1000 / median(latencies.unsigned);
const ratio = subjectOpsPerSec / anchorOpsPerSec;
const row = {
  comparison: "Tencent REST round trip, signed vs unsigned (loopback emulator)",
  subject: "signed per request (@imauth/tencent client)",
  subjectOpsPerSec: Math.round(subjectOpsPerSec),
  anchor: "same round trip, pre-signed query reused",
  anchorOpsPerSec: Math.round(anchorOpsPerSec),
  ratio: Math.round(ratio * 1000) / 1000,
  target: 0.95,
  pass: ratio >= 0.95,
};

server.closeAllConnections();
server.close();
console.log(JSON.stringify([row]));
