/**
 * A value held by an action node (plugwise-control, thinknx-control): the editor's typed input
 * `value` + `valueType`. The rule users rely on: msg.payload wins whenever the msg has one (any value but
 * undefined); the node's value is used only for a msg without a payload. An inject node's default
 * payload (a timestamp) is a payload: to send the node's value from an inject, remove msg.payload from
 * the inject's properties.
 * The checks are pure (no Node-RED import), so the editor's validator and the runtime read a stored
 * value the same way.
 */
import { badInput } from '../../core/errors';
import { storedNumber, type StoredSettings } from '../../core/settings';
import { describe, hasControls } from '../../core/text';
import type { Node, NodeAPI, NodeMessage } from './red';

/** The typed input's types: literals, then where to read the value at each msg. */
export const VALUE_TYPES = ['str', 'num', 'bool', 'json', 'msg', 'flow', 'global', 'env'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];
const LITERAL: readonly ValueType[] = ['str', 'num', 'bool', 'json'];

/** The node's value as stored: none, a literal, or a place to read it from at each msg. */
export type StoredValue = { kind: 'none' } | { kind: 'literal'; value: unknown } | { kind: 'source'; type: ValueType; path: string };

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Reads a stored `value` of `type` (an absent type is `str`, as flows saved before the property
 * existed); throws a BAD_INPUT saying what is wrong. An empty value is "no value" (bool excepted:
 * it always holds true or false).
 */
export function readStoredValue(type: unknown, value: unknown): StoredValue {
  const t = blank(type) ? 'str' : type;
  if (!(VALUE_TYPES as readonly unknown[]).includes(t)) throw badInput(`its type is ${describe(type)}, not one of ${VALUE_TYPES.join(', ')}`);
  const vt = t as ValueType;
  if (vt === 'bool') {
    if (value === true || value === 'true') return { kind: 'literal', value: true };
    if (value === false || value === 'false') return { kind: 'literal', value: false };
    throw badInput(`${describe(value)} is not true or false`);
  }
  if (blank(value)) return { kind: 'none' };
  if (vt === 'num') {
    const n = storedNumber(value);
    if (!Number.isFinite(n)) throw badInput(`${describe(value)} is not a number`);
    return { kind: 'literal', value: n };
  }
  if (typeof value !== 'string') {
    if (vt === 'str' && typeof value === 'number') return { kind: 'literal', value: String(value) };
    throw badInput(`${describe(value)} is not text`);
  }
  if (vt === 'str') return { kind: 'literal', value };
  if (vt === 'json') {
    try {
      return { kind: 'literal', value: JSON.parse(value) };
    } catch {
      throw badInput(`${describe(value)} is not JSON`);
    }
  }
  const path = value.trim();
  if (hasControls(path) || path.length > 256) throw badInput(`${describe(value)} is not a ${vt} property name`);
  return { kind: 'source', type: vt, path };
}

/** For the editor's validator: true, or what is wrong with this value of this type. */
export function storedValueProblem(type: unknown, value: unknown): string | undefined {
  try {
    readStoredValue(type, value);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function isLiteralType(type: unknown): boolean {
  return (LITERAL as readonly unknown[]).includes(type);
}

/** "msg.topic", "flow.setpoint", "env.LIVING_ROOM": where a source reads from, for messages. */
export function sourceName(v: { type: ValueType; path: string }): string {
  return `${v.type}.${v.path}`;
}

interface ValueRED {
  util: {
    evaluateNodeProperty(value: string, type: string, node: Node, msg: NodeMessage, callback: (err: Error | null, result: unknown) => void): void;
    normalisePropertyExpression?(expr: string): unknown;
    parseContextStore?(key: string): { key: string; store?: string };
  };
}

/**
 * The node's value, read from its stored settings (a problem is recorded in `stored`, so the node
 * refuses every msg with BAD_INPUT while it lasts). `resolve(msg)` gives what the node acts on:
 * msg.payload when present, otherwise the node's value (read from msg/flow/global/env at that moment);
 * undefined when there is neither.
 */
export function nodeValue(RED: NodeAPI, node: Node, stored: StoredSettings): { resolve(msg: NodeMessage): Promise<unknown>; has: boolean } {
  const red = RED as unknown as ValueRED;
  // The type is one of the typed input's (the helper for stored choices); the value is read as that type.
  const type = stored.choice('valueType', VALUE_TYPES, 'str');
  const own = stored.parsed<StoredValue>(
    'value',
    (raw) => {
      const v = readStoredValue(type, raw);
      if (v.kind === 'source') checkPath(red, v);
      return v;
    },
    { kind: 'none' },
  );
  return {
    has: own.kind !== 'none',
    async resolve(msg: NodeMessage): Promise<unknown> {
      if (msg.payload !== undefined) return msg.payload;
      if (own.kind === 'none') return undefined;
      if (own.kind === 'literal') return own.value;
      const result = await new Promise<unknown>((resolve, reject) => {
        try {
          red.util.evaluateNodeProperty(own.path, own.type, node, msg, (err, v) => (err ? reject(err) : resolve(v)));
        } catch (err) {
          reject(err);
        }
      }).catch((err: unknown) => {
        throw badInput(`The node's value ${sourceName(own)} could not be read: ${err instanceof Error ? err.message : String(err)}.`);
      });
      if (result === undefined) throw badInput(`The node's value is ${sourceName(own)}, which is not set: set it, or send the value in msg.payload.`);
      return result;
    },
  };
}

/** A msg/flow/global property must be one Node-RED can read ("a.b[0]"), checked at deploy. */
function checkPath(red: ValueRED, v: { type: ValueType; path: string }): void {
  if (v.type === 'env') return;
  const key = v.type === 'msg' ? v.path : (red.util.parseContextStore?.(v.path).key ?? v.path);
  try {
    red.util.normalisePropertyExpression?.(key);
  } catch {
    throw badInput(`${describe(v.path)} is not a ${v.type} property name (such as "setpoint" or "room.setpoint")`);
  }
}
