import { badInput } from '../../core/errors';

/**
 * Time on the EMS Webapi: query `start`/`end` are ms; history `t`/`p` come in seconds and realtime `t` in
 * ms. Everything leaves this package as ms since the epoch.
 */

/** Below this a timestamp is taken as seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_LIMIT = 1e11;

/** A timestamp documented as seconds, as ms. A value already in ms (a firmware that changed) is kept. */
export function secondsToMs(value: unknown): number | undefined {
  const n = finite(value);
  if (n === undefined) return undefined;
  return Math.abs(n) < SECONDS_LIMIT ? Math.round(n * 1000) : n;
}

/** A timestamp documented as ms, kept (a seconds value, as some firmware sends, becomes ms). */
export function keepMs(value: unknown): number | undefined {
  return secondsToMs(value);
}

function finite(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** The largest |ms| a JavaScript Date holds (about 275,000 years either side of 1970). */
const MAX_DATE_MS = 8.64e15;

/** msg.start / msg.end: a Date, an ISO 8601 string, or ms since the epoch (number or digits). */
export function toEpochMs(value: unknown, name: string): number {
  let ms: number | undefined;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    ms = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  }
  // Beyond ±8.64e15 ms there is no date (new Date(ms) is invalid): -1e308 would go out as "-1e+308".
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw badInput(`msg.${name} must be a Date, an ISO date string or ms since the epoch, not ${shortly(value)}.`);
  }
  return Math.round(ms);
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A relative range: a number and a unit (s, m or min, h, d, w). */
export const RANGE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(s|min|m|h|d|w)\s*$/i;

/** "24h", "7d", "90 min", "1.5h", "2w" -> ms. */
export function parseRange(text: unknown): number {
  const m = typeof text === 'string' ? RANGE_PATTERN.exec(text) : null;
  const unit = m?.[2]?.toLowerCase();
  const ms = m && unit ? Number(m[1]) * (UNIT_MS[unit] ?? NaN) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw badInput(`The range ${shortly(text)} is not a duration: write it like 24h, 7d, 90min or 2w.`);
  }
  return Math.round(ms);
}

export interface WindowInput {
  start?: unknown;
  end?: unknown;
  range?: unknown;
}

/** The history window: msg.start/msg.end when given, else the relative range ending at end (or now). */
export function resolveWindow(input: WindowInput, now: number): { start: number; end: number } {
  const end = present(input.end) ? toEpochMs(input.end, 'end') : now;
  const start = present(input.start) ? toEpochMs(input.start, 'start') : end - parseRange(input.range ?? '24h');
  if (start >= end) {
    throw badInput(`The history window is empty: start (${iso(start)}) must be before end (${iso(end)}).`);
  }
  return { start, end };
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function shortly(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? 'a long string' : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  if (v instanceof Date) return 'an invalid Date';
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}
