import { badInput } from '../../core/errors';
import type { NodeMessage } from './red';

/** msg[key] when the msg has it as its own, non-empty property; otherwise the node's setting. */
export function override<T>(msg: NodeMessage, key: string, fallback: T): unknown {
  if (!Object.prototype.hasOwnProperty.call(msg, key)) return fallback;
  const value = msg[key];
  return value === undefined || value === null || value === '' ? fallback : value;
}

/** A short description of a value for error messages (never the value itself when it is large). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}

/** The longest id or name a string override takes: every id of these APIs is far shorter (32-36). */
export const MAX_ID_LENGTH = 256;

/**
 * A string override (a finite number is taken as its string). A value of another type, or a string
 * longer than `maxLength` (it would only become a huge URL or a slow lookup), is BAD_INPUT.
 */
export function stringOverride(msg: NodeMessage, key: string, fallback: string | undefined, maxLength = MAX_ID_LENGTH): string | undefined {
  const v = override(msg, key, fallback);
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw badInput(`msg.${key} must be a string, not ${describe(v)}.`);
  if (v.length > maxLength) throw badInput(`msg.${key} is ${v.length} characters long: an id or name has at most ${maxLength}.`);
  return v.trim();
}
