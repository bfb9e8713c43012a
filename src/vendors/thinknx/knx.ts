/**
 * KNX group addresses and the datapoint types the Integration Kit can put on the bus (as data).
 * Pure: no Node.js API, so the editor bundle imports it for its own checks.
 */
import { badInput } from '../../core/errors';

export type DptNumber = 1 | 2 | 3 | 5 | 6 | 9 | 14;

export interface DptSpec {
  dpt: DptNumber;
  /** The system controller below api/V1/. */
  controller: string;
  label: string;
  min: number;
  max: number;
  integer: boolean;
  /** DPT 1: a bit, given as a boolean (or 0/1, "on"/"off") and reported as a boolean. */
  bit?: boolean;
}

/**
 * DPT 2 (2-bit control) and DPT 3 (4-bit dimming/blind step) share the server's "4bits" controller; each
 * is held to its own range (the controller itself takes 0-31).
 */
export const DPTS: readonly DptSpec[] = [
  { dpt: 1, controller: 'system/sendKNXbit', label: 'DPT 1: 1 bit (switch, 0/1)', min: 0, max: 1, integer: true, bit: true },
  { dpt: 2, controller: 'system/sendKNX4bits', label: 'DPT 2: 2-bit control (0-3)', min: 0, max: 3, integer: true },
  { dpt: 3, controller: 'system/sendKNX4bits', label: 'DPT 3: 4-bit dimming/blind step (0-15)', min: 0, max: 15, integer: true },
  { dpt: 5, controller: 'system/sendKNXbyte', label: 'DPT 5: 1 byte unsigned (0-255)', min: 0, max: 255, integer: true },
  { dpt: 6, controller: 'system/sendKNXbyteun', label: 'DPT 6: 1 byte signed (-128-127)', min: -128, max: 127, integer: true },
  { dpt: 9, controller: 'system/sendKNXfloat2bytes', label: 'DPT 9: 2-byte float (-671088.64-670760.96)', min: -671088.64, max: 670760.96, integer: false },
  { dpt: 14, controller: 'system/sendKNXfloat4bytes', label: 'DPT 14: 4-byte float (IEEE 754)', min: -3.4028234663852886e38, max: 3.4028234663852886e38, integer: false },
];

/** "9", 9, " 9 ", "DPT9", "dpt 9.001" -> the DPT's spec; anything else is BAD_INPUT. */
export function dptSpec(value: unknown): DptSpec {
  let text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  text = text.replace(/^dpt\s*/i, '').replace(/\.\d+$/, '');
  const spec = /^\d+$/.test(text) ? DPTS.find((d) => d.dpt === Number(text)) : undefined;
  if (!spec) {
    const shown = typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : `a ${typeof value}`;
    throw badInput(`The KNX datapoint type ${shown} is not one the Integration Kit sends: use 1, 2, 3, 5, 6, 9 or 14.`);
  }
  return spec;
}

export interface GroupAddress {
  main: number;
  middle: number;
  sub: number;
  /** Normalised "main/middle/sub". */
  text: string;
}

const GROUP = /^(\d{1,3})\/(\d{1,3})\/(\d{1,3})$/;

/** The reason a group address is refused, or undefined when it is a valid 3-level address. */
export function groupAddressProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'a KNX group address is needed (main/middle/sub, e.g. 1/0/1)';
  const m = GROUP.exec(value.trim());
  if (!m) return `"${value.length > 20 ? `${value.slice(0, 20)}…` : value}" is not a 3-level group address (main/middle/sub, e.g. 1/0/1)`;
  const [main, middle, sub] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (main > 31) return `the main group of ${value.trim()} is above 31`;
  if (middle > 7) return `the middle group of ${value.trim()} is above 7`;
  if (sub > 255) return `the sub group of ${value.trim()} is above 255`;
  if (main === 0 && middle === 0 && sub === 0) return '0/0/0 is the broadcast address, not a group';
  return undefined;
}

export function parseGroupAddress(value: unknown): GroupAddress {
  const problem = groupAddressProblem(value);
  if (problem) throw badInput(`Bad KNX group address: ${problem}.`);
  const [main, middle, sub] = (value as string).trim().split('/').map(Number) as [number, number, number];
  return { main, middle, sub, text: `${main}/${middle}/${sub}` };
}

const BIT_WORDS: Record<string, number> = { on: 1, off: 0, true: 1, false: 0 };

/** The value to send for a DPT: a number within the DPT's range (bits also from booleans and on/off). */
export function knxValue(spec: DptSpec, value: unknown): number {
  let n: number | undefined;
  if (typeof value === 'boolean' && spec.bit) n = value ? 1 : 0;
  else if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (spec.bit && Object.prototype.hasOwnProperty.call(BIT_WORDS, t)) n = BIT_WORDS[t];
    else if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) n = Number(t); // linear: one way to match
  }
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value) : typeof value === 'number' ? String(value) : `a ${value === null ? 'null' : typeof value}`;
  if (n === undefined || !Number.isFinite(n)) {
    throw badInput(`DPT ${spec.dpt} needs a ${spec.bit ? 'bit (true/false, 0/1, "on"/"off")' : 'number'}, not ${shown}.`);
  }
  if (spec.integer && !Number.isInteger(n)) throw badInput(`DPT ${spec.dpt} takes whole numbers only, not ${shown}.`);
  if (n < spec.min || n > spec.max) throw badInput(`${shown} is outside the range of DPT ${spec.dpt} (${spec.min} to ${spec.max}).`);
  return n;
}
