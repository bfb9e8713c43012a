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

/** The window of a history read: shared with every history node (src/core/window.ts). */
export { MAX_RANGE_MS, RANGE_PATTERN, isRange, parseRange, resolveWindow, toEpochMs, type WindowInput } from '../../core/window';
