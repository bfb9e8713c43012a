/**
 * What a plugwise-history read may ask for, checked the same way by the runtime and the editor (this file
 * imports nothing that cannot run in a browser).
 */
import { badInput } from '../../core/errors';
import { accepts } from '../../core/settings';
import { describe } from '../../core/text';

/**
 * The aggregation steps a Smile logs in (the `interval` of its interval logs and of `@interval`), with the
 * length each stands for when a range is sized (a month counted as 31 days).
 */
export const HISTORY_INTERVALS: Readonly<Record<string, number>> = {
  PT5M: 300_000,
  PT15M: 900_000,
  PT1H: 3_600_000,
  PT3H: 10_800_000,
  P1D: 86_400_000,
  P1W: 604_800_000,
  P1M: 2_678_400_000,
};
export const HISTORY_INTERVAL_NAMES = Object.keys(HISTORY_INTERVALS);

/** `PT1H`, `p1d` -> the hub's spelling; '' or undefined -> undefined (the hub's own steps). */
export function parseInterval(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const name = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  if (name === '') return undefined;
  if (name !== undefined && Object.hasOwn(HISTORY_INTERVALS, name)) return name;
  throw badInput(`The interval ${describe(value)} is not one the hub knows: use ${HISTORY_INTERVAL_NAMES.join(', ')}, or leave it empty for the hub's own steps.`);
}

/** The editor's check of the interval field: the runtime's own. */
export function isHistoryInterval(value: unknown): boolean {
  return accepts(parseInterval, value);
}

/** A log type as the hub names it (`electricity_consumed`): lowercase letters, digits and underscores. */
export const LOG_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** "temperature, thermostat" or ["temperature"] -> the names; empty -> undefined (every log). */
export function parseLogNames(value: unknown, name = 'logs'): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (parts === undefined) throw badInput(`${name} must be a comma-separated list or an array of log types, not ${describe(value)}.`);
  const out: string[] = [];
  for (const p of parts) {
    const t = typeof p === 'string' ? p.trim() : p;
    if (typeof t !== 'string' || !LOG_NAME.test(t)) {
      throw badInput(`${name} lists ${describe(p)}: a log type is written like temperature or electricity_consumed.`);
    }
    if (!out.includes(t)) out.push(t);
  }
  return out.length > 0 ? out : undefined;
}

