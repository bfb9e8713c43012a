/**
 * The values of one entity of a modern hub (python-plugwise `_get_measurement_data` and
 * `_get_entity_data`): sensors, binary sensors, switches, setpoints, modes, availability.
 */
import { actuatorMode, collectActuators, collectLock, collectToggles } from './actuators';
import { formatMeasure } from './format';
import { collectMeasurements, newData, pointValue } from './logs';
import { p1PowerData } from './power';
import {
  ACTUATOR_CLASSES,
  DEVICE_MEASUREMENTS,
  DHW_COMFORT_MODES,
  GROUP_MEASUREMENTS,
  GROUP_TYPES,
  HEATER_CENTRAL_MEASUREMENTS,
  SWITCH_GROUP_TYPES,
  UNIT,
} from './tables';
import type { BuildContext, EntityData, RawEntity } from './types';
import { kidText } from './xml';

/** Boiler on/off and Elga/Loria heat-pump rules for heating and cooling state. */
function heaterStates(ctx: BuildContext, data: EntityData): void {
  const f = ctx.facts;
  if ('c_heating_state' in data) {
    const chState = data.c_heating_state === true;
    if (f.onOffDevice && f.anna) data.binary_sensors.heating_state = chState;
    if (f.onOffDevice && f.adam) {
      data.binary_sensors.heating_state = false;
      data.binary_sensors.cooling_state = false;
      if (ctx.coolingEnabled) data.binary_sensors.cooling_state = chState;
      else data.binary_sensors.heating_state = chState;
    }
    if (f.elga) data.binary_sensors.heating_state = chState;
    delete data.c_heating_state;
  }
  if (!f.anna) return;
  if ('elga_status_code' in data) {
    if (data.thermostat_supports_cooling === true) {
      data.model = 'Generic heater/cooler';
      const code = data.elga_status_code as number;
      ctx.coolingEnabled = data.binary_sensors.cooling_enabled = code === 8 || code === 9;
      data.binary_sensors.cooling_state = code === 8;
      delete data.switches.cooling_ena_switch;
    }
    delete data.elga_status_code;
  } else if (f.coolingPresent && 'cooling_state' in data.binary_sensors) {
    ctx.coolingEnabled = data.binary_sensors.cooling_enabled = data.binary_sensors.cooling_state;
    if ('cooling_ena_switch' in data.switches) {
      ctx.coolingEnabled = data.binary_sensors.cooling_enabled = data.switches.cooling_ena_switch;
    }
  }
}

/** Drop cooling values when the hub has no cooling. */
function cleanup(ctx: BuildContext, data: EntityData): void {
  if (!ctx.facts.coolingPresent) {
    delete data.binary_sensors.cooling_state;
    delete data.switches.cooling_ena_switch;
    delete data.binary_sensors.cooling_enabled;
  }
  delete data.thermostat_supports_cooling;
}

/** Boiler extras: dhw comfort/eco modes from the comfort switch, current boiler temperature. */
function heaterExtras(ctx: BuildContext, data: EntityData): void {
  if (ctx.dhwAllowedModes.length > 0) data.dhw_modes = [...ctx.dhwAllowedModes];
  else if ('dhw_cm_switch' in data.switches) {
    data.dhw_modes = [...DHW_COMFORT_MODES];
    data.select_dhw_mode = data.switches.dhw_cm_switch ? 'comfort' : 'eco';
  }
  const maxBoiler = data.maximum_boiler_temperature as Record<string, number> | undefined;
  if (maxBoiler !== undefined && 'water_temperature' in data.sensors) maxBoiler.current = data.sensors.water_temperature;
  const maxDhw = data.max_dhw_temperature as Record<string, number> | undefined;
  if (maxDhw !== undefined && 'dhw_temperature' in data.sensors) maxDhw.current = data.sensors.dhw_temperature;
}

/** Adam gateway: regulation and gateway mode. */
function gatewayModes(ctx: BuildContext, entityId: string, data: EntityData): void {
  if (!ctx.facts.adam || entityId !== ctx.gatewayId) return;
  const appliance = ctx.appliances.get(entityId);
  if (appliance === undefined) return;
  const regulation = actuatorMode(appliance, 'regulation_mode_control_functionality');
  if (regulation !== undefined) {
    data.select_regulation_mode = regulation;
    ctx.coolingEnabled = regulation === 'cooling';
  }
  const gateway = actuatorMode(appliance, 'gateway_mode_control_functionality');
  if (gateway !== undefined) data.select_gateway_mode = gateway;
}

function measurementData(ctx: BuildContext, entityId: string, entity: RawEntity): EntityData {
  const data = newData();
  const f = ctx.facts;
  if (entity.dev_class === 'smartmeter') {
    if (ctx.homeLocation !== undefined) p1PowerData(ctx.homeLocation, data);
    return data;
  }
  if (f.type === 'power') return data;

  const isHeater = entityId === ctx.heaterId;
  const appliance = ctx.appliances.get(entityId);
  if (appliance !== undefined) {
    const table = f.type === 'thermostat' && isHeater ? HEATER_CENTRAL_MEASUREMENTS : DEVICE_MEASUREMENTS;
    collectMeasurements(appliance, table, data, ctx.nowLocal);
    collectLock(appliance, data);
    collectToggles(appliance, data);
    if (ACTUATOR_CLASSES.has(kidText(appliance, 'type') ?? '')) {
      const withThermostat = f.adam ? entity.dev_class === 'climate' : entity.dev_class === 'thermostat';
      collectActuators(appliance, data, withThermostat);
    }
  } else if (GROUP_TYPES.has(entity.dev_class)) {
    const group = ctx.groups.get(entityId);
    if (group !== undefined) collectMeasurements(group, GROUP_MEASUREMENTS, data, ctx.nowLocal);
  }
  gatewayModes(ctx, entityId, data);
  if (f.type === 'thermostat' && entityId === ctx.gatewayId && ctx.homeLocation !== undefined) {
    const outdoor = pointValue(ctx.homeLocation, 'outdoor_temperature');
    if (outdoor !== undefined) data.sensors = { outdoor_temperature: formatMeasure(outdoor, UNIT.NONE) };
  }
  if (f.type === 'thermostat' && isHeater) {
    heaterStates(ctx, data);
    heaterExtras(ctx, data);
  }
  delete data.c_heating_state;
  cleanup(ctx, data);
  return data;
}

/** Wired devices are available unless a notification says they are not. */
function availability(ctx: BuildContext, entity: RawEntity, data: EntityData): void {
  const checks: Record<string, string> = {
    smartmeter: 'P1 does not seem to be connected',
    heater_central: 'no OpenTherm communication',
  };
  const message = checks[entity.dev_class];
  if (message === undefined || (entity.dev_class === 'heater_central' && entity.name === 'OnOff')) return;
  data.available = true;
  for (const item of Object.values(ctx.notifications)) {
    for (const msg of Object.values(item)) {
      if (typeof msg === 'string' && msg.includes(message)) data.available = false;
    }
  }
}

/** A switching or report group is on when any member's relay is on. */
export function groupRelay(ctx: BuildContext, entity: RawEntity, data: EntityData): void {
  if (!SWITCH_GROUP_TYPES.has(entity.dev_class)) return;
  const members = (entity.members as string[] | undefined) ?? [];
  data.switches.relay = members.some((id) => {
    const switches = ctx.entities.get(id)?.switches as Record<string, boolean> | undefined;
    return switches?.relay === true;
  });
}

/** Adam: heating via open valves (on/off boilers), cooling_enabled, allowed modes on the gateway. */
function adamData(ctx: BuildContext, entity: RawEntity, data: EntityData): void {
  if (entity.dev_class === 'heater_central') {
    if (ctx.facts.onOffDevice) {
      const valves = openValves(ctx);
      if (valves !== undefined) data.binary_sensors.heating_state = valves !== 0;
    }
    if (!('cooling_enabled' in data.binary_sensors) && ctx.facts.coolingPresent) {
      data.binary_sensors.cooling_enabled = ctx.coolingEnabled;
    }
  }
  if (entity.dev_class === 'gateway') {
    if (ctx.regAllowedModes.length > 0) data.regulation_modes = [...ctx.regAllowedModes];
    if (ctx.gwAllowedModes.length > 0) data.gateway_modes = [...ctx.gwAllowedModes];
  }
}

/** Number of open valves (valve_position > 0), undefined when no appliance reports one. */
function openValves(ctx: BuildContext): number | undefined {
  let found = 0;
  let open = 0;
  for (const appliance of ctx.applianceList) {
    const value = pointValue(appliance, 'valve_position');
    if (value === undefined) continue;
    found += 1;
    if (Number(value) > 0) open += 1;
  }
  return found === 0 ? undefined : open;
}

/** All values of one appliance/group entity (zones are handled in climate.ts). */
export function entityData(ctx: BuildContext, entityId: string, entity: RawEntity): EntityData {
  const data = measurementData(ctx, entityId, entity);
  availability(ctx, entity, data);
  groupRelay(ctx, entity, data);
  if (ctx.facts.adam) adamData(ctx, entity, data);
  return data;
}
