/**
 * Value codecs of the controller table: a user's payload -> the number sent, and the number the server
 * reports -> the payload out. Input errors are BAD_INPUT (raised before anything is sent); a reply that
 * cannot be decoded is BAD_RESPONSE.
 */
import { badInput, badResponse } from '../../core/errors';
import type { Capability } from './controllers';

// One way to match each string (no `\d+\.?\d*`, which backtracks quadratically on a long run of digits).
const NUMERIC = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const ON_WORDS: Readonly<Record<string, number>> = { on: 1, off: 0, true: 1, false: 0 };

/** A value as shown in an error (short, never a whole object). */
export function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

/** A number from a number or a numeric string ("20.5"); undefined otherwise (NaN and ±Infinity too). */
export function toNumber(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && NUMERIC.test(value.trim())) n = Number(value.trim());
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** A decimal as the server wants it: "." separator, no exponent, at most 6 decimals. */
export function formatDecimal(n: number): string {
  const rounded = Math.round(n * 1e6) / 1e6;
  const text = String(rounded === 0 ? 0 : rounded);
  return /e/i.test(text) ? rounded.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 6 }) : text;
}

/** A table entry by name, never an Object.prototype member ("constructor", "__proto__" are not words). */
function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function label(cap: Capability): string {
  return `"${cap.name}"`;
}

/** The wire number of a set, checked against the capability's codec. */
export function encodeValue(cap: Capability, value: unknown): number {
  switch (cap.codec) {
    case 'switch': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const word = typeof value === 'string' ? ownValue(ON_WORDS, value.trim().toLowerCase()) : undefined;
      if (word !== undefined) return word;
      const n = toNumber(value);
      if (n === 0 || n === 1) return n;
      throw badInput(`${label(cap)} takes true/false, 1/0 or "on"/"off", not ${shown(value)}.`);
    }
    case 'percent':
    case 'number': {
      const n = toNumber(value);
      if (n === undefined) {
        const hint = typeof value === 'string' && /^\s*-?\d+,\d+\s*$/.test(value) ? ' (use "." as the decimal separator)' : '';
        throw badInput(`${label(cap)} takes a number, not ${shown(value)}${hint}.`);
      }
      const range = cap.range;
      if (range && (n < range.min || n > range.max)) {
        throw badInput(`${shown(value)} is outside the range of ${label(cap)} (${range.min} to ${range.max}${cap.unit ? ` ${cap.unit}` : ''}).`);
      }
      return cap.codec === 'percent' ? Math.round(n) : n;
    }
    case 'choice':
      return encodeChoice(cap, value);
    case 'action':
      return cap.set?.fixed ?? 1;
    default:
      throw badInput(`${label(cap)} has no simple value.`);
  }
}

function encodeChoice(cap: Capability, value: unknown): number {
  const names = cap.names ?? [];
  const choices = names.map((n, i) => `"${n}" (${i})`).join(', ');
  if (typeof value === 'boolean' && cap.booleans) return value ? 1 : 0;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase().replace(/[_\s]+/g, ' ');
    const index = names.indexOf(word);
    if (index >= 0) return index;
    const alias = cap.aliases ? ownValue(cap.aliases, word) : undefined;
    if (alias !== undefined) return alias;
  }
  const n = toNumber(value);
  if (n !== undefined && Number.isInteger(n) && n >= 0 && n < names.length) return n;
  throw badInput(`${label(cap)} takes ${choices}, not ${shown(value)}.`);
}

/** The payload of a set sent without feedback: the requested value in the output's form. */
export function requestedOutput(cap: Capability, wire: number): unknown {
  switch (cap.codec) {
    case 'switch':
      return wire === 1;
    case 'choice':
      return cap.names?.[wire];
    case 'action':
      return cap.name;
    default:
      return wire;
  }
}

/** The payload from a `status` the server reported; BAD_RESPONSE when it is not one this codec knows. */
export function decodeStatus(cap: Capability, status: unknown, who: string): unknown {
  const n = typeof status === 'boolean' ? (status ? 1 : 0) : toNumber(status);
  const bad = (what: string): Error =>
    badResponse(`${who} reported ${shown(status)} as the ${cap.name} status, which is not ${what}.`);
  switch (cap.codec) {
    case 'switch':
      if (n === 0 || n === 1) return n === 1;
      throw bad('0 or 1');
    case 'choice': {
      const name = n !== undefined && Number.isInteger(n) ? cap.names?.[n] : undefined;
      if (name === undefined) throw bad(`one of 0-${(cap.names?.length ?? 1) - 1}`);
      return name;
    }
    case 'percent':
    case 'number':
      if (n === undefined) throw bad('a number');
      return n;
    default:
      return status;
  }
}
