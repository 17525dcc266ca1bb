// Whole-process cold start against the official tls-sig-api-v2: each sample spawns a fresh `node` (the Node
// that runs the benchmark: Node 24 under `pnpm bench`) on a small program in bench/cold-start/ and times it
// from spawn to exit, so module loading, top-level code and the first call all count.
// - import @imauth/tencent + one genUserSig                                   vs the same with tls-sig-api-v2
//   (target: at most 1.3 times the anchor's time)
// - import @imauth/tencent + createTencentProvider + issueCredential           vs tls-sig-api-v2 genUserSig
//   (target: at most 1.5 times)
// Subject and anchor alternate (order flipped every round) after untimed warm-up runs (the OS file cache is
// warm, as on any server after its first start); reported times are medians and the ratio is the median of
// the per-round ratios. No compile cache: NODE_COMPILE_CACHE and NODE_OPTIONS are cleared for the children.
// Imports the built packages: run `turbo run build` first. Prints one JSON array of rows.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const programs = join(dirname(fileURLToPath(import.meta.url)), "..", "cold-start");
const quick = process.env.BENCH_QUICK === "1";
const ROUNDS = quick ? 6 : 30;
const WARMUP = quick ? 1 : 3;
const env = { ...process.env };
delete env.NODE_COMPILE_CACHE;
delete env.NODE_OPTIONS;

/** Runs one program in a fresh Node process; resolves with its wall time in ms (spawn to exit). */
function timeProcess(file) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(programs, file)], { cwd: programs, env, stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${file} exited with ${code}: ${stderr.trim().slice(-300)}`));
      else resolve(ms);
    });
  });
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function coldStart({ comparison, subject, anchor, target }) {
  for (let i = 0; i < WARMUP; i++) {
    await timeProcess(subject.file);
    await timeProcess(anchor.file);
  }
  const s = [];
  const a = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      s.push(await timeProcess(subject.file));
      a.push(await timeProcess(anchor.file));
    } else {
      a.push(await timeProcess(anchor.file));
      s.push(await timeProcess(subject.file));
    }
  }
  const ratio = median(s.map((ms, i) => ms / a[i]));
  return {
    comparison: `${comparison} (${process.version})`,
    metric: "time",
    subject: subject.name,
    subjectMs: Math.round(median(s) * 10) / 10,
    anchor: anchor.name,
    anchorMs: Math.round(median(a) * 10) / 10,
    ratio: Math.round(ratio * 1000) / 1000,
    target,
    pass: ratio <= target,
  };
}

const official = { name: "tls-sig-api-v2: import + genUserSig", file: "tls-sig-api-v2.mjs" };
const rows = [
  await coldStart({
    comparison: "cold start: import + genUserSig vs tls-sig-api-v2",
    subject: { name: "@imauth/tencent: import + genUserSig", file: "tencent-usersig.mjs" },
    anchor: official,
    target: 1.3,
  }),
  await coldStart({
    comparison: "cold start: import + createTencentProvider + issueCredential vs tls-sig-api-v2 genUserSig",
    subject: {
      name: "@imauth/tencent: import + createTencentProvider + issueCredential",
      file: "tencent-provider.mjs",
    },
    anchor: official,
    target: 1.5,
  }),
];
console.log(JSON.stringify(rows));
