/**
 * The values of one entity of a modern hub: python-plugwise helper.py `_get_measurement_data` and what
 * it calls, data.py `_get_entity_data` / `_update_gw_entities` (gateway notifications, low batteries,
 * Anna cooling setpoints, the dhw_mode rename).
 */
import { actuatorMode, collectActuators, collectLock, collectToggles } from './actuators';
import { annaControlState, climateData } from './climate';
import { formatMeasure } from './format';
import { collectGroupSensors, collectMeasurements, newData, pointValue } from './logs';
import { p1PowerData } from './power';
import {
  ACTUATOR_CLASSES,
  BATTERY_CLASSES,
  DEVICE_MEASUREMENTS,
  GROUP_MEASUREMENTS,
  HEATER_CENTRAL_MEASUREMENTS,
  MAX_SETPOINT,
  MIN_SETPOINT,
  SWITCH_GROUP_TYPES,
  UNIT,
} from './tables';
import type { ActuatorData, BuildContext, EntityData, RawEntity } from './types';
import { kidText } from './xml';

/** helper.py `_process_c_heating_state` (with `_process_on_off_device_c_heating_state`). */
function cHeatingState(ctx: BuildContext, data: EntityData, on: boolean): void {
  const f = ctx.facts;
  const bs = data.binary_sensors;
  if (f.onOffDevice) {
    if (f.anna) bs.heating_state = on;
    if (f.adam) {
      bs.heating_state = false;
      bs.cooling_state = false;
      if (ctx.state.coolingEnabled) bs.cooling_state = on;
      else bs.heating_state = on;
    }
  }
  if (f.elga) bs.heating_state = on;
}

/** helper.py `_update_elga_cooling`: an Elga's status code 8/9 means cooling enabled, 8 cooling active. */
function elgaCooling(ctx: BuildContext, data: EntityData): void {
  const code = data.elga_status_code;
  if (data.thermostat_supports_cooling === true && code !== undefined) {
    ctx.state.coolingPresent = true;
    data.model = 'Generic heater/cooler';
    // the hub's own cooling_enabled does not show the right state
    ctx.state.coolingEnabled = data.binary_sensors.cooling_enabled = code === 8 || code === 9;
    data.binary_sensors.cooling_state = code === 8;
    delete data.switches.cooling_ena_switch; // an Elga has no cooling switch
  }
  delete data.elga_status_code;
}

/** helper.py `_update_loria_cooling`: cooling enabled follows cooling_state, or the cooling switch when there is one. */
function loriaCooling(ctx: BuildContext, data: EntityData): void {
  const bs = data.binary_sensors;
  ctx.state.coolingEnabled = bs.cooling_enabled = bs.cooling_state === true;
  if (data.switches.cooling_ena_switch !== undefined) ctx.state.coolingEnabled = bs.cooling_enabled = data.switches.cooling_ena_switch;
}

/** helper.py `_update_anna_cooling`. */
function annaCooling(ctx: BuildContext, entityId: string, data: EntityData): void {
  if (entityId !== ctx.state.heaterId) return;
  if (data.elga_status_code !== undefined) elgaCooling(ctx, data);
  else if (ctx.state.coolingPresent && data.binary_sensors.cooling_state !== undefined) loriaCooling(ctx, data);
}

/** helper.py `_cleanup_data`: no cooling values without cooling. */
function cleanup(ctx: BuildContext, data: EntityData): void {
  if (!ctx.state.coolingPresent) {
    delete data.binary_sensors.cooling_state;
    delete data.switches.cooling_ena_switch;
    delete data.binary_sensors.cooling_enabled;
  }
  delete data.thermostat_supports_cooling;
}

/** helper.py `_get_regulation_mode` / `_get_gateway_mode` (Adam gateway only). */
function gatewayModes(ctx: BuildContext, appliance: Parameters<typeof actuatorMode>[0], entityId: string, data: EntityData): void {
  if (!(ctx.facts.adam && entityId === ctx.state.gatewayId)) return;
  const regulation = actuatorMode(appliance, 'regulation_mode_control_functionality');
  if (regulation !== undefined) {
    // set for old and new firmware alike
    ctx.state.coolingEnabled = regulation === 'cooling';
    if (ctx.state.regAllowedModes.length > 0) data.select_regulation_mode = regulation;
  }
  const gateway = actuatorMode(appliance, 'gateway_mode_control_functionality');
  if (gateway !== undefined && ctx.state.gwAllowedModes.length > 0) data.select_gateway_mode = gateway;
}

/** helper.py `_get_gateway_outdoor_temp`: the Smile's outdoor temperature, from the Home location. */
function gatewayOutdoor(ctx: BuildContext, entityId: string, data: EntityData): void {
  if (!(ctx.facts.type === 'thermostat' && entityId === ctx.state.gatewayId) || ctx.homeLocation === undefined) return;
  const outdoor = pointValue(ctx.homeLocation, 'outdoor_temperature');
  if (outdoor !== undefined) data.sensors = { outdoor_temperature: formatMeasure(outdoor, UNIT.NONE) };
}

/** helper.py `_get_measurement_data`. */
function measurementData(ctx: BuildContext, entityId: string, entity: RawEntity): EntityData {
  const data = newData();
  const f = ctx.facts;
  const state = ctx.state;
  if (entity.dev_class === 'smartmeter' && (f.type === 'power' || f.annaP1) && ctx.homeLocation !== undefined) {
    p1PowerData(ctx.homeLocation, data);
  }
  if (f.type === 'power' && !f.annaP1) return data;

  if (entity.members !== undefined) {
    const group = ctx.groups.get(entityId);
    if (group !== undefined) collectGroupSensors(group, GROUP_MEASUREMENTS, data);
  }
  let table = DEVICE_MEASUREMENTS;
  if (f.type === 'thermostat' && entityId === state.heaterId) {
    table = HEATER_CENTRAL_MEASUREMENTS;
    if (state.dhwAllowedModes.length > 0) data.dhw_modes = state.dhwAllowedModes;
  }
  // helper.py `_collect_appliance_data`
  const appliance = ctx.appliances.get(entityId);
  if (appliance !== undefined) {
    collectMeasurements(appliance, table, data, ctx.nowLocal, { state });
    collectLock(appliance, data);
    collectToggles(appliance, data, state);
    if (ACTUATOR_CLASSES.has(kidText(appliance, 'type') ?? '')) {
      collectActuators(appliance, data, f.adam ? entity.dev_class === 'climate' : entity.dev_class === 'thermostat');
    }
    gatewayModes(ctx, appliance, entityId, data);
    gatewayOutdoor(ctx, entityId, data);
  }
  if (data.c_heating_state !== undefined) {
    cHeatingState(ctx, data, data.c_heating_state);
    delete data.c_heating_state;
  }
  if (f.type === 'thermostat' && f.anna) annaCooling(ctx, entityId, data);
  cleanup(ctx, data);
  return data;
}

/** data.py `_check_availability`: wired devices are available unless a notification says they are not. */
function availability(ctx: BuildContext, entity: RawEntity, devClass: string, message: string): void {
  if (entity.dev_class !== devClass) return;
  entity.available = true;
  for (const item of Object.values(ctx.notifications)) {
    for (const msg of Object.values(item)) if (typeof msg === 'string' && msg.includes(message)) entity.available = false;
  }
}

/** common.py `_entity_switching_group`: a switching or report group is on when any member's relay is on. */
export function groupRelay(ctx: BuildContext, entity: RawEntity): void {
  if (!SWITCH_GROUP_TYPES.has(entity.dev_class) || entity.switches === undefined) return;
  entity.switches.relay = (entity.members ?? []).some((id) => ctx.entities.get(id)?.switches?.relay === true);
}

/** helper.py `_heating_valves`: the number of open valves (0 also when no appliance reports one). */
function openValves(ctx: BuildContext): number {
  let open = 0;
  for (const appliance of ctx.applianceList) {
    const value = pointValue(appliance, 'valve_position');
    if (value !== undefined && Number(value) > 0) open += 1;
  }
  return open;
}

/** data.py `_get_adam_data`. */
function adamData(ctx: BuildContext, entity: RawEntity): void {
  const state = ctx.state;
  if (entity.dev_class === 'heater_central' && entity.binary_sensors !== undefined) {
    // heating through open valves when the heat comes from elsewhere (city heating); the library's
    // "no valves" (False) counts as 0 open valves
    if (ctx.facts.onOffDevice) entity.binary_sensors.heating_state = openValves(ctx) !== 0;
    if (entity.binary_sensors.cooling_enabled === undefined && state.coolingPresent) entity.binary_sensors.cooling_enabled = state.coolingEnabled;
  }
  if (entity.dev_class === 'gateway') {
    if (state.regAllowedModes.length > 0) entity.regulation_modes = state.regAllowedModes;
    if (state.gwAllowedModes.length > 0) entity.gateway_modes = state.gwAllowedModes;
  }
}

/** data.py `_get_entity_data`. */
function entityData(ctx: BuildContext, entityId: string, entity: RawEntity): void {
  Object.assign(entity, measurementData(ctx, entityId, entity));
  if (ctx.facts.adam) {
    adamData(ctx, entity);
    groupRelay(ctx, entity);
  }
  if (ctx.facts.anna && entity.dev_class === 'thermostat') {
    climateData(ctx, entityId, entity);
    annaControlState(ctx, entity);
  }
  availability(ctx, entity, 'smartmeter', 'P1 does not seem to be connected');
  if (entity.name !== 'OnOff') availability(ctx, entity, 'heater_central', 'no OpenTherm communication');
}

/** data.py `_detect_low_batteries`: MACs named in "Battery ... below" notifications; message-type ones are dropped. */
function lowBatteryMacs(ctx: BuildContext): string[] {
  const macs: string[] = [];
  for (const [id, notification] of Object.entries(ctx.notifications)) {
    const message = notification.message ?? null;
    const notify = message || notification.warning || null;
    if (notify === null || !notify.includes('Battery') || !notify.includes('below')) continue;
    const mac = /(?:[0-9A-F]{2}){8}/.exec(notify);
    if (mac === null) continue;
    macs.push(mac[0]);
    if (message !== null) delete ctx.notifications[id];
  }
  return macs;
}

/** data.py `_update_for_cooling`: an Anna with cooling shows setpoint_low / setpoint_high instead of setpoint. */
function coolingSetpoints(ctx: BuildContext, entity: RawEntity): void {
  if (!(ctx.facts.anna && ctx.state.coolingPresent && entity.dev_class === 'thermostat') || entity.thermostat === undefined) return;
  const { setpoint, ...rest } = entity.thermostat;
  const range: ActuatorData = ctx.state.coolingEnabled
    ? { setpoint_low: MIN_SETPOINT, setpoint_high: setpoint }
    : { setpoint_low: setpoint, setpoint_high: MAX_SETPOINT };
  entity.thermostat = { ...range, ...rest };
  const sensors = (entity.sensors ??= {});
  sensors.setpoint_low = range.setpoint_low;
  sensors.setpoint_high = range.setpoint_high;
  delete sensors.setpoint;
}

/** util.py `remove_empty_platform_dicts`. */
export function dropEmpty(entity: RawEntity): void {
  if (entity.binary_sensors !== undefined && Object.keys(entity.binary_sensors).length === 0) delete entity.binary_sensors;
  if (entity.sensors !== undefined && Object.keys(entity.sensors).length === 0) delete entity.sensors;
  if (entity.switches !== undefined && Object.keys(entity.switches).length === 0) delete entity.switches;
}

/** data.py `_update_gw_entities`: the values of every appliance and group entity, in order. */
export function updateModernEntities(ctx: BuildContext): void {
  let lowBattery: string[] = [];
  for (const [id, entity] of ctx.entities) {
    entityData(ctx, id, entity);
    if (id === ctx.state.gatewayId) {
      lowBattery = lowBatteryMacs(ctx);
      // data.py `_add_or_update_notifications`
      if ((ctx.facts.type === 'thermostat' || ctx.facts.type === 'power') && entity.binary_sensors?.plugwise_notification === undefined) {
        (entity.binary_sensors ??= {}).plugwise_notification = Object.keys(ctx.notifications).length > 0;
        entity.notifications = ctx.notifications;
      }
    }
    const bs = entity.binary_sensors;
    if (
      lowBattery.length > 0 &&
      bs?.low_battery !== undefined &&
      BATTERY_CLASSES.has(entity.dev_class) &&
      entity.zigbee_mac_address !== undefined &&
      lowBattery.includes(entity.zigbee_mac_address)
    ) {
      bs.low_battery = true;
    }
    coolingSetpoints(ctx, entity);
    dropEmpty(entity);
    // select_dhw_mode is called dhw_mode on a heater with a hot-water setpoint
    if (entity.max_dhw_temperature !== undefined && entity.select_dhw_mode !== undefined) {
      entity.dhw_mode = entity.select_dhw_mode;
      delete entity.select_dhw_mode;
    }
  }
}
