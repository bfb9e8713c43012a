import { GatewayError } from '../../core/errors';
import { parseJson, type JsonText } from '../../core/json';
import type { CommandOutcome, DeviceState, Json, SettingDescriptor } from './types';

/** The body as a JSON object, or BAD_RESPONSE naming the request. */
export function jsonObject(reply: string | JsonText, what: string): Json {
  const parsed = parseJson(reply, `The reply to ${what}`, `The reply to ${what} is not JSON: is the base URL that of the HeatingControl External API?`);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new GatewayError('BAD_RESPONSE', `The reply to ${what} is not a JSON object.`, { statusText: 'reply is not a JSON object' });
  return parsed as Json;
}

/** Keys holding a temperature: converted to degC when the device reports in Fahrenheit. */
function isTemperatureKey(key: string): boolean {
  return key === 'temperature' || key.endsWith('Temperature');
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * A state reply plus `deviceId`. Temperatures leave in degC (the package's unit): a device reporting
 * `temperatureUnits: "F"` has its temperature fields converted and `temperatureUnits` set to "C"
 * (`reportedTemperatureUnits` keeps what the API said). Everything else passes through.
 */
export function normalizeState(deviceId: string, raw: Json): DeviceState & { deviceId: string } {
  const out: Json = { ...raw };
  if (typeof raw.temperatureUnits === 'string' && raw.temperatureUnits.toUpperCase().startsWith('F')) {
    for (const [k, v] of Object.entries(raw)) {
      if (isTemperatureKey(k) && typeof v === 'number') out[k] = round2(((v - 32) * 5) / 9);
    }
    out.reportedTemperatureUnits = raw.temperatureUnits;
    out.temperatureUnits = 'C';
  }
  out.deviceId = deviceId;
  return out as DeviceState & { deviceId: string };
}

/** The settings map -> `{key: value}` (payload) and the descriptors as received (msg.settings). */
export function settingValues(raw: Json): { values: Json; descriptors: Record<string, SettingDescriptor> } {
  const values: Json = {};
  const descriptors: Record<string, SettingDescriptor> = {};
  for (const [k, d] of Object.entries(raw)) {
    if (d && typeof d === 'object' && !Array.isArray(d)) {
      descriptors[k] = d as SettingDescriptor;
      values[k] = (d as SettingDescriptor).value;
    } else {
      // A bare value where a descriptor was expected: kept as the value.
      values[k] = d;
    }
  }
  return { values, descriptors };
}

/** States that mean "done" (any other state passes through with success false, e.g. PENDING). */
const SUCCESS_STATES = new Set(['APPLIED']);

/**
 * Either documented command result: `{command, state, appliedAt}` or `{success, message}`, as
 * `{command, state, success, appliedTime}` with any other field kept.
 */
export function commandOutcome(key: string, raw: Json): CommandOutcome {
  const state = typeof raw.state === 'string' ? raw.state : undefined;
  const success = raw.success === true || (state !== undefined && SUCCESS_STATES.has(state.toUpperCase()));
  // Built field by field (every command pays for this: no rest/spread copies, no delete).
  const out = {} as CommandOutcome;
  for (const k of Object.keys(raw)) {
    if (k === 'appliedAt' || (k === 'state' && state === undefined)) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: raw[k], enumerable: true, writable: true, configurable: true });
    else out[k] = raw[k];
  }
  out.command = typeof raw.command === 'string' ? raw.command : key;
  if (state !== undefined) out.state = state;
  out.success = success;
  const appliedAt = raw.appliedAt;
  const time = typeof appliedAt === 'string' ? Date.parse(appliedAt) : typeof appliedAt === 'number' ? appliedAt : NaN;
  if (Number.isFinite(time)) out.appliedTime = time;
  return out;
}
