// The benchmark report: runs every bench/cases/*.mjs in its own Node process, collects their rows, prints a
// table and writes bench/results.json. It builds nothing: run `turbo run build` first (`pnpm bench` does).
//
// Usage: node bench/run.mjs [--report-only] [case-name ...]
//   case-name      run only cases whose file name contains it (e.g. `rest`)
//   --report-only  exit 0 even when a target is missed (the table still says FAIL)
// Exit codes: 0 every target met; 1 a target missed or a case failed to run; 2 usage error.
// BENCH_QUICK=1 shortens every measurement (smoke test; numbers are then rough).

import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const casesDir = join(here, "cases");
const CASE_TIMEOUT_MS = 150_000;

const args = process.argv.slice(2);
const reportOnly = args.includes("--report-only");
const filters = args.filter((a) => !a.startsWith("--"));
const unknown = args.filter((a) => a.startsWith("--") && a !== "--report-only");
if (unknown.length > 0) {
  console.error(
    `bench: unknown option ${unknown[0]}\nusage: node bench/run.mjs [--report-only] [case-name ...]`,
  );
  process.exit(2);
}

const files = readdirSync(casesDir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no case file in bench/cases matches ${filters.join(", ")}`);
  process.exit(2);
}

/** Runs one case file in a fresh Node process (the same Node as this runner) and parses its rows. */
function runCase(file) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(casesDir, file)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CASE_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (signal)
        return resolve({
          file,
          seconds,
          error: `killed by ${signal} (timeout ${CASE_TIMEOUT_MS / 1000} s?)`,
        });
      const rows = parseRows(stdout);
      if (code !== 0) return resolve({ file, seconds, error: `exit code ${code}: ${lastLines(stderr)}` });
      if (!rows)
        return resolve({
          file,
          seconds,
          error: `did not print a JSON array of rows: ${lastLines(stdout || stderr)}`,
        });
      const bad = rows.find((r) => !isRow(r));
      if (bad)
        return resolve({
          file,
          seconds,
          error: `printed a malformed row: ${JSON.stringify(bad).slice(0, 200)}`,
        });
      resolve({ file, seconds, rows });
    });
  });
}

function parseRows(stdout) {
  const candidates = [stdout.trim(), ...stdout.trim().split("\n").reverse()];
  for (const text of candidates) {
    if (!text.startsWith("[")) continue;
    try {
      const value = JSON.parse(text);
      if (Array.isArray(value)) return value;
    } catch {
      // not this one
    }
  }
  return undefined;
}

// A row is a throughput comparison (subjectOpsPerSec, anchorOpsPerSec; ratio = subject/anchor ops, higher is
// better, target a minimum) or, with `metric: "time"`, a time comparison (subjectMs, anchorMs; ratio =
// subject/anchor time, lower is better, target a maximum).
const isTime = (r) => r.metric === "time";

function isRow(r) {
  return (
    r !== null &&
    typeof r === "object" &&
    typeof r.comparison === "string" &&
    typeof r.subject === "string" &&
    (isTime(r)
      ? Number.isFinite(r.subjectMs) && Number.isFinite(r.anchorMs)
      : Number.isFinite(r.subjectOpsPerSec) && Number.isFinite(r.anchorOpsPerSec)) &&
    typeof r.anchor === "string" &&
    Number.isFinite(r.ratio) &&
    typeof r.pass === "boolean"
  );
}

function lastLines(text) {
  return text.trim().split("\n").slice(-3).join(" | ").slice(0, 400);
}

const fmtOps = (n) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
const fmtValue = (r, side) =>
  isTime(r) ? `${r[`${side}Ms`].toFixed(1)} ms` : `${fmtOps(r[`${side}OpsPerSec`])} ops/s`;
const fmtTarget = (r) =>
  typeof r.target === "number" ? `${isTime(r) ? "<=" : ">="} ${r.target}` : String(r.target ?? "");

/** A Markdown table (readable in a terminal, pasteable into the README). */
function table(rows) {
  const head = ["comparison", "imauth", "anchor library", "anchor", "ratio", "target", "result"];
  const body = rows.map((r) => [
    r.comparison,
    fmtValue(r, "subject"),
    r.anchor,
    fmtValue(r, "anchor"),
    `${r.ratio.toFixed(2)}x`,
    fmtTarget(r),
    r.pass ? "pass" : "FAIL",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const right = new Set([1, 3, 4]);
  const line = (cells) =>
    `| ${cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (right.has(i) ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(head), rule, ...body.map(line)].join("\n");
}

const started = Date.now();
const results = [];
for (const file of files) {
  process.stderr.write(`bench: running ${file} ...`);
  const result = await runCase(file);
  process.stderr.write(result.error ? " failed\n" : ` ${result.seconds.toFixed(1)} s\n`);
  results.push(result);
}

const rows = results.flatMap((r) =>
  (r.rows ?? []).map((row) => ({ ...row, case: basename(r.file, ".mjs") })),
);
const errors = results
  .filter((r) => r.error)
  .map((r) => ({ case: basename(r.file, ".mjs"), error: r.error }));
const cpus = os.cpus();
const report = {
  date: new Date(started).toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 100) / 10,
  node: process.version,
  v8: process.versions.v8,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  cpu: cpus[0]?.model?.trim() ?? "unknown",
  cpuCount: cpus.length,
  quick: process.env.BENCH_QUICK === "1",
  rows,
  errors,
};
writeFileSync(join(here, "results.json"), `${JSON.stringify(report, null, 2)}\n`);

console.log(`\nNode ${report.node} on ${report.cpu} (${report.cpuCount} CPUs), ${report.platform}`);
console.log(`${table(rows)}\n`);
const failed = rows.filter((r) => !r.pass);
for (const r of failed) {
  console.log(`FAIL ${r.comparison}: ratio ${r.ratio} misses the target ${fmtTarget(r)}`);
}
for (const e of errors) console.log(`ERROR ${e.case}: ${e.error}`);
console.log(
  `${rows.length - failed.length}/${rows.length} targets met, ${errors.length} case(s) failed to run, ` +
    `${report.durationSeconds} s; written to bench/results.json`,
);
process.exitCode = (failed.length > 0 || errors.length > 0) && !reportOnly ? 1 : 0;
