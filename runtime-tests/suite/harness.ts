// A runtime-neutral test harness: plain async functions and a few asserts, so the same bundle runs in Node,
// Bun, Deno, workerd and a browser without any test framework.

/** One registered test. */
export interface TestCase {
  pkg: string;
  name: string;
  fn: () => void | Promise<void>;
}

/** The outcome of one test. */
export interface TestResult {
  pkg: string;
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

const cases: TestCase[] = [];

/** Returns a `test(name, fn)` function that registers tests under the package `pkg`. */
export function suite(pkg: string): (name: string, fn: () => void | Promise<void>) => void {
  return (name, fn) => {
    cases.push({ pkg, name, fn });
  };
}

export class AssertionError extends Error {
  override name = "AssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array[${Array.from(value).join(",")}]`;
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

export function equal(actual: unknown, expected: unknown, what: string): void {
  if (!deepEqual(actual, expected)) {
    throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function describeError(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (typeof e === "object" && e !== null && "code" in e) {
    return `${String(e.name)} ${String(e.code)}: ${String(e.message)}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Expects `fn` to throw (or reject with) an ImAuthError with `code`; returns the error. Checked by name and
 * code, not by prototype, so it also holds across bundled copies.
 */
export async function rejects(fn: () => unknown, code: string, what: string): Promise<Error> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new AssertionError(`${what}: expected ImAuthError ${code}, it succeeded`);
  const e = error as { name?: unknown; code?: unknown };
  if (e.name !== "ImAuthError" || e.code !== code) {
    throw new AssertionError(`${what}: expected ImAuthError ${code}, got ${describeError(error)}`);
  }
  return error as Error;
}

/** Synchronous variant of {@link rejects}. */
export function throws(fn: () => unknown, code: string, what: string): Error {
  try {
    fn();
  } catch (error) {
    const e = error as { name?: unknown; code?: unknown };
    if (e.name !== "ImAuthError" || e.code !== code) {
      throw new AssertionError(`${what}: expected ImAuthError ${code}, got ${describeError(error)}`);
    }
    return error as Error;
  }
  throw new AssertionError(`${what}: expected ImAuthError ${code}, it succeeded`);
}

/** A clock frozen at `ms` (tests never read the wall clock). */
export function fixedClock(ms: number): () => number {
  return () => ms;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every registered test in order, each bounded by `timeoutMs`; never throws. */
export async function runAll(timeoutMs = 15_000): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const c of cases) {
    const start = performance.now();
    try {
      await withTimeout(Promise.resolve().then(c.fn), timeoutMs, c.name);
      results.push({ pkg: c.pkg, name: c.name, ok: true, ms: Math.round(performance.now() - start) });
    } catch (error) {
      const ms = Math.round(performance.now() - start);
      results.push({ pkg: c.pkg, name: c.name, ok: false, error: describeError(error), ms });
    }
  }
  return results;
}
