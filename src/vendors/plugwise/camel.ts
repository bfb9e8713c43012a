/** The mechanical snake_case -> camelCase conversion of object keys (deep); values are untouched. */

function camel(key: string): string {
  // The lookbehind starts a match only at the first of a run of underscores: linear on a long run.
  return key.indexOf('_') < 0 ? key : key.replace(/(?<!_)_+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[camel(key)] = camelizeKeys(inner);
  return out;
}
