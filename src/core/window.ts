import { badInput } from './errors';
import { accepts } from './settings';
import { describe } from './text';

/**
 * A history window as users give it, for every history node (ems-history, plugwise-history):
 * msg.start / msg.end (Date, ISO 8601 string or ms since the epoch) or a relative range ("24h", "7d").
 * Everything is ms since the epoch.
 */

/** The last ms of the year 9999: later is no date a user means (and ISO strings stop there). */
const MAX_DATE_MS = 253_402_300_799_999;

/**
 * msg.start / msg.end: a Date, an ISO 8601 string, or ms since the epoch (number or digits), from 1970
 * to the year 9999. Outside that there is no reading a meter can hold: -1e308 would go out as "-1e+308".
 */
export function toEpochMs(value: unknown, name: string): number {
  let ms: number | undefined;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    ms = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  }
  if (ms === undefined || !Number.isFinite(ms)) {
    throw badInput(`msg.${name} must be a Date, an ISO date string or ms since the epoch, not ${describe(value)}.`);
  }
  if (ms < 0 || ms > MAX_DATE_MS) {
    throw badInput(`msg.${name} (${describe(value)}) is ${ms < 0 ? 'before 1970' : 'after the year 9999'}: give a time between 1970 and 9999.`);
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

/** The longest relative range: 10 years (a longer one is a typo; msg.start and msg.end reach further). */
export const MAX_RANGE_MS = 3650 * 86_400_000;

/** "24h", "7d", "90 min", "1.5h", "2w" -> ms; at least 1 s, at most 3650d. */
export function parseRange(text: unknown): number {
  const m = typeof text === 'string' ? RANGE_PATTERN.exec(text) : null;
  const unit = m?.[2]?.toLowerCase();
  const ms = m && unit ? Math.round(Number(m[1]) * (UNIT_MS[unit] ?? NaN)) : NaN;
  if (!Number.isFinite(ms) || ms < 1000) {
    throw badInput(`The range ${describe(text)} is not a duration: write it like 24h, 7d, 90min or 2w.`);
  }
  if (ms > MAX_RANGE_MS) {
    throw badInput(`The range ${describe(text)} is longer than 10 years (3650d): shorten it, or give msg.start and msg.end.`);
  }
  return ms;
}

/** The editor's check of the range field: the runtime's own. */
export function isRange(text: unknown): boolean {
  return accepts(parseRange, text);
}

export interface WindowInput {
  start?: unknown;
  end?: unknown;
  range?: unknown;
}

/** The history window: msg.start/msg.end when given, else the relative range ending at end (or now). */
export function resolveWindow(input: WindowInput, now: number): { start: number; end: number } {
  const end = present(input.end) ? toEpochMs(input.end, 'end') : now;
  const range = input.range ?? '24h';
  const start = present(input.start) ? toEpochMs(input.start, 'start') : end - parseRange(range);
  if (start < 0) throw badInput(`The range ${describe(range)} reaches back before 1970 from ${iso(end)}: shorten it, or give msg.start.`);
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
