/**
 * Actuator functionalities: setpoints with their bounds and resolution (thermostat, boiler maximum,
 * domestic hot water, temperature offset), lock and toggle switches, gateway/regulation modes.
 */
import { formatMeasure } from './format';
import { ACTIVE_ACTUATORS, ACTIVE_KEYS, DHW_COMFORT_MODES, OFFSET_BOUNDS, SPECIAL_PLUG_TYPES, TOGGLES, UNIT } from './tables';
import type { ActuatorData, EntityData, ModelState } from './types';
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

/** ElementTree `.//actuator_functionalities/<functionality>[type=<type>]/<key>`: the first along every branch. */
function actuatorKey(element: XmlNode, functionality: string, type: string, key: string): XmlNode | undefined {
  for (const af of kids(element, 'actuator_functionalities')) {
    for (const f of kids(af, functionality)) {
      if (kidText(f, 'type') !== type) continue;
      const found = kid(f, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** An actuator's values as they are read: numbers, or the hub's text where it is none (ActuatorData's strings). */
type ActuatorValues = ActuatorData & Record<string, number | string | undefined>;

/** python-plugwise `_create_special_dicts`: the dhw setpoint becomes max_dhw_temperature, both get `current`. */
function specialDict(item: string, data: EntityData, values: ActuatorData): string {
  const sensors = data.sensors;
  if (item === 'domestic_hot_water_setpoint') {
    item = 'max_dhw_temperature';
    delete sensors.domestic_hot_water_setpoint;
    // dhw_temperature when the heater logs it, else water_temperature
    if (sensors.dhw_temperature !== undefined) values.current = sensors.dhw_temperature;
    else if (sensors.water_temperature !== undefined) values.current = sensors.water_temperature;
  }
  if (item === 'maximum_boiler_temperature' && sensors.water_temperature !== undefined) values.current = sensors.water_temperature;
  return item;
}

type ActuatorItem = 'max_dhw_temperature' | 'maximum_boiler_temperature' | 'temperature_offset' | 'thermostat';
const ACTUATOR_ITEMS: ReadonlySet<string> = new Set<ActuatorItem>(['max_dhw_temperature', 'maximum_boiler_temperature', 'temperature_offset', 'thermostat']);
const isActuatorItem = (item: string): item is ActuatorItem => ACTUATOR_ITEMS.has(item);

/**
 * python-plugwise `_get_actuator_functionalities` (helper.py; `legacy` = legacy/helper.py's): bounds,
 * resolution and setpoint per actuator. `withThermostat` says whether the `thermostat` actuator applies.
 */
export function collectActuators(element: XmlNode, data: EntityData, withThermostat: boolean, legacy = false): void {
  for (const item of ACTIVE_ACTUATORS) {
    if (item === 'max_dhw_temperature') continue; // not valid at first
    if (item === 'thermostat' && !withThermostat) continue;
    const functionality = item === 'temperature_offset' && !legacy ? 'offset_functionality' : 'thermostat_functionality';
    // an actuator whose updated_date is present but empty is not valid yet
    const updated = actuatorKey(element, functionality, item, 'updated_date');
    if (updated !== undefined && text(updated) === undefined) continue;
    const values: ActuatorValues = {};
    for (let key of ACTIVE_KEYS) {
      const found = actuatorKey(element, functionality, item, key);
      if (found === undefined) continue;
      const raw = text(found);
      if (key === 'offset' && !legacy) {
        // the hub sends no bounds for the offset; the library adds them and calls the offset the setpoint
        Object.assign(values, OFFSET_BOUNDS);
        key = 'setpoint';
      }
      const value = formatMeasure(raw, UNIT.CELSIUS);
      // the library keeps a non-number (control_state "heating", regulation_control "active") as text
      if (!Number.isNaN(value)) values[key] = value;
      else if (raw !== undefined) values[key] = raw;
    }
    if (Object.keys(values).length === 0) continue;
    const name = specialDict(item, data, values);
    if (isActuatorItem(name)) data[name] = values;
  }
}

/** python-plugwise `_get_lock_state`: the relay lock of plugs and circles (not pumps, heaters, valves). */
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

/**
 * python-plugwise `_get_toggle_state` for every TOGGLES entry: the heater's cooling-enable and hot-water
 * comfort switches. A comfort toggle also makes comfort/eco the allowed hot-water modes (state).
 */
export function collectToggles(element: XmlNode, data: EntityData | undefined, state: ModelState): void {
  if (kidText(element, 'type') !== 'heater_central') return;
  for (const [toggle, name] of TOGGLES) {
    const found = kid(functionalityOf(element, 'toggle_functionality', toggle), 'state');
    if (found === undefined) continue;
    if (data !== undefined) data.switches[name] = text(found) === 'on';
    if (toggle === 'domestic_hot_water_comfort_mode') state.dhwAllowedModes = [...DHW_COMFORT_MODES];
  }
}

/** python-plugwise `_get_appl_actuator_modes`: the allowed modes of the first functionality named so. */
export function allowedModes(appliance: XmlNode, functionality: string): string[] {
  const modes = kid(functionalityOf(appliance, functionality), 'allowed_modes');
  if (modes === undefined || typeof modes !== 'object') return [];
  const out: string[] = [];
  for (const tag of Object.keys(modes)) {
    if (tag === '#text' || tag === '@') continue;
    for (const mode of kids(modes, tag)) out.push(text(mode) ?? 'None');
  }
  return out;
}

/** python-plugwise `_get_actuator_mode`: the current mode of the first functionality named so (Adam gateway). */
export function actuatorMode(element: XmlNode, functionality: string): string | undefined {
  const node = functionalityOf(element, functionality);
  return node === undefined ? undefined : String(text(kid(node, 'mode')) ?? 'None');
}
