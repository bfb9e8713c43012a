/** The mechanical snake_case -> camelCase conversion of object keys (deep); values are untouched. */
import type { Camelized } from './types';

function camel(key: string): string {
  // The lookbehind starts a match only at the first of a run of underscores: linear on a long run.
  return key.indexOf('_') < 0 ? key : key.replace(/(?<!_)_+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[camel(key)] = convert(inner);
  return out;
}

/** `value` with every object key camelCased; keys whose value is undefined are left out. */
export function camelizeKeys<T>(value: T): Camelized<T> {
  // the one place where the runtime conversion meets its type: Camelized<T> says the same thing as convert()
  return convert(value) as Camelized<T>;
}
