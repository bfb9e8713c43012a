import { badInput } from '../../core/errors';
import { describe, hasControls } from '../../core/text';
import type { NodeMessage } from './red';

export { describe };

/** msg[key] when the msg has it as its own, non-empty property; otherwise the node's setting. */
export function override<T>(msg: NodeMessage, key: string, fallback: T): unknown {
  if (!Object.prototype.hasOwnProperty.call(msg, key)) return fallback;
  const value = msg[key];
  return value === undefined || value === null || value === '' ? fallback : value;
}

/** The longest id or name a string override takes: every id of these APIs is far shorter (32-36). */
export const MAX_ID_LENGTH = 256;

/**
 * A string override (a finite number is taken as its string), trimmed. BAD_INPUT for what no user means
 * as an id: a value of another type, a string longer than `maxLength` (it would only become a huge URL or
 * a slow lookup), one of only white space (" " is not an id: leave msg[key] out for the node's setting),
 * or one holding control characters (CR, LF, ESC...).
 */
export function stringOverride(msg: NodeMessage, key: string, fallback: string | undefined, maxLength = MAX_ID_LENGTH): string | undefined {
  const v = override(msg, key, fallback);
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw badInput(`msg.${key} must be a string, not ${describe(v)}.`);
  if (v.length > maxLength) throw badInput(`msg.${key} is ${v.length} characters long: an id or name has at most ${maxLength}.`);
  const text = v.trim();
  if (v === fallback) return text;
  if (!text) throw badInput(`msg.${key} is only white space: give an id, or leave msg.${key} out to use the node's setting.`);
  if (hasControls(text)) throw badInput(`msg.${key} holds control characters (${describe(text)}): an id or name has none.`);
  return text;
}
