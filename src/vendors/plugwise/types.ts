/** Public and internal types of the Plugwise entity model. */
import type { SmileName, SmileType } from './tables';
import type { XmlNode } from './xml';

export type HubModel = 'adam' | 'anna' | 'p1' | 'stretch';

export interface HubInfo {
  /** The id attribute of the hub's <gateway> element (legacy hubs: python-plugwise's gateway entity id). */
  id: string;
  model: HubModel;
  /** The hub's own model name, e.g. "smile_open_therm", "smile_thermo", "smile", "stretch". */
  vendorModel: string;
  firmware: string;
  hostname: string;
  mac: string;
  /** True for hubs that need the legacy endpoints (Stretch v2/v3, Anna v1, P1 v2). */
  legacy: boolean;
  /** What connect found (python-plugwise keeps these from `connect()`); recomputed from the XML when absent. */
  facts?: HubFacts;
}

// ---- python-plugwise 1.14.1's entity dict (plugwise/constants.py), keys as the library spells them ----

/** `SmileBinarySensors`. */
export interface SmileBinarySensors {
  compressor_state?: boolean;
  cooling_enabled?: boolean;
  cooling_state?: boolean;
  dhw_state?: boolean;
  flame_state?: boolean;
  heating_state?: boolean;
  low_battery?: boolean;
  plugwise_notification?: boolean;
  secondary_boiler_state?: boolean;
}

/** `SmileSensors` (the library's list; every value is a number). */
export type SmileSensorKey =
  | 'battery'
  | 'cooling_activation_outdoor_temperature'
  | 'cooling_deactivation_threshold'
  | 'dhw_temperature'
  | 'domestic_hot_water_setpoint'
  | 'temperature'
  | 'electricity_consumed'
  | 'electricity_consumed_interval'
  | 'electricity_consumed_off_peak_cumulative'
  | 'electricity_consumed_off_peak_interval'
  | 'electricity_consumed_off_peak_point'
  | 'electricity_consumed_peak_cumulative'
  | 'electricity_consumed_peak_interval'
  | 'electricity_consumed_peak_point'
  | 'electricity_consumed_point'
  | 'electricity_phase_one_consumed'
  | 'electricity_phase_two_consumed'
  | 'electricity_phase_three_consumed'
  | 'electricity_phase_one_produced'
  | 'electricity_phase_two_produced'
  | 'electricity_phase_three_produced'
  | 'electricity_produced'
  | 'electricity_produced_interval'
  | 'electricity_produced_off_peak_cumulative'
  | 'electricity_produced_off_peak_interval'
  | 'electricity_produced_off_peak_point'
  | 'electricity_produced_peak_cumulative'
  | 'electricity_produced_peak_interval'
  | 'electricity_produced_peak_point'
  | 'electricity_produced_point'
  | 'gas_consumed_cumulative'
  | 'gas_consumed_interval'
  | 'humidity'
  | 'illuminance'
  | 'intended_boiler_temperature'
  | 'modulation_level'
  | 'net_electricity_cumulative'
  | 'net_electricity_point'
  | 'outdoor_air_temperature'
  | 'outdoor_temperature'
  | 'return_temperature'
  | 'setpoint'
  | 'setpoint_high'
  | 'setpoint_low'
  | 'temperature_difference'
  | 'valve_position'
  | 'voltage_phase_one'
  | 'voltage_phase_two'
  | 'voltage_phase_three'
  | 'water_pressure'
  | 'water_temperature';
/** Keys are the library's; a hub's interval logs may add `<key>_interval` ones beyond its list. */
export type SmileSensors = { [K in SmileSensorKey]?: number } & { [key: string]: number | undefined };

/** `SmileSwitches`. */
export interface SmileSwitches {
  cooling_ena_switch?: boolean;
  dhw_cm_switch?: boolean;
  lock?: boolean;
  relay?: boolean;
}

/** `ActuatorData`: a setpoint with its bounds (strings where the hub's text is not a number). */
export interface ActuatorData {
  control_state?: string;
  current?: number;
  lower_bound?: number;
  regulation_control?: string;
  resolution?: number;
  setpoint?: number;
  setpoint_high?: number;
  setpoint_low?: number;
  upper_bound?: number;
}

/** `GwEntityData`: one entity of python-plugwise's output. */
export interface GwEntityData {
  // appliance base data
  dev_class: string;
  firmware?: string;
  hardware?: string;
  location?: string | null;
  mac_address?: string;
  members?: string[];
  model?: string;
  model_id?: string | null;
  name?: string;
  vendor?: string;
  zigbee_mac_address?: string;
  available?: boolean | null;
  // domestic hot water
  dhw_mode?: string;
  dhw_modes?: string[];
  select_dhw_mode?: string;
  // gateway
  gateway_modes?: string[];
  notifications?: Record<string, Record<string, string | null>>;
  regulation_modes?: string[];
  select_gateway_mode?: string;
  select_regulation_mode?: string;
  // thermostats and zones
  select_zone_profile?: string;
  thermostats?: { primary: string[]; secondary: string[] };
  zone_profiles?: string[];
  active_preset?: string | null;
  preset_modes?: string[] | null;
  available_schedules?: string[];
  select_schedule?: string | null;
  climate_mode?: string;
  control_state?: string;
  // groups of values
  binary_sensors?: SmileBinarySensors;
  max_dhw_temperature?: ActuatorData;
  maximum_boiler_temperature?: ActuatorData;
  sensors?: SmileSensors;
  switches?: SmileSwitches;
  temperature_offset?: ActuatorData;
  thermostat?: ActuatorData;
  /** An Adam with an Elga heat pump keeps it (the library drops it on an Anna only). */
  elga_status_code?: number;
}

/** The library's values while one entity is collected ("for temporary use" in GwEntityData). */
export interface EntityData extends Omit<GwEntityData, 'dev_class'> {
  binary_sensors: SmileBinarySensors;
  sensors: SmileSensors;
  switches: SmileSwitches;
  c_heating_state?: boolean;
  thermostat_supports_cooling?: boolean;
}

/** An entity while it is being built: python-plugwise's snake_case dict. */
export type RawEntity = GwEntityData;

// ---- the mechanical snake_case -> camelCase of keys, as a type ----

type CamelKey<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelKey<Tail>>}` : S;

/** `T` with every object key camelCased, deeply (arrays and values untouched). */
export type Camelized<T> = T extends readonly (infer U)[]
  ? Camelized<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelKey<K> : K]: Camelized<T[K]> }
    : T;

/** python-plugwise's `GwEntityData`, keys camelCased (`dev_class` -> `devClass`), plus `id`. */
export type Entity = Camelized<GwEntityData> & { id: string };

export type BinarySensors = Camelized<SmileBinarySensors>;
export type Sensors = Camelized<SmileSensors>;
export type Switches = Camelized<SmileSwitches>;
export type Actuator = Camelized<ActuatorData>;

/** The snapshot's `gateway`: the hub as detected, and its clock. */
export type PlugwiseGateway = Omit<HubInfo, 'legacy' | 'facts'> & {
  /** The hub's clock (ms epoch) from its XML, or `now` when the XML has none. */
  time: number;
};

export interface PlugwiseSnapshot {
  /** The hub as detected, and its clock. */
  gateway: PlugwiseGateway;
  entities: Record<string, Entity>;
}

/** What python-plugwise calls `smile` (plus the connect-time flags of `Smile`): the hub's identity. */
export interface HubFacts {
  name: SmileName | 'Smile Anna P1';
  type: SmileType;
  target: string;
  vendorModel: string;
  /** `smile.version` as text ("3.9.0"). */
  firmware: string;
  hwVersion?: string;
  mac?: string;
  hostname?: string;
  zigbeeMac?: string;
  legacy: boolean;
  annaP1: boolean;
  adam: boolean;
  /** `check_name(ANNA)`: "Smile Anna" or "Smile Anna P1". */
  anna: boolean;
  stretchV2: boolean;
  onOffDevice: boolean;
  /** `./gateway/features/cooling` at connect (an Elga can turn it on later: see ModelState). */
  coolingPresent: boolean;
  elga: boolean;
}

export type Notifications = Record<string, Record<string, string | null>>;

/** The library's state that outlives one update (attributes of SmileAPI / SmileLegacyAPI). */
export interface ModelState {
  coolingPresent: boolean;
  coolingEnabled: boolean;
  heaterId: string;
  dhwAllowedModes: string[];
  regAllowedModes: string[];
  gwAllowedModes: string[];
  /** `_loc_data`: every location seen, in first-seen order (Adam zones are ranked over it). */
  locData: Map<string, { name?: string }>;
  /** Legacy: the entities of the last full update (a same-day update only refreshes their data). */
  entities: Map<string, RawEntity>;
  /** Legacy: the documents of the last full update that a same-day update does not re-read. */
  legacyDocs: Record<string, XmlNode>;
  /** Legacy: the local calendar day of the last update (a full update follows a day change). */
  lastDay?: string;
  homeLocId: string;
  gatewayId: string;
}

/** Everything one update needs, indexed once. */
export interface BuildContext {
  facts: HubFacts;
  state: ModelState;
  /** `now` as the hub's local wall clock (ms, as if UTC), for the "older than 7 days" rules. */
  nowLocal: number;
  domainObjects: XmlNode;
  /** Appliances by id (legacy: from /core/appliances). */
  appliances: Map<string, XmlNode>;
  applianceList: XmlNode[];
  locations: Map<string, XmlNode>;
  locationList: XmlNode[];
  /** Module by "<service tag>|<service id>" (legacy: from /core/modules). */
  moduleByService: Map<string, XmlNode>;
  /** Groups by id (from domain_objects). */
  groups: Map<string, XmlNode>;
  groupList: XmlNode[];
  rules: XmlNode[];
  notifications: Notifications;
  homeLocation?: XmlNode;
  entities: Map<string, RawEntity>;
}
