/**
 * A small deterministic fuzz generator (no packages): a seeded PRNG, pools of hostile values (wrong
 * types, 1 MB strings shaped to trip regular expressions, NaN/Infinity/-0, nested junk, Buffers, Dates,
 * own `__proto__`/`constructor`/`prototype` keys), and msgs built from a node's spec:
 * - `invalid` msgs: a msg the node accepts with ONE key broken by a value the contract calls bad input
 *   (so the node must answer BAD_INPUT and send nothing), plus neutral junk the node must ignore;
 * - `free` msgs: every key the node reads set at random (valid or not): the node must survive them
 *   and answer each exactly once.
 * The same (seed, index) always gives the same msg, so a msg can be rebuilt and sent again.
 */

/** mulberry32: 32-bit state, good enough to spread cases, fully reproducible. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }
}

const MB = 1024 * 1024;
let hugeCache: string[] | undefined;

/**
 * 1 MB strings, built once and shared (a msg holds a reference, not a copy). Their shapes target
 * backtracking patterns: digits then junk (number patterns), underscores (camelCase), spaces, a comma
 * list (uid lists), slashes (group addresses), dots, and a plain letter run.
 */
export function hugeStrings(): string[] {
  hugeCache ??= [
    `${'1'.repeat(MB)}x`,
    `1.${'1'.repeat(MB)}e`,
    '_'.repeat(MB),
    `${' '.repeat(MB)}x`,
    '1,'.repeat(MB / 2),
    '1/'.repeat(MB / 2),
    '.'.repeat(MB),
    'a'.repeat(MB),
    `${'-'.repeat(MB)}1`,
    `dpt${' '.repeat(MB)}9.`,
    `${'€'.repeat(MB / 4)}`,
  ];
  return hugeCache;
}

/** Objects carrying prototype keys as OWN properties (JSON.parse and defineProperty make them so). */
export function protoObject(rng: Rng): Record<string, unknown> {
  switch (rng.int(4)) {
    case 0:
      return JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}') as Record<string, unknown>;
    case 1:
      return JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as Record<string, unknown>;
    case 2: {
      const o: Record<string, unknown> = {};
      Object.defineProperty(o, '__proto__', { value: { polluted: 'yes' }, enumerable: true, configurable: true, writable: true });
      return o;
    }
    default:
      return JSON.parse('{"prototype": {"polluted": "yes"}, "__proto__": [], "toString": "x", "valueOf": 7}') as Record<string, unknown>;
  }
}

export const PROTO_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'] as const;

const NUMBERS = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 31), 1e21, 255, 256, 101] as const;
const STRINGS = ['', ' ', '\t\n', 'get', 'GET ', 'on', 'off', 'true', 'null', 'undefined', 'NaN', '-0', '0x10', '1e999', '١٢', '💥', '<a>&amp;</a>', '%00', '\u0000', '../..', '..', '.', '1,2', '1/2/3', '{"a":1}'] as const;

/** A value that is not a string and not a finite number (a string override must refuse it). */
export function notText(rng: Rng, depth = 0): unknown {
  switch (rng.int(12)) {
    case 0:
      return rng.pick([NaN, Infinity, -Infinity]);
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? [] : [junk(rng, depth + 1)];
    case 3:
      return Buffer.from(rng.chance(0.5) ? 'device' : '\u0000\u00ff');
    case 4:
      return new Date(rng.chance(0.5) ? 0 : NaN);
    case 5:
      return protoObject(rng);
    case 6:
      return { nested: { deeper: [junk(rng, depth + 1)] } };
    case 7:
      return new Map([['a', 1]]);
    case 8:
      return /regex/g;
    case 9:
      return new Uint8Array([1, 2, 3]);
    case 10:
      return {};
    default:
      return nest(rng, 8 + rng.int(40));
  }
}

/** Arrays within objects within arrays, `levels` deep. */
function nest(rng: Rng, levels: number): unknown {
  let v: unknown = rng.pick(NUMBERS);
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { v };
  return v;
}

/** Anything at all (JSON-like junk, special numbers, huge strings, Buffers, Dates, prototype keys). */
export function junk(rng: Rng, depth = 0): unknown {
  if (depth > 3) return rng.pick(NUMBERS);
  switch (rng.int(9)) {
    case 0:
    case 1:
      return rng.pick(NUMBERS);
    case 2:
    case 3:
      return rng.pick([...STRINGS, ...PROTO_WORDS]);
    case 4:
      return rng.pick(hugeStrings());
    case 5:
      return rng.pick([null, undefined, true, false]);
    case 6:
      return rng.chance(0.02) ? Buffer.alloc(MB, 0x31) : notText(rng, depth);
    case 7:
      return Array.from({ length: rng.int(5) }, () => junk(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = rng.chance(0.3) ? protoObject(rng) : {};
      for (let i = rng.int(4); i > 0; i--) o[rng.pick(['a', 'value', 'mode', 'params', ...PROTO_WORDS])] = junk(rng, depth + 1);
      return o;
    }
  }
}

/** The 1 MB strings that are still long once trimmed (an id check trims first). */
export function hugeUntrimmable(): string[] {
  return hugeStrings().filter((s) => s.trim().length > 1000);
}

/** A string value the node must refuse: not a string at all, or a 1 MB one. */
export function badText(rng: Rng): unknown {
  return rng.chance(0.75) ? notText(rng) : rng.pick(hugeStrings());
}

/** A value outside a list of names: another string (case, spaces, prototype words, huge) or another type. */
export function badName(names: readonly string[]): (rng: Rng) => unknown {
  return (rng) => {
    const r = rng.int(6);
    if (r === 0) return `${rng.pick(names).toUpperCase()}!`;
    if (r === 1) return ` ${rng.pick(names)}x`;
    if (r === 2) return rng.pick(PROTO_WORDS);
    if (r === 3) return rng.pick(hugeStrings());
    if (r === 4) return rng.pick(NUMBERS.filter((n) => n !== 0 && !Object.is(n, -0)));
    return notText(rng);
  };
}

export interface FuzzCase {
  /** A msg the node accepts as configured (one per operation/capability/scope...). */
  valid: Record<string, unknown>;
  /** Keys of `valid` that, given a value from the spec's `invalid` pool, make the msg BAD_INPUT. */
  breakable: readonly string[];
  /** More keys to break for this msg only (`payload` above all), with their own pools of bad values. */
  bad?: Readonly<Record<string, (rng: Rng) => unknown>>;
}

export interface FuzzSpec {
  cases: readonly FuzzCase[];
  /** Per key: a generator of values the node must refuse for that key. */
  invalid: Readonly<Record<string, (rng: Rng) => unknown>>;
  /** Every msg key the node reads (a free msg sets these at random). */
  keys: readonly string[];
  /** Valid values per key, mixed into free msgs so they reach deeper code. */
  good?: Readonly<Record<string, readonly unknown[]>>;
  /** Msgs that must still succeed after the fuzzing (default: every case's valid msg). */
  after?: readonly Record<string, unknown>[];
  /** Free msgs: replaces a value that would make a valid request needlessly large (e.g. a huge page size). */
  tame?: (key: string, value: unknown) => unknown;
}

export interface FuzzMsg {
  msg: Record<string, unknown>;
  /** True when the spec says the node must answer BAD_INPUT. */
  invalid: boolean;
  /** What was broken (for failure messages). */
  why: string;
}

/** Junk under keys no node reads, including own prototype keys on the msg itself. */
function decorate(rng: Rng, msg: Record<string, unknown>): void {
  for (let i = rng.int(4); i > 0; i--) {
    const key = rng.pick(['junk', 'extra', 'data', 'prototype', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'req']);
    if (key === 'req') continue; // Node-RED treats msg.req/res specially (http in); not fuzzed here
    Object.defineProperty(msg, key, { value: junk(rng), enumerable: true, configurable: true, writable: true });
  }
}

/** Msg number `index` of the corpus of `seed` (the same arguments always give the same msg). */
export function fuzzMsg(spec: FuzzSpec, seed: number, index: number, kind: 'invalid' | 'free'): FuzzMsg {
  const rng = new Rng((seed * 1_000_003 + index * 7919) ^ (kind === 'free' ? 0x5bd1e995 : 0));
  rng.next();
  if (kind === 'invalid') {
    const c = rng.pick(spec.cases);
    const msg: Record<string, unknown> = { ...c.valid };
    const key = rng.pick([...c.breakable, ...Object.keys(c.bad ?? {})]);
    const value = (c.bad?.[key] ?? spec.invalid[key]!)(rng);
    decorate(rng, msg);
    msg[key] = value;
    return { msg, invalid: true, why: `${JSON.stringify(c.valid)} with ${key} = ${show(value)}` };
  }
  const msg: Record<string, unknown> = rng.chance(0.5) ? { ...rng.pick(spec.cases).valid } : {};
  for (const key of [...spec.keys, 'payload']) {
    if (!rng.chance(0.4)) continue;
    const good = spec.good?.[key];
    let value = good && rng.chance(0.5) ? rng.pick(good) : junk(rng);
    if (spec.tame) value = spec.tame(key, value);
    msg[key] = value;
  }
  decorate(rng, msg);
  return { msg, invalid: false, why: 'free' };
}

/** A short description of a fuzz value for assertion messages. */
export function show(v: unknown): string {
  try {
    return describeValue(v);
  } catch {
    return 'an object with a hostile prototype';
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 30 ? `a ${v.length}-char string (${JSON.stringify(v.slice(0, 12))}...)` : JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (Buffer.isBuffer(v)) return `a Buffer(${v.length})`;
  if (v instanceof Date) return `a Date(${v.getTime()})`;
  if (Array.isArray(v)) return `an array(${v.length})`;
  if (v === null || typeof v !== 'object') return String(v);
  return `an object {${Object.getOwnPropertyNames(v).slice(0, 4).join(', ')}}`;
}
