/**
 * The EMS simulator's plant: two meters, three loads, seven signals, and history computed from a formula
 * of uid and time (nothing stored), so a test can name any point exactly and the simulator can serve a
 * million of them without holding them.
 */

export interface SimDevice {
  uid: number;
  label: string;
  partNumber: string;
  system: string;
  protocol: string;
  [extra: string]: unknown;
}

export interface SimLoad {
  uid: number;
  label: string;
  enable: boolean;
  index: number;
  type: number;
  did: number;
  [extra: string]: unknown;
}

export interface SimSignal {
  uid: number;
  si: number;
  sir: number;
  enable: boolean;
  lid: number;
  did: number;
}

export const DEVICES: readonly SimDevice[] = [
  { uid: 1, label: 'Main meter', partNumber: 'EMS10AV5S1X', system: '3P', protocol: 'meterBus', firmware: '2.4.1' },
  { uid: 59, label: 'EM1', partNumber: 'EM24_E1', system: '1P', protocol: 'tcp', firmware: '1.0.7' },
];

export const LOADS: readonly SimLoad[] = [
  {
    uid: 2, label: 'Main', enable: true, index: 1, type: 0, did: 1,
    meterBus: { main: true, system: 0, ct: 10, currentDirections: 0, digitalInputMode: 0, digitalOutputMode: 0, digitalOutputModeNcNo: 0, measureType: 0, startUpCurrentRH: 10 },
  },
  { uid: 3, label: 'Heat pump', enable: true, index: 2, type: 0, did: 1 },
  { uid: 60, label: 'PV inverter', enable: true, index: 1, type: 1, did: 59 },
];

/** Signals 100-104 on meter 1 (loads 2 and 3), 105-106 on meter 59 (load 60). */
export const SIGNALS: readonly SimSignal[] = [
  { uid: 100, si: 29, sir: 29, enable: true, lid: 2, did: 1 },
  { uid: 101, si: 30, sir: 30, enable: true, lid: 2, did: 1 },
  { uid: 102, si: 31, sir: 31, enable: true, lid: 2, did: 1 },
  { uid: 103, si: 29, sir: 29, enable: true, lid: 3, did: 1 },
  { uid: 104, si: 30, sir: 30, enable: true, lid: 3, did: 1 },
  { uid: 105, si: 29, sir: 29, enable: true, lid: 60, did: 59 },
  { uid: 106, si: 30, sir: 30, enable: false, lid: 60, did: 59 },
];

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The value of signal `uid` for the period ending at `periodEndSec`: a daily sawtooth above the uid. */
export function historyValue(uid: number, periodEndSec: number): number {
  return round2(((uid % 100) + 1) * 10 + ((periodEndSec / 60) % 1440) / 100);
}

/** A history record as the API sends it: `t` one second before the period end `p`, both in seconds. */
export function historyRecord(uid: number, periodEndSec: number): Record<string, number> {
  const v = historyValue(uid, periodEndSec);
  return { uid, t: periodEndSec - 1, p: periodEndSec, v, d: 0, max: round2(v + 0.5), min: round2(v - 0.5) };
}

/** Realtime value of a signal at `ms` (ms, as the realtime API sends `t`). */
export function realtimeValue(uid: number, ms: number): number {
  return round2(230 + (uid % 100) + (Math.floor(ms / 1000) % 60) / 10);
}

/**
 * The period ends (seconds, multiples of `periodSec`) of a window: after `startMs`, up to and including
 * `endMs`. Returned as [first, count] so a million points cost nothing until served.
 */
export function periods(startMs: number, endMs: number, periodSec: number): [first: number, count: number] {
  const first = Math.floor(startMs / 1000 / periodSec) + 1;
  const last = Math.floor(endMs / 1000 / periodSec);
  return [first * periodSec, Math.max(0, last - first + 1)];
}

export function signalsOf(scope: 'all' | 'load' | 'device', uid?: number): SimSignal[] {
  if (scope === 'load') return SIGNALS.filter((s) => s.lid === uid);
  if (scope === 'device') return SIGNALS.filter((s) => s.did === uid);
  return [...SIGNALS];
}

/** A uid-keyed map, as the API sends lists. */
export function byUid<T extends { uid: number }>(items: readonly T[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const i of items) out[String(i.uid)] = i;
  return out;
}
