/**
 * What every control shares: reading a value from msg.payload and checking it against what the entity
 * offers (BAD_INPUT, nothing sent), writing numbers and XML the way python-plugwise does, hub ids in
 * paths, and the hub's wall clock. Pure.
 */
import { GatewayError, badInput } from '../../core/errors';
import type { Actuator } from './types';
import { attr, childTags, kids, text, type XmlNode } from './xml';

/** What an entity offers for one control, from the last read: bounds, options, its current value. */
export interface Offer {
  kind: 'number' | 'option' | 'boolean' | 'command';
  current?: number | string | boolean | null;
  /** number: bounds and resolution, in °C. */
  min?: number;
  max?: number;
  step?: number;
  /** option: the values the hub offers. */
  options?: string[];
  /** Why the hub would not act on it now (a locked relay); the control is refused. */
  blocked?: string;
  /** Anna with cooling: the setpoint a `setpoint` number writes (the active one). */
  target?: 'setpointLow' | 'setpointHigh';
}

// ---- reading the entity (works on the loose and on the typed Entity alike) ----

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A bounded value ({lowerBound, upperBound, resolution, setpoint}) as a number offer. */
export function bounded(b: Actuator | undefined, current: number | undefined = b?.setpoint): Offer | undefined {
  if (b === undefined || num(current) === undefined) return undefined;
  return { kind: 'number', current: num(current), min: num(b.lowerBound), max: num(b.upperBound), step: num(b.resolution) };
}

/** A list of options as an option offer ("None" is python-plugwise's placeholder, not an option). */
export function choices(list: unknown, current: unknown): Offer | undefined {
  if (!Array.isArray(list)) return undefined;
  const values = list.filter((v): v is string => typeof v === 'string' && v !== 'None');
  if (values.length === 0) return undefined;
  return { kind: 'option', options: values, current: typeof current === 'string' ? current : null };
}

// ---- value checks: BAD_INPUT, nothing sent ----

export function parseNumber(value: unknown, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw badInput(`${what} needs a number in msg.payload, not ${show(value)}.`);
  return n;
}

export function checkBounds(value: number, offer: Offer, what: string): number {
  const { min, max, step } = offer;
  if ((min !== undefined && value < min - 1e-9) || (max !== undefined && value > max + 1e-9)) {
    throw badInput(`${what} must be between ${min ?? '-∞'} and ${max ?? '∞'} °C (the hub's limits), not ${value}.`);
  }
  if (step !== undefined && step > 0) {
    const steps = value / step;
    if (Math.abs(steps - Math.round(steps)) > 1e-6) throw badInput(`${what} must be a multiple of ${step} °C (the hub's resolution), not ${value}.`);
  }
  return Number(formatNumber(value, step));
}

/** A number from msg.payload inside the offer's bounds, at its resolution. */
export function boundedNumber(payload: unknown, offer: Offer, what: string): number {
  return checkBounds(parseNumber(payload, what), offer, what);
}

const TRUE_WORDS = new Set(['true', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'off', '0']);

/** true/false, 1/0, "on"/"off", "true"/"false"; undefined when the value is none of these. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

export function parseBoolean(value: unknown, what: string): boolean {
  const b = asBoolean(value);
  if (b === undefined) throw badInput(`${what} needs true/false (or "on"/"off") in msg.payload, not ${show(value)}.`);
  return b;
}

/** One of the offer's options: exact, or the only case-insensitive match. */
export function parseOption(value: unknown, offer: Offer, what: string): string {
  const list = offer.options ?? [];
  if (typeof value === 'string') {
    const v = value.trim();
    if (list.includes(value)) return value; // names as the hub writes them, trailing spaces included
    if (list.includes(v)) return v;
    const loose = list.filter((o) => o.trim().toLowerCase() === v.toLowerCase());
    if (loose.length === 1) return loose[0] as string;
  }
  throw badInput(`${what} must be one of ${list.map((o) => `"${o}"`).join(', ')}; not ${show(value)}.`);
}

/** A value for an error message, short and without objects' content. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

// ---- numbers and XML as python-plugwise writes them ----

/** A number at the resolution's decimals (at most 6), without float noise or trailing zeros. */
export function formatNumber(value: number, step?: number): string {
  const decimals = step !== undefined && step > 0 ? Math.min(6, (/\.(\d+)$/.exec(String(step))?.[1] ?? '').length) : 6;
  const s = value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** Python's str(float): what python-plugwise puts in a body ("21.0", "20.5", "-0.5"). */
export function pyFloat(value: number): string {
  const n = value === 0 ? 0 : value;
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

export function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** A parsed element serialized back the way ElementTree writes it (`<a id="x" />`; used for rule contexts). */
export function toXml(tag: string, node: XmlNode | undefined): string {
  if (node === undefined || typeof node === 'string') return node ? `<${tag}>${escapeXml(node)}</${tag}>` : `<${tag} />`;
  const attrs = (node['@'] as Record<string, string> | undefined) ?? {};
  const open = tag + Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
  const inner = escapeXml(text(node) ?? '') + childTags(node).map((c) => kids(node, c).map((k) => toXml(c, k)).join('')).join('');
  return inner === '' ? `<${open} />` : `<${open}>${inner}</${tag}>`;
}

/** The hub's ids (hex) and the few literal words used in paths: nothing else goes into a URL. */
const SAFE_PATH_VALUE = /^[A-Za-z0-9_-]{1,64}$/;

/** A hub id for a path; anything else means the last read's XML lacks what this write needs. */
export function hubId(value: string | undefined, what: string): string {
  if (value === undefined || !SAFE_PATH_VALUE.test(value)) {
    throw new GatewayError('BAD_RESPONSE', `The hub's XML has no usable id for ${what}; read it again and retry.`);
  }
  return value;
}

/** The id attribute of an element, as a path id. */
export const idOf = (node: XmlNode | undefined, what: string): string => hubId(attr(node, 'id'), what);

// ---- the hub's wall clock ----

/** The offset (ms) of an IANA time zone at an instant; undefined when the runtime does not know the zone. */
function zoneOffsetMs(timeZone: string, at: number): number | undefined {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    const m = /^GMT(?:([+-])(\d{2}):?(\d{2}))?$/.exec(part?.value ?? '');
    if (m === null) return undefined;
    return m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  } catch {
    return undefined;
  }
}

export interface HubClock {
  /** The hub's clock as it wrote it, offset included ("2025-10-11T17:08:41+02:00"). */
  time?: string;
  /** The hub's IANA time zone ("Europe/Amsterdam"). */
  timezone?: string;
}

/** Midnight of a date ("2025-12-20") on the hub's wall clock: in its time zone, else at its clock's offset, else UTC. */
export function hubMidnight(date: string, clock: HubClock): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  if (clock.timezone !== undefined) {
    const first = zoneOffsetMs(clock.timezone, utc);
    if (first !== undefined) return utc - (zoneOffsetMs(clock.timezone, utc - first) ?? first);
  }
  const offset = /([+-]\d{2}:?\d{2}|Z)$/.exec(clock.time ?? '')?.[1];
  return offset === undefined ? utc : Date.parse(`${date}T00:00:00${offset}`);
}

/** Start of the hub's current local day (its clock's date), or undefined without a hub clock. */
export function hubDayStart(clock: HubClock): number | undefined {
  const date = /^(\d{4}-\d{2}-\d{2})T/.exec(clock.time ?? '')?.[1];
  return date === undefined ? undefined : hubMidnight(date, clock);
}

/** A Date, epoch ms, an ISO date/time, or a plain date ("2025-12-20": midnight on the hub's clock). */
export function timeOf(value: unknown, what: string, clock: HubClock): number {
  let ms = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') ms = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? hubMidnight(value.trim(), clock) : Date.parse(value);
  if (!Number.isFinite(ms)) throw badInput(`${what} must be a Date, an ISO date/time or epoch ms, not ${show(value)}.`);
  return ms;
}
