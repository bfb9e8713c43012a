/**
 * Reading an appliance's, location's or group's <logs>: which log feeds which key, and the
 * "older than 7 days" rule. One index per element, built once.
 */
import { daysSince, formatMeasure } from './format';
import {
  isBinarySensor,
  OBSOLETE_AFTER_DAYS,
  OBSOLETE_MEASUREMENTS,
  isSensor,
  isSpecial,
  isSwitch,
  UNIT,
  type Measurement,
} from './tables';
import type { EntityData, ModelState } from './types';
import { kid, kidText, kids, text, type XmlNode } from './xml';

interface LogIndex {
  /** First point_log measurement per log type. */
  point: Map<string, XmlNode>;
  /** First point_log updated_date element per log type. */
  updated: Map<string, XmlNode>;
  /** First interval_log measurement per log type. */
  interval: Map<string, XmlNode>;
}

const cache = new WeakMap<object, LogIndex>();

/** The first period/measurement of a log, if any. */
export function firstMeasurement(log: XmlNode): XmlNode | undefined {
  for (const period of kids(log, 'period')) {
    const measurement = kid(period, 'measurement');
    if (measurement !== undefined) return measurement;
  }
  return undefined;
}

function indexLogs(element: XmlNode): LogIndex {
  const index: LogIndex = { point: new Map(), updated: new Map(), interval: new Map() };
  for (const logs of kids(element, 'logs')) {
    for (const log of kids(logs, 'point_log')) {
      const type = kidText(log, 'type');
      if (type === undefined) continue;
      if (!index.point.has(type)) {
        const measurement = firstMeasurement(log);
        if (measurement !== undefined) index.point.set(type, measurement);
      }
      if (!index.updated.has(type)) {
        const updated = kid(log, 'updated_date');
        if (updated !== undefined) index.updated.set(type, updated);
      }
    }
    for (const log of kids(logs, 'interval_log')) {
      const type = kidText(log, 'type');
      if (type === undefined || index.interval.has(type)) continue;
      const measurement = firstMeasurement(log);
      if (measurement !== undefined) index.interval.set(type, measurement);
    }
  }
  return index;
}

export function logIndex(element: XmlNode): LogIndex {
  if (typeof element !== 'object') return indexLogs(element);
  let index = cache.get(element);
  if (index === undefined) {
    index = indexLogs(element);
    cache.set(element, index);
  }
  return index;
}

/** The text of the first point_log measurement of `type`. */
export function pointValue(element: XmlNode, type: string): string | undefined {
  const found = logIndex(element).point.get(type);
  return found === undefined ? undefined : text(found);
}

export function hasPointLog(element: XmlNode, type: string): boolean {
  return logIndex(element).point.has(type);
}

/** Obsolete logs (water pressure, outdoor temperature) last updated more than 7 days before now. */
function isObsolete(element: XmlNode, type: string, nowLocal: number): boolean {
  if (!OBSOLETE_MEASUREMENTS.has(type)) return false;
  const updated = text(logIndex(element).updated.get(type));
  if (updated === undefined) return false;
  return daysSince(updated, nowLocal) > OBSOLETE_AFTER_DAYS;
}

export function newData(): EntityData {
  return { binary_sensors: {}, sensors: {}, switches: {} };
}

/** Store one log value under its key, by the kind of key (binary sensor, sensor, switch, special). */
function storeValue(key: string, unit: string, raw: string | undefined, data: EntityData): void {
  const on = raw === 'on' || raw === 'true';
  if (isBinarySensor(key)) data.binary_sensors[key] = on;
  else if (isSensor(key)) {
    const value = formatMeasure(raw, unit);
    if (!Number.isNaN(value)) data.sensors[key] = value;
  } else if (isSwitch(key)) data.switches[key] = on;
  else if (isSpecial(key)) data[key] = on;
  if ('battery' in data.sensors) data.binary_sensors.low_battery = false;
}

/** python-plugwise `_select_dhw_mode`: the selected hot-water mode, once the heater has allowed modes. */
function selectDhwMode(raw: string | undefined, log: string, data: EntityData, state: ModelState): void {
  if (state.dhwAllowedModes.length === 0 || data.select_dhw_mode !== undefined) return;
  data.select_dhw_mode = log === 'domestic_hot_water_comfort_mode' ? (raw === 'on' ? 'comfort' : 'eco') : String(raw ?? 'None');
}

/**
 * python-plugwise `_appliance_measurements` (helper.py; with `legacy`, legacy/helper.py's): every table
 * entry found as a point_log becomes a value; an interval_log of the same (renamed) type becomes
 * `<key>_interval` in Wh. A skipped point log (obsolete, or the legacy hot-water state) skips its interval too.
 */
export function collectMeasurements(
  element: XmlNode,
  table: readonly Measurement[],
  data: EntityData,
  nowLocal: number,
  options: { legacy?: boolean; state?: ModelState } = {},
): void {
  const index = logIndex(element);
  for (const entry of table) {
    let key = entry.log;
    const found = index.point.get(entry.log);
    if (found !== undefined) {
      if (options.legacy && entry.log === 'domestic_hot_water_state') continue;
      if (isObsolete(element, entry.log, nowLocal)) continue;
      key = entry.key;
      const raw = text(found);
      if (!options.legacy && key === 'elga_status_code') {
        const code = parseInt(raw ?? '', 10);
        if (!Number.isNaN(code)) data.elga_status_code = code;
      } else if (!options.legacy && key === 'select_dhw_mode' && options.state !== undefined) {
        selectDhwMode(raw, entry.log, data, options.state);
      }
      storeValue(key, entry.unit, raw, data);
    }
    // python looks the interval log up by the (possibly renamed) key
    const interval = index.interval.get(key);
    if (interval !== undefined) {
      const value = formatMeasure(text(interval), UNIT.WH);
      if (!Number.isNaN(value)) data.sensors[`${key}_interval`] = value;
    }
  }
}

/** python-plugwise `_collect_group_sensors`: a group's own point logs (no interval, no age check). */
export function collectGroupSensors(group: XmlNode, table: readonly Measurement[], data: EntityData): void {
  const index = logIndex(group);
  for (const entry of table) {
    const found = index.point.get(entry.log);
    if (found !== undefined) storeValue(entry.log, entry.unit, text(found), data);
  }
}
