/**
 * A node's stored settings (its properties in the flow file), read with their options. A value that is
 * absent or empty means "the default" (a flow saved before the property existed); a value that is present
 * and none of the options (a hand-edited or imported flow) is a configuration problem: it is collected, so
 * the node can refuse every msg with BAD_INPUT instead of quietly doing something else.
 * Pure: no Node-RED, no Node.js API (vendors and the editor bundles may use it).
 */
import { badInput, type GatewayError } from './errors';
import { describe } from './text';

export interface NumberOptions {
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Above zero (a duration: 0 s is no timeout at all). */
  positive?: boolean;
}

const absent = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The number a stored value stands for: a number, or a decimal numeral (no hex, no exponent tricks). */
export function storedNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v);
  return NaN;
}

/** Whether `parse` takes `value` without throwing: an editor field checked by the runtime's own parser. */
export function accepts(parse: (value: unknown) => unknown, value: unknown): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

export function numberProblem(n: number, o: NumberOptions): string | undefined {
  if (!Number.isFinite(n) || (o.integer && !Number.isSafeInteger(n))) return o.integer ? 'a whole number' : 'a number';
  if (o.positive && n <= 0) return 'above 0';
  if (o.min !== undefined && n < o.min) return `at least ${o.min}`;
  if (o.max !== undefined && n > o.max) return `at most ${o.max}`;
  return undefined;
}

export class StoredSettings {
  /** One phrase per stored value this node cannot use. */
  readonly problems: string[] = [];
  /** The properties those phrases are about (for a short status text). */
  readonly keys: string[] = [];

  constructor(private readonly def: Readonly<Record<string, unknown>>) {}

  /** The stored value of `key`, or undefined when it is absent or empty. */
  raw(key: string): unknown {
    const v = Object.prototype.hasOwnProperty.call(this.def, key) ? this.def[key] : undefined;
    return absent(v) ? undefined : v;
  }

  /** Records a problem with `key`: `phrase` completes "<key> ..." (e.g. `is "x", not one of a, b`). */
  refuse(key: string, phrase: string): void {
    this.keys.push(key);
    this.problems.push(`${key} ${phrase}`);
  }

  /** One of `options` (compared exactly; numbers are taken as their text), or `fallback` when absent. */
  choice<T extends string>(key: string, options: readonly T[], fallback: T): T {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const text = typeof v === 'number' ? String(v) : v;
    if (typeof text === 'string' && (options as readonly string[]).includes(text)) return text as T;
    this.refuse(key, `is ${describe(v)}, not one of ${options.join(', ')}`);
    return fallback;
  }

  /** true/false (or their text, as older editors stored checkboxes), or `fallback` when absent. */
  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    this.refuse(key, `is ${describe(v)}, not true or false`);
    return fallback;
  }

  /** A number (or its decimal text) within `options`, or `fallback` when absent. */
  number(key: string, fallback: number, options?: NumberOptions): number;
  number(key: string, fallback: undefined, options?: NumberOptions): number | undefined;
  number(key: string, fallback: number | undefined, options: NumberOptions = {}): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const n = storedNumber(v);
    const problem = numberProblem(n, options);
    if (problem === undefined) return n;
    this.refuse(key, `is ${describe(v)}, not ${problem}`);
    return fallback;
  }

  /**
   * `parse(value)` of a present value (a parser that throws a BAD_INPUT says what is wrong), or `fallback`
   * when absent or refused.
   */
  parsed<T>(key: string, parse: (v: unknown) => T, fallback: T): T {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    try {
      return parse(v);
    } catch (err) {
      this.refuse(key, `is not usable: ${err instanceof Error ? err.message : String(err)}`);
      return fallback;
    }
  }

  /** `settings` with `problem` set to summary() when there is one (a config node's settings). */
  finish<S extends { problem?: string }>(settings: S): S {
    const problem = this.summary();
    if (problem) settings.problem = problem;
    return settings;
  }

  /** The problems as one sentence, or undefined when every stored value is usable. */
  summary(): string | undefined {
    return this.problems.length ? `${this.problems.join('; ')}.` : undefined;
  }

  /** The BAD_INPUT every msg gets while the problems last (with a short status text), or undefined. */
  misconfigured(what: string): Misconfigured | undefined {
    const s = this.summary();
    if (s === undefined) return undefined;
    const keys = [...new Set(this.keys)].join(', ');
    return { error: storedSettingsError(what, s), status: `invalid ${keys.length > 30 ? 'settings' : keys}` };
  }
}

/** A node that cannot work as stored: every msg gets `error`; the status shows `status` next to the code. */
export interface Misconfigured {
  error: GatewayError;
  status: string;
}

/** The BAD_INPUT for stored settings a node (`what`: "This node", "The EMS server") cannot use. */
export function storedSettingsError(what: string, summary: string): GatewayError {
  return badInput(`${what} has stored settings it does not know (a hand-edited or imported flow?): ${summary} Open it and choose again.`);
}
