/**
 * Legacy hubs (Stretch v2/v3, Anna v1, P1 v2): entities from /core/appliances, /core/modules and
 * /core/locations, python-plugwise's invented gateway entity, and their values: legacy/helper.py and
 * legacy/data.py.
 */
import { collectActuators, collectLock } from './actuators';
import { annaControlState } from './climate';
import { dropEmpty, groupRelay } from './entity-data';
import { formatMeasure } from './format';
import { addEntity, heaterIdentity, reorderEntities, thermostatIdentity, type Identity } from './inventory';
import { collectMeasurements, newData, pointValue } from './logs';
import { LINK, moduleData, versionToModel } from './modules';
import { legacyP1PowerData } from './power';
import {
  ACTUATOR_CLASSES,
  DEVICE_MEASUREMENTS,
  FAKE_APPL,
  FAKE_LOC,
  HEATER_CENTRAL_MEASUREMENTS,
  LEGACY_SCHEDULE_NAME,
  NONE,
  OFF,
  THERMOSTAT_CLASSES,
  UNIT,
} from './tables';
import type { BuildContext, EntityData, ModelState, RawEntity } from './types';
import { attr, find, findAll, hasChildElements, kid, kidText, kids, type XmlNode } from './xml';

/**
 * legacy/helper.py `_get_locations`: every location into `_loc_data`, Home is the one of type building
 * (FAKE_LOC when there are none). A legacy P1 has one valid location: the one with services.
 */
export function legacyLocations(locationsRoot: XmlNode | undefined, power: boolean, state: ModelState): void {
  const locations = kids(locationsRoot, 'location');
  if (locations.length === 0) {
    state.homeLocId = FAKE_LOC;
    state.locData.set(FAKE_LOC, { name: 'Home' });
    return;
  }
  for (const location of locations) {
    const id = attr(location, 'id') ?? NONE;
    if (power && !hasChildElements(kid(location, 'services'))) continue;
    if (kidText(location, 'type') === 'building') state.homeLocId = id;
    state.locData.set(id, { name: kidText(location, 'name') });
  }
}

/** Python's str.title() on "water_heater_vessel" with the underscores made spaces. */
function title(value: string): string {
  return value.replace(/_/g, ' ').replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
}

/** legacy/helper.py `_energy_entity_info_finder`; undefined for an orphaned circle. */
function energyIdentity(ctx: BuildContext, element: XmlNode | undefined, base: Identity): Identity | undefined {
  if (ctx.facts.type !== 'power' && ctx.facts.type !== 'stretch') return base;
  const mod = element === undefined ? { found: false as const } : moduleData(element, LINK.legacyMeter, ctx.moduleByService, true);
  if (!mod.found) return undefined;
  let model = mod.vendorModel;
  if (mod.hardware !== undefined) model = versionToModel(mod.hardware.replace(/-/g, ''));
  return { ...base, firmware: mod.firmware, hardware: mod.hardware, model, vendor: mod.vendorName, zigbeeMac: mod.zigbeeMac };
}

/** legacy/helper.py `_create_legacy_gateway`: the hub itself, on the Home location id (P1: FAKE_APPL). */
function legacyGateway(ctx: BuildContext): void {
  const f = ctx.facts;
  const state = ctx.state;
  state.gatewayId = f.type === 'power' ? FAKE_APPL : state.homeLocId;
  addEntity(ctx, {
    id: state.gatewayId,
    devClass: 'gateway',
    firmware: f.firmware,
    location: state.homeLocId,
    mac: f.mac,
    model: 'Gateway',
    name: f.name,
    zigbeeMac: f.zigbeeMac,
    vendor: 'Plugwise',
  });
}

/** legacy/helper.py `_get_appliances` (with `_appliance_info_finder`, `_p1_smartmeter_info_finder`). */
export function collectLegacyEntities(ctx: BuildContext, locationsRoot: XmlNode | undefined): void {
  const f = ctx.facts;
  const power = f.type === 'power';
  legacyLocations(locationsRoot, power, ctx.state);
  legacyGateway(ctx);
  if (power) {
    const locId = ctx.state.locData.keys().next().value ?? FAKE_LOC;
    const location = kids(locationsRoot, 'location').find((l) => attr(l, 'id') === locId);
    const base: Identity = { id: locId, devClass: 'smartmeter', location: locId, model: 'Gateway', name: 'P1' };
    const identity = energyIdentity(ctx, location, base);
    if (identity !== undefined) addEntity(ctx, identity);
    return;
  }
  for (const appliance of ctx.applianceList) {
    let devClass = kidText(appliance, 'type') ?? NONE;
    // an orphaned thermostat has no actuators
    if (devClass === 'thermostat' && !hasChildElements(kid(appliance, 'actuator_functionalities'))) continue;
    const name = kidText(appliance, 'name');
    // a Circle/Stealth switching a boiler is a heater_central too
    if (devClass === 'heater_central' && name !== 'Central heating boiler') devClass = 'heater_central_plug';
    const base: Identity = { id: attr(appliance, 'id') ?? NONE, devClass, location: ctx.state.homeLocId, name, model: title(devClass) };
    let identity: Identity | undefined;
    if (THERMOSTAT_CLASSES.has(devClass)) identity = thermostatIdentity(ctx, appliance, base);
    else if (devClass === 'heater_central') identity = heaterIdentity(ctx, appliance, base, true);
    else identity = energyIdentity(ctx, appliance, base);
    if (identity === undefined) continue;
    // an orphaned second heater_central
    if (devClass === 'heater_central' && identity.id !== ctx.state.heaterId) continue;
    addEntity(ctx, identity);
  }
  reorderEntities(ctx);
}

/** legacy/helper.py `_presets`: rule directives with an icon and a temperature. */
function legacyPresets(ctx: BuildContext): string[] {
  const names: string[] = [];
  for (const then of findAll(ctx.domainObjects, ['rule', 'directives', 'when', 'then'])) {
    const icon = attr(then, 'icon');
    if (icon !== undefined && attr(then, 'temperature') !== undefined && !names.includes(icon)) names.push(icon);
  }
  return names;
}

/** legacy/helper.py `_preset`: the icon of the first directive of the active rules. */
function legacyActivePreset(ctx: BuildContext): string | null {
  const then = ctx.rules.filter((r) => kidText(r, 'active') === 'true').map((r) => find(r, ['directives', 'when', 'then'])).find((t) => t !== undefined);
  return attr(then, 'icon') ?? null;
}

/** legacy/helper.py `_schedules`: "off" and the "Thermostat schedule" when it has directives. */
function legacySchedules(ctx: BuildContext): { available: string[]; selected: string } {
  const rule = ctx.rules.find((r) => kidText(r, 'name') === LEGACY_SCHEDULE_NAME);
  // the thermostat in domain_objects says whether the schedule runs
  const thermostat = kids(ctx.domainObjects, 'appliance').filter((a) => kidText(a, 'type') === 'thermostat');
  const state = thermostat.map((a) => pointValue(a, 'schedule_state')).find((v) => v !== undefined);
  if (rule !== undefined && find(rule, ['directives', 'when', 'then']) !== undefined) {
    return { available: [OFF, LEGACY_SCHEDULE_NAME], selected: state === 'on' ? LEGACY_SCHEDULE_NAME : OFF };
  }
  return { available: [OFF], selected: OFF };
}

/** legacy/data.py `_climate_data`. */
function legacyClimate(ctx: BuildContext, entity: RawEntity): void {
  const presetNames = legacyPresets(ctx);
  entity.preset_modes = null;
  entity.active_preset = null;
  if (presetNames.length > 0) {
    entity.preset_modes = presetNames;
    entity.active_preset = legacyActivePreset(ctx);
  }
  const { available, selected } = legacySchedules(ctx);
  entity.available_schedules = [OFF];
  entity.select_schedule = OFF;
  if (!(available.length === 1 && available[0] === OFF)) {
    entity.available_schedules = available;
    entity.select_schedule = selected;
  }
  entity.climate_mode = selected === OFF ? 'heat' : 'auto';
}

/** legacy/helper.py `_get_measurement_data`. */
function legacyMeasurementData(ctx: BuildContext, entityId: string, entity: RawEntity, modulesRoot: XmlNode | undefined): EntityData {
  const f = ctx.facts;
  const data = newData();
  if (f.type === 'power') {
    if (entity.dev_class === 'smartmeter' && modulesRoot !== undefined) legacyP1PowerData(modulesRoot, data);
    return data;
  }
  const appliance = ctx.appliances.get(entityId);
  if (appliance !== undefined) {
    const table = f.type === 'thermostat' && entityId === ctx.state.heaterId ? HEATER_CENTRAL_MEASUREMENTS : DEVICE_MEASUREMENTS;
    collectMeasurements(appliance, table, data, ctx.nowLocal, { legacy: true });
    collectLock(appliance, data, f.stretchV2);
    if (ACTUATOR_CLASSES.has(kidText(appliance, 'type') ?? '')) collectActuators(appliance, data, entity.dev_class !== 'thermo_sensor', true);
  }
  // the Anna's outdoor temperature is on the Home location; /core/locations can be empty, so domain_objects
  if (f.type === 'thermostat' && entityId === ctx.state.gatewayId) {
    const home = kids(ctx.domainObjects, 'location').find((l) => attr(l, 'id') === ctx.state.homeLocId);
    const outdoor = home === undefined ? undefined : pointValue(home, 'outdoor_temperature');
    if (outdoor !== undefined) data.sensors = { outdoor_temperature: formatMeasure(outdoor, UNIT.NONE) };
  }
  delete data.c_heating_state;
  return data;
}

/** legacy/data.py `_update_gw_entities` (with `_get_entity_data`): the values of every entity. */
export function updateLegacyEntities(ctx: BuildContext, modulesRoot: XmlNode | undefined): void {
  for (const [id, entity] of ctx.entities) {
    Object.assign(entity, legacyMeasurementData(ctx, id, entity, modulesRoot));
    groupRelay(ctx, entity);
    if (entity.dev_class === 'thermostat') {
      legacyClimate(ctx, entity);
      annaControlState(ctx, entity, false);
    }
    dropEmpty(entity);
  }
}
