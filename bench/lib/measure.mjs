// Side-by-side throughput measurement shared by the case files. Subject and anchor run in alternating
// rounds in the same process (order flipped every round), so drift of the machine (turbo, thermal, other
// load) hits both alike and the ratio stays meaningful even when absolute numbers wander. Reported numbers
// are medians: ops/s the median of each side's rounds, the ratio the median of the per-round ratios (each
// round pairs a subject run with the anchor run next to it), so a burst of load in one round cannot swing it.

const now = () => performance.now();

/** Calls `fn` repeatedly for about `ms` milliseconds; returns { ops, elapsedMs }. */
export async function runFor(fn, ms, { isAsync = false, batch = 1 } = {}) {
  let ops = 0;
  const start = now();
  const end = start + ms;
  if (isAsync) {
    while (now() < end) {
      for (let i = 0; i < batch; i++) await fn();
      ops += batch;
    }
  } else {
    while (now() < end) {
      for (let i = 0; i < batch; i++) fn();
      ops += batch;
    }
  }
  return { ops, elapsedMs: now() - start };
}

/** Picks a batch size so that one batch takes about 1 ms (checking the clock less often than every call). */
async function calibrate(fn, isAsync) {
  let batch = 1;
  for (;;) {
    const t = now();
    if (isAsync) for (let i = 0; i < batch; i++) await fn();
    else for (let i = 0; i < batch; i++) fn();
    if (now() - t >= 1 || batch >= 1 << 16) return batch;
    batch *= 2;
  }
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures `subject` against `anchor` side by side and returns one result row.
 *
 * @param {object} o
 * @param {string} o.comparison   what is compared, e.g. "genUserSig vs tls-sig-api-v2"
 * @param {{ name: string, fn: () => unknown }} o.subject
 * @param {{ name: string, fn: () => unknown }} o.anchor
 * @param {number} o.target       minimum ratio subject/anchor
 * @param {boolean} [o.isAsync]   whether fn returns a promise to await
 * @param {number} [o.rounds]     alternating rounds (default 10, or 4 with BENCH_QUICK=1)
 * @param {number} [o.roundMs]    length of one side's round in ms (default 300, or 60 with BENCH_QUICK=1)
 */
export async function compare(o) {
  const quick = process.env.BENCH_QUICK === "1";
  const rounds = o.rounds ?? (quick ? 4 : 10);
  const roundMs = o.roundMs ?? (quick ? 60 : 300);
  const isAsync = o.isAsync ?? false;
  const sides = [o.subject, o.anchor].map((side) => ({ ...side, rates: [], batch: 1 }));
  for (const side of sides) {
    side.batch = await calibrate(side.fn, isAsync);
    await runFor(side.fn, quick ? 50 : 200, { isAsync, batch: side.batch }); // warm-up (JIT, pools)
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const { ops, elapsedMs } = await runFor(side.fn, roundMs, { isAsync, batch: side.batch });
      side.rates.push((ops / elapsedMs) * 1000);
    }
  }
  const [s, a] = sides;
  const subjectOpsPerSec = median(s.rates);
  const anchorOpsPerSec = median(a.rates);
  const ratio = median(s.rates.map((rate, i) => rate / a.rates[i]));
  return {
    comparison: o.comparison,
    subject: o.subject.name,
    subjectOpsPerSec: Math.round(subjectOpsPerSec),
    anchor: o.anchor.name,
    anchorOpsPerSec: Math.round(anchorOpsPerSec),
    ratio: Math.round(ratio * 1000) / 1000,
    target: o.target,
    pass: ratio >= o.target,
  };
}
