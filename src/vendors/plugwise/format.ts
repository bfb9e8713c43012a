/**
 * Number formatting with python-plugwise's rules and Python's rounding semantics
 * (`round(x, n)` rounds the exact binary value half-to-even; JS toFixed rounds ties away from zero).
 */
import { UNIT } from './tables';

/** Python's `round(x, ndigits)` for finite doubles below 1e21. */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || x === 0 || Math.abs(x) >= 1e21) return x;
  const negative = x < 0;
  const exact = Math.abs(x).toFixed(100); // exact decimal expansion of the double (enough digits here)
  const dot = exact.indexOf('.');
  const whole = exact.slice(0, dot);
  const frac = exact.slice(dot + 1);
  const keep = frac.slice(0, ndigits);
  const rest = frac.slice(ndigits);
  const first = rest.charCodeAt(0) - 48;
  let up = first > 5;
  if (first === 5) {
    const tailNonZero = /[1-9]/.test(rest.slice(1));
    const digits = whole + keep;
    const lastOdd = (digits.charCodeAt(digits.length - 1) - 48) % 2 === 1;
    up = tailNonZero || lastOdd;
  }
  let scaled = BigInt(whole + keep);
  if (up) scaled += 1n;
  let str = scaled.toString();
  if (ndigits > 0) {
    str = str.padStart(ndigits + 1, '0');
    str = `${str.slice(0, str.length - ndigits)}.${str.slice(str.length - ndigits)}`;
  }
  const result = Number(str);
  return negative ? -result : result;
}

/** Python's `float(text)` for the numeric strings a Smile sends; NaN when it is not a number. */
export function toFloat(value: string | undefined): number {
  if (value === undefined) return NaN;
  const t = value.trim();
  // One way to match each string (`\d+\.?\d*` backtracks quadratically on a long run of digits from a hub).
  if (t === '' || !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i.test(t)) return NaN;
  return Number(t.replace(/inf(inity)?/i, 'Infinity'));
}

/** python-plugwise `format_measure`: unit-dependent scaling and rounding. */
export function formatMeasure(value: string | undefined, unit: string): number {
  let f = toFloat(value);
  if (Number.isNaN(f)) return NaN;
  if (unit === UNIT.PERCENTAGE && f > 0 && f <= 1) return Math.trunc(f * 100);
  if (unit === UNIT.KWH) f = f / 1000;
  if (unit === UNIT.KWH || unit === UNIT.M3) return pyRound(f, 3);
  if (unit === UNIT.VOLT) return pyRound(f, 1);
  return Math.abs(f) < 10 ? pyRound(f, 2) : pyRound(f, 1);
}

/** P1 power values: cumulative electricity in kWh, power in whole W (Python's round-half-even). */
export function formatPower(key: string, unit: string, value: string | undefined): number {
  if (key.includes('electricity') && key.includes('cumulative')) return formatMeasure(value, UNIT.KWH);
  if (unit === UNIT.WATT) {
    const f = toFloat(value);
    return Number.isNaN(f) ? NaN : pyRound(f, 0);
  }
  return formatMeasure(value, unit);
}

/** Days between a log's calendar date ("2025-10-14T17:27:48+02:00") and the local date of `now`. */
export function daysSince(isoDate: string, nowLocalMs: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return 0;
  const then = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.floor((nowLocalMs - then) / 86_400_000);
}

/** Parse an ISO time with offset to ms epoch, and its UTC offset in ms (0 when it has none). */
export function parseHubTime(value: string | undefined): { ms: number; offsetMs: number } | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value.trim());
  if (Number.isNaN(ms)) return undefined;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(value.trim());
  const offsetMs = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return { ms, offsetMs };
}
