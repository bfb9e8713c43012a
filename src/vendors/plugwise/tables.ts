/**
 * Plugwise data tables (facts taken from python-plugwise 1.14): which XML log feeds which key, with
 * which unit; device-class lists; hub identification. Read by small functions elsewhere.
 */

import type { SmileBinarySensors, SmileSensorKey, SmileSwitches } from './types';

/** A set of the library's key names, typed by them. */
function keySet<K extends string>(keys: readonly K[]): ReadonlySet<string> {
  return new Set<string>(keys);
}

export const UNIT = {
  CELSIUS: '°C',
  DEGREE: '°',
  PERCENTAGE: '%',
  WATT: 'W',
  WH: 'Wh',
  KWH: 'kWh',
  M3: 'm³',
  VOLT: 'V',
  BAR: 'bar',
  LUMEN: 'lm',
  NONE: 'None',
} as const;

/** One XML log type and the key (and unit) it becomes. */
export interface Measurement {
  log: string;
  key: string;
  unit: string;
}

const m = (log: string, unit: string, key = log): Measurement => ({ log, key, unit });

/** Thermostats, plugs and Stretch circles. */
export const DEVICE_MEASUREMENTS: readonly Measurement[] = [
  m('humidity', UNIT.NONE), // the library gives it no unit: no 0..1 -> % scaling
  m('illuminance', UNIT.LUMEN),
  m('temperature', UNIT.CELSIUS),
  m('thermostat', UNIT.CELSIUS, 'setpoint'),
  m('cooling_activation_outdoor_temperature', UNIT.CELSIUS),
  m('cooling_deactivation_threshold', UNIT.CELSIUS),
  m('battery', UNIT.PERCENTAGE),
  m('temperature_difference', UNIT.DEGREE),
  m('valve_position', UNIT.PERCENTAGE),
  m('electricity_consumed', UNIT.WATT),
  m('electricity_produced', UNIT.WATT),
  m('relay', UNIT.NONE),
];

/** The boiler / heat pump (heater_central). */
export const HEATER_CENTRAL_MEASUREMENTS: readonly Measurement[] = [
  m('boiler_state', UNIT.NONE, 'flame_state'),
  m('boiler_temperature', UNIT.CELSIUS, 'water_temperature'),
  m('central_heating_state', UNIT.NONE, 'c_heating_state'),
  m('central_heater_water_pressure', UNIT.BAR, 'water_pressure'),
  m('compressor_state', UNIT.NONE),
  m('cooling_enabled', UNIT.NONE),
  m('cooling_state', UNIT.NONE),
  m('domestic_hot_water_mode', UNIT.NONE, 'select_dhw_mode'),
  m('domestic_hot_water_comfort_mode', UNIT.NONE, 'select_dhw_mode'),
  m('domestic_hot_water_setpoint', UNIT.CELSIUS),
  m('domestic_hot_water_state', UNIT.NONE, 'dhw_state'),
  m('domestic_hot_water_temperature', UNIT.CELSIUS, 'dhw_temperature'),
  m('elga_status_code', UNIT.NONE),
  m('intended_boiler_state', UNIT.NONE, 'heating_state'),
  m('flame_state', UNIT.NONE),
  m('intended_boiler_temperature', UNIT.CELSIUS),
  m('intended_central_heating_state', UNIT.NONE, 'heating_state'),
  m('modulation_level', UNIT.PERCENTAGE),
  m('return_water_temperature', UNIT.CELSIUS, 'return_temperature'),
  m('outdoor_temperature', UNIT.CELSIUS, 'outdoor_air_temperature'),
  m('slave_boiler_state', UNIT.NONE, 'secondary_boiler_state'),
  m('thermostat_supports_cooling', UNIT.NONE),
];

/** Adam climate zones (locations with thermostats); the setpoint is used for control_state only. */
export const ZONE_MEASUREMENTS: readonly Measurement[] = [
  m('electricity_consumed', UNIT.WATT),
  m('electricity_produced', UNIT.WATT),
  m('relay', UNIT.NONE),
  m('temperature', UNIT.CELSIUS),
  m('thermostat', UNIT.CELSIUS, 'setpoint'),
];

/** Switching, report and pumping groups. */
export const GROUP_MEASUREMENTS: readonly Measurement[] = [
  m('electricity_consumed', UNIT.WATT),
  m('electricity_produced', UNIT.WATT),
  m('temperature', UNIT.CELSIUS),
];

/** Smile P1 (and Anna P1) smart-meter logs on the Home location. */
export const P1_MEASUREMENTS: readonly Measurement[] = [
  m('electricity_consumed', UNIT.WATT),
  m('electricity_produced', UNIT.WATT),
  m('electricity_phase_one_consumed', UNIT.WATT),
  m('electricity_phase_two_consumed', UNIT.WATT),
  m('electricity_phase_three_consumed', UNIT.WATT),
  m('electricity_phase_one_produced', UNIT.WATT),
  m('electricity_phase_two_produced', UNIT.WATT),
  m('electricity_phase_three_produced', UNIT.WATT),
  m('gas_consumed', UNIT.M3),
  m('voltage_phase_one', UNIT.VOLT),
  m('voltage_phase_two', UNIT.VOLT),
  m('voltage_phase_three', UNIT.VOLT),
];

export const P1_LEGACY_MEASUREMENTS: readonly Measurement[] = [
  m('electricity_consumed', UNIT.WATT),
  m('electricity_produced', UNIT.WATT),
  m('gas_consumed', UNIT.M3),
];

/** Logs that are dropped when their last update is more than OBSOLETE_AFTER_DAYS old. */
export const OBSOLETE_MEASUREMENTS: ReadonlySet<string> = new Set(['central_heater_water_pressure', 'outdoor_temperature']);
export const OBSOLETE_AFTER_DAYS = 7;

export const BINARY_SENSORS = keySet<keyof SmileBinarySensors>([
  'compressor_state',
  'cooling_enabled',
  'cooling_state',
  'dhw_state',
  'flame_state',
  'heating_state',
  'low_battery',
  'plugwise_notification',
  'secondary_boiler_state',
]);
/** Whether a (renamed) log type is one of BINARY_SENSORS. */
export const isBinarySensor = (key: string): key is keyof SmileBinarySensors => BINARY_SENSORS.has(key);

export const SENSORS = keySet<SmileSensorKey>([
  'battery',
  'cooling_activation_outdoor_temperature',
  'cooling_deactivation_threshold',
  'dhw_temperature',
  'domestic_hot_water_setpoint',
  'electricity_consumed',
  'electricity_produced',
  'humidity',
  'illuminance',
  'intended_boiler_temperature',
  'modulation_level',
  'outdoor_air_temperature',
  'outdoor_temperature',
  'return_temperature',
  'setpoint',
  'temperature',
  'temperature_difference',
  'valve_position',
  'water_pressure',
  'water_temperature',
]);
/** Whether a (renamed) log type is one of SENSORS. */
export const isSensor = (key: string): key is SmileSensorKey => SENSORS.has(key);

export const SWITCHES = keySet<keyof SmileSwitches>(['cooling_ena_switch', 'dhw_cm_switch', 'lock', 'relay']);
/** Whether a (renamed) log type is one of SWITCHES. */
export const isSwitch = (key: string): key is keyof SmileSwitches => SWITCHES.has(key);

/** Values kept at the top level of the entity while it is being built. */
export const SPECIALS = keySet<'c_heating_state' | 'thermostat_supports_cooling'>(['c_heating_state', 'thermostat_supports_cooling']);
/** Whether a (renamed) log type is one of SPECIALS. */
export const isSpecial = (key: string): key is 'c_heating_state' | 'thermostat_supports_cooling' => SPECIALS.has(key);

/** heater_central toggle functionalities and the switch they become. */
export const TOGGLES: ReadonlyArray<readonly [string, 'cooling_ena_switch' | 'dhw_cm_switch']> = [
  ['cooling_enabled', 'cooling_ena_switch'],
  ['domestic_hot_water_comfort_mode', 'dhw_cm_switch'],
];

/** Appliance types whose actuator_functionalities are read. */
export const ACTUATOR_CLASSES: ReadonlySet<string> = new Set([
  'heater_central',
  'thermostat',
  'thermostatic_radiator_valve',
  'zone_thermometer',
  'zone_thermostat',
]);

/** Actuator functionality types, in python-plugwise's order. */
export const ACTIVE_ACTUATORS: readonly string[] = [
  'domestic_hot_water_setpoint',
  'maximum_boiler_temperature',
  'max_dhw_temperature',
  'temperature_offset',
  'thermostat',
];

/** `ACTIVE_KEYS`: child elements of an actuator functionality that are read (offset becomes setpoint). */
export const ACTIVE_KEYS: readonly string[] = ['control_state', 'lower_bound', 'offset', 'regulation_control', 'resolution', 'setpoint', 'upper_bound'];

/** Bounds python-plugwise adds for temperature_offset (the hub does not send them). */
export const OFFSET_BOUNDS = { lower_bound: -2.0, resolution: 0.1, upper_bound: 2.0 } as const;

export const THERMOSTAT_CLASSES: ReadonlySet<string> = new Set([
  'thermostat',
  'thermostatic_radiator_valve',
  'thermo_sensor',
  'zone_thermometer',
  'zone_thermostat',
]);

/** Thermostat ranking in an Adam zone: the highest rank is primary, lower ones are secondary. */
export const THERMOSTAT_RANK: Readonly<Record<string, number>> = {
  thermostat: 2,
  zone_thermometer: 2,
  zone_thermostat: 2,
  thermostatic_radiator_valve: 1,
};

/** Dev classes whose low_battery follows the "Battery ... below" notifications. */
export const BATTERY_CLASSES: ReadonlySet<string> = new Set([
  'thermo_sensor',
  'thermostatic_radiator_valve',
  'zone_thermometer',
  'zone_thermostat',
]);

/** Plug types without a lock switch. */
export const SPECIAL_PLUG_TYPES: ReadonlySet<string> = new Set(['central_heating_pump', 'heater_electric', 'valve_actuator']);

export const SWITCH_GROUP_TYPES: ReadonlySet<string> = new Set(['report', 'switching']);
export const GROUP_TYPES: ReadonlySet<string> = new Set(['pumping', 'report', 'switching']);

export const GATEWAY_MODES: readonly string[] = ['away', 'full', 'vacation'];
export const ZONE_PROFILES: readonly string[] = ['active', 'off', 'passive'];
export const DHW_COMFORT_MODES: readonly string[] = ['comfort', 'eco'];

export const CONTROL_STATES: ReadonlySet<string> = new Set(['cooling', 'heating', 'preheating']);

export const SCHEDULE_TAG = 'zone_preset_based_on_time_and_presence_with_override';
export const PRESET_TAG = 'zone_setpoint_and_state_based_on_preset';
export const PRESET_RULE_NAME = 'Thermostat presets';
export const LEGACY_SCHEDULE_NAME = 'Thermostat schedule';

export const NONE = 'None';
export const OFF = 'off';
export const MIN_SETPOINT = 4.0;
export const MAX_SETPOINT = 30.0;

/** Entity ids python-plugwise invents for legacy hubs. */
export const FAKE_LOC = '0000aaaa0000aaaa0000aaaa0000aa00';
export const FAKE_APPL = 'aaaa0000aaaa0000aaaa0000aaaa00aa';

/** Hardware / vendor model codes to model names. */
export const HW_MODELS: Readonly<Record<string, string>> = {
  '143.1': 'ThermoTouch',
  '159.2': 'Adam',
  '170.1': 'Emma Pro wired',
  '106-03': 'Tom',
  '158-01': 'Lisa',
  '160-01': 'Plug',
  '165-01': 'Floor',
  '168-01': 'Jip',
  '168-02': 'Jip',
  '170-01': 'Emma Pro',
  '038500': 'Stick',
  '070085': 'Stick',
  '120002': 'Stick Legrand',
  '120041': 'Circle+ Legrand type E',
  '120000': 'Circle+ Legrand type F',
  '090000': 'Circle+ type B',
  '090007': 'Circle+ type B',
  '090088': 'Circle+ type E',
  '070073': 'Circle+ type F',
  '090048': 'Circle+ type G',
  '120049': 'Stealth M+',
  '090188': 'Stealth+',
  '120040': 'Circle Legrand type E',
  '120001': 'Circle Legrand type F',
  '090079': 'Circle type B',
  '090087': 'Circle type E',
  '070140': 'Circle type F',
  '090093': 'Circle type G',
  '100025': 'Circle',
  '120048': 'Stealth M',
  '120029': 'Stealth Legrand',
  '090011': 'Stealth',
  '001200': 'Stealth',
  '080007': 'Scan',
  '110028': 'Scan Legrand',
  '070030': 'Sense',
  '120006': 'Sense Legrand',
  '070051': 'Switch',
  '080029': 'Switch',
};

export type SmileType = 'thermostat' | 'power' | 'stretch';
export type SmileName = 'Adam' | 'Smile Anna' | 'Smile P1' | 'Stretch';

/** Supported `<vendor model>_v<firmware major>` targets. */
export const SMILES: Readonly<Record<string, { type: SmileType; name: SmileName }>> = {
  smile_v2: { type: 'power', name: 'Smile P1' },
  smile_v3: { type: 'power', name: 'Smile P1' },
  smile_v4: { type: 'power', name: 'Smile P1' },
  smile_open_therm_v3: { type: 'thermostat', name: 'Adam' },
  smile_thermo_v1: { type: 'thermostat', name: 'Smile Anna' },
  smile_thermo_v4: { type: 'thermostat', name: 'Smile Anna' },
  stretch_v2: { type: 'stretch', name: 'Stretch' },
  stretch_v3: { type: 'stretch', name: 'Stretch' },
};

/** Known targets whose firmware is too old to be supported. */
export const OUTDATED_SMILES: ReadonlySet<string> = new Set(['smile_open_therm_v2', 'smile_thermo_v3']);

/** Legacy targets that need /core/appliances. */
export const REQUIRE_APPLIANCES: ReadonlySet<string> = new Set(['smile_thermo_v1', 'smile_thermo_v3', 'smile_thermo_v4', 'stretch_v2', 'stretch_v3']);

export const PATH = {
  DOMAIN_OBJECTS: '/core/domain_objects',
  APPLIANCES: '/core/appliances',
  LOCATIONS: '/core/locations',
  MODULES: '/core/modules',
  SYSTEM: '/system',
  STATUS: '/system/status.xml',
} as const;
