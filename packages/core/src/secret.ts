const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");
const REDACTED = "[redacted]";

/**
 * Marks an object so that `JSON.stringify`, `String()`, `util.inspect` and `console.log` show
 * `[redacted]` instead of its fields. Providers and parsed configurations are passed through it, so a
 * logged provider never shows a secret key.
 *
 * @example
 * ```ts
 * const provider = redactable({ vendor: "tencent", issueCredential });
 * JSON.stringify(provider); // '{"vendor":"tencent"}'
 * ```
 */
export function redactable<T extends object>(target: T, label = "ImAuth"): T {
  const visible = () => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(target)) {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
    }
    return out;
  };
  Object.defineProperties(target, {
    toJSON: { value: visible, enumerable: false },
    toString: { value: () => `[${label}]`, enumerable: false },
    [inspectSymbol]: { value: () => `${label} ${JSON.stringify(visible())}`, enumerable: false },
  });
  return target;
}

/**
 * A secret string that cannot be shown by accident: `JSON.stringify`, `String()`, template strings and
 * `util.inspect` all give `[redacted]`. Read it with {@link Secret.reveal}.
 *
 * @example
 * ```ts
 * const key = new Secret(process.env.TENCENT_KEY!);
 * console.log(key); // [redacted]
 * hmac(key.reveal(), data);
 * ```
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret value itself. */
  reveal(): string {
    return this.#value;
  }
  /** Always `[redacted]`. */
  toJSON(): string {
    return REDACTED;
  }
  /** Always `[redacted]`. */
  toString(): string {
    return REDACTED;
  }
  /** Always `[redacted]`. */
  [inspectSymbol](): string {
    return REDACTED;
  }
}
