import { badInput } from '../../core/errors';
import type { CommandMap, CommandSchema, ParamSchema, SettingDescriptor } from './types';

/**
 * Checks a command's params against the schema the device publishes (GET .../commands) and a setting's
 * new value against its descriptor, BEFORE anything is sent. Unknown types and constraints are let
 * through (the API may add them); known ones are enforced.
 */

type Check = { ok: true; value: unknown } | { ok: false; expected: string };

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

const checkNumber = (v: unknown): Check => {
  const n = asNumber(v);
  return n === undefined ? { ok: false, expected: 'a number' } : { ok: true, value: n };
};
const checkInteger = (v: unknown): Check => {
  const n = asNumber(v);
  return n === undefined || !Number.isInteger(n) ? { ok: false, expected: 'a whole number' } : { ok: true, value: n };
};
const checkBoolean = (v: unknown): Check => {
  if (typeof v === 'boolean') return { ok: true, value: v };
  if (v === 'true' || v === 'false') return { ok: true, value: v === 'true' };
  return { ok: false, expected: 'true or false' };
};

/** Type name (lowercase) -> how a value is checked and normalized. Other types are not checked. */
const TYPE_CHECKS: Readonly<Record<string, (v: unknown) => Check>> = {
  number: checkNumber,
  float: checkNumber,
  double: checkNumber,
  integer: checkInteger,
  int: checkInteger,
  boolean: checkBoolean,
  bool: checkBoolean,
  string: (v) => (typeof v === 'string' ? { ok: true, value: v } : { ok: false, expected: 'a string' }),
  object: (v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ok: true, value: v } : { ok: false, expected: 'an object' }),
  array: (v) => (Array.isArray(v) ? { ok: true, value: v } : { ok: false, expected: 'an array' }),
};

/** Where a schema may list its allowed values (on the param itself or in its constraints). */
const OPTION_KEYS = ['options', 'enum', 'values', 'allowedValues'] as const;

export function optionsOf(schema: Record<string, unknown> | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  const places = [schema, schema.constraints as Record<string, unknown> | undefined];
  for (const place of places) {
    if (!place || typeof place !== 'object') continue;
    for (const k of OPTION_KEYS) if (Array.isArray(place[k])) return (place[k] as unknown[]).map(optionValue);
  }
  return undefined;
}

/** An option may be a bare value or `{value, label}`. */
function optionValue(o: unknown): unknown {
  return o && typeof o === 'object' && 'value' in o ? (o as { value: unknown }).value : o;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

/** The option matching `v` (strings compare case-insensitively), or undefined. */
function matchOption(options: unknown[], v: unknown): { value: unknown } | undefined {
  for (const o of options) {
    if (o === v) return { value: o };
    if (typeof o === 'string' && typeof v === 'string' && o.toLowerCase() === v.toLowerCase()) return { value: o };
    if (typeof o === 'number' && asNumber(v) === o) return { value: o };
  }
  return undefined;
}

/** One value against one schema: the normalized value, or the problem in words. */
export function checkValue(name: string, schema: ParamSchema | SettingDescriptor, raw: unknown): { value: unknown } | { problem: string } {
  let value = raw;
  const type = typeof schema.type === 'string' ? schema.type.toLowerCase() : undefined;
  const options = optionsOf(schema as Record<string, unknown>);
  if (options) {
    const hit = matchOption(options, value);
    if (!hit) return { problem: `${name} must be one of ${options.map(show).join(', ')}, not ${show(value)}` };
    value = hit.value;
  }
  const check = type ? TYPE_CHECKS[type] : undefined;
  if (check) {
    const r = check(value);
    if (!r.ok) return { problem: `${name} must be ${r.expected}, not ${show(value)}` };
    value = r.value;
  }
  if (typeof value === 'number') {
    // A bound in `constraints` wins over one on the param itself.
    const constraints = schema.constraints as Record<string, unknown> | undefined;
    const bound = (k: string): number | undefined =>
      asNumber(constraints && Object.prototype.hasOwnProperty.call(constraints, k) ? constraints[k] : (schema as Record<string, unknown>)[k]);
    const min = bound('min');
    const max = bound('max');
    const step = bound('step');
    if (min !== undefined && value < min) return { problem: `${name} ${value} is below the minimum ${min}` };
    if (max !== undefined && value > max) return { problem: `${name} ${value} is above the maximum ${max}` };
    if (step !== undefined && step > 0) {
      const k = (value - (min ?? 0)) / step;
      if (Math.abs(k - Math.round(k)) > 1e-9 * Math.max(1, Math.abs(k))) {
        return { problem: `${name} ${value} is not on the ${step} step${min !== undefined ? ` from ${min}` : ''}` };
      }
    }
  }
  return { value };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Params checked against the command's schema: every required one present, each of the right type and
 * within min/max/step, no unknown name. Returns the params to send (numbers from numeric strings);
 * throws BAD_INPUT naming every problem.
 */
export function validateParams(device: string, key: string, schema: CommandSchema, params: unknown): Record<string, unknown> {
  if (params !== undefined && params !== null && !isPlainObject(params)) {
    throw badInput(`The params of command "${key}" must be an object such as {"temperature": 21}, not ${show(params)}.`);
  }
  const given = (params ?? {}) as Record<string, unknown>;
  const defs: Record<string, ParamSchema> = isPlainObject(schema.params) ? (schema.params as Record<string, ParamSchema>) : {};
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const v = given[name];
    if (v === undefined || v === null || v === '') {
      if (def?.required === true) problems.push(`${name} is required`);
      continue;
    }
    const r = checkValue(name, def ?? {}, v);
    if ('problem' in r) problems.push(r.problem);
    else out[name] = r.value;
  }
  const unknown = Object.keys(given).filter((k) => !Object.prototype.hasOwnProperty.call(defs, k) && given[k] !== undefined);
  if (unknown.length) {
    const known = Object.keys(defs);
    problems.push(`${unknown.join(', ')} ${unknown.length > 1 ? 'are not parameters' : 'is not a parameter'} of "${key}" (${known.length ? `it takes ${known.join(', ')}` : 'it takes none'})`);
  }
  if (problems.length) throw badInput(`Command "${key}" for device ${device} was not sent: ${problems.join('; ')}.`, problems[0]);
  return out;
}

/** The command's schema from the map, or BAD_INPUT naming the commands the device has. */
export function commandSchema(device: string, commands: CommandMap, key: string): CommandSchema {
  const schema = Object.prototype.hasOwnProperty.call(commands, key) ? commands[key] : undefined;
  if (!schema || typeof schema !== 'object') {
    const list = Object.keys(commands);
    throw badInput(`Device ${device} has no command "${key}"${list.length ? `: it offers ${list.join(', ')}` : ''}.`, `no command "${key}"`);
  }
  return schema;
}

/** A setting's new value checked against its descriptor (editable, options, type). */
export function validateSetting(device: string, key: string, descriptor: SettingDescriptor, value: unknown): unknown {
  if (value === undefined || value === null) throw badInput(`Setting "${key}" needs its new value in msg.payload.`);
  if (descriptor.editable === false) throw badInput(`Setting "${key}" of device ${device} is read-only (editable: false); nothing was sent.`, `"${key}" is read-only`);
  const r = checkValue(key, descriptor, value);
  if ('problem' in r) throw badInput(`Setting "${key}" of device ${device} was not changed: ${r.problem}.`, r.problem);
  return r.value;
}

/** `keyboardLocked` finds `keyboard_locked`: the key as given, or the one that camelCases to it. */
export function findSettingKey(settings: Record<string, unknown>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(settings, key)) return key;
  // The lookbehind starts a match only at the first of a run of separators: linear on a long run.
  const camel = (k: string): string => k.replace(/(?<![_-])[_-]+([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
  return Object.keys(settings).find((k) => camel(k) === key || camel(k) === camel(key));
}
