/**
 * Actuator functionalities: setpoints with their bounds and resolution (thermostat, boiler maximum,
 * domestic hot water, temperature offset), lock and toggle switches, gateway/regulation modes.
 */
import { formatMeasure } from './format';
import { ACTIVE_ACTUATORS, LIMITS, OFFSET_BOUNDS, SPECIAL_PLUG_TYPES, TOGGLES, UNIT } from './tables';
import type { EntityData } from './types';
import { kid, kidText, kids, text, type XmlNode } from './xml';

/** The first `<functionality>` of `type` under actuator_functionalities (python `[type='x']`). */
export function functionalityOf(element: XmlNode, functionality: string, type?: string): XmlNode | undefined {
  for (const af of kids(element, 'actuator_functionalities')) {
    for (const f of kids(af, functionality)) {
      if (type === undefined || kidText(f, 'type') === type) return f;
    }
  }
  return undefined;
}

/**
 * python-plugwise `_get_actuator_functionalities`: bounds, resolution and setpoint per actuator.
 * `withThermostat` says whether the `thermostat` actuator applies to this entity.
 */
export function collectActuators(element: XmlNode, data: EntityData, withThermostat: boolean, legacy = false): void {
  for (const item of ACTIVE_ACTUATORS) {
    if (item === 'max_dhw_temperature') continue;
    if (item === 'thermostat' && !withThermostat) continue;
    const functionality = item === 'temperature_offset' && !legacy ? 'offset_functionality' : 'thermostat_functionality';
    const node = functionalityOf(element, functionality, item);
    // an actuator whose updated_date is present but empty is not valid yet
    const updated = kid(node, 'updated_date');
    if (updated !== undefined && text(updated) === undefined) continue;
    const values: Record<string, number> = {};
    for (const key of LIMITS) {
      const found = kid(node, key);
      if (found === undefined) continue;
      let target = key;
      if (key === 'offset' && !legacy) {
        values.lower_bound = OFFSET_BOUNDS.lower_bound;
        values.resolution = OFFSET_BOUNDS.resolution;
        values.upper_bound = OFFSET_BOUNDS.upper_bound;
        target = 'setpoint';
      }
      values[target] = formatMeasure(text(found), UNIT.CELSIUS);
    }
    if (Object.keys(values).length === 0) continue;
    let name = item;
    if (item === 'domestic_hot_water_setpoint' && !legacy) {
      name = 'max_dhw_temperature';
      delete data.sensors.domestic_hot_water_setpoint;
    }
    data[name] = values;
  }
}

/** Relay lock of plugs and circles (not for pumps, electric heaters and valve actuators). */
export function collectLock(element: XmlNode, data: EntityData, stretchV2 = false): void {
  if (SPECIAL_PLUG_TYPES.has(kidText(element, 'type') ?? '')) return;
  const container = stretchV2 ? 'actuators' : 'actuator_functionalities';
  const func = stretchV2 ? 'relay' : 'relay_functionality';
  for (const c of kids(element, container)) {
    for (const f of kids(c, func)) {
      const lock = kid(f, 'lock');
      if (lock !== undefined) {
        data.switches.lock = text(lock) === 'true';
        return;
      }
    }
  }
}

/** Boiler toggles: cooling enable and domestic hot water comfort mode. */
export function collectToggles(element: XmlNode, data: EntityData): void {
  if (kidText(element, 'type') !== 'heater_central') return;
  for (const [toggle, name] of TOGGLES) {
    const state = kid(functionalityOf(element, 'toggle_functionality', toggle), 'state');
    if (state !== undefined) data.switches[name] = text(state) === 'on';
  }
}

/** The current mode of a gateway mode functionality (Adam). */
export function actuatorMode(element: XmlNode, functionality: string): string | undefined {
  const node = functionalityOf(element, functionality);
  return node === undefined ? undefined : String(text(kid(node, 'mode')) ?? 'None');
}
