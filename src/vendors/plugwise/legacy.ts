/**
 * Legacy hubs (Stretch v2/v3, Anna v1, P1 v2): entities from /core/appliances, /core/modules and
 * /core/locations; python-plugwise's invented gateway entity; their values.
 */
import { collectActuators, collectLock } from './actuators';
import { annaControlState } from './climate';
import { formatMeasure } from './format';
import { addEntity, findHeaterId, heaterIdentity, reorderEntities } from './inventory';
import { collectMeasurements, newData, pointValue } from './logs';
import { checkModel, LINK, moduleData, versionToModel } from './modules';
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
import type { BuildContext, EntityData, RawEntity } from './types';
import { attr, find, findAll, hasChildElements, kid, kidText, kids, type XmlNode } from './xml';

/** The Home location id of a legacy hub (FAKE_LOC when /core/locations is empty). */
export function legacyHomeLocation(locationsRoot: XmlNode | undefined, power: boolean): { id: string; location?: XmlNode } {
  const locations = kids(locationsRoot, 'location');
  if (locations.length === 0) return { id: FAKE_LOC };
  let home: { id: string; location?: XmlNode } = { id: FAKE_LOC };
  for (const location of locations) {
    // a legacy P1 has one valid location: the one with services
    if (power && !hasChildElements(kid(location, 'services'))) continue;
    if (power || kidText(location, 'name') === 'Home') home = { id: attr(location, 'id') as string, location };
  }
  return home;
}

/** Python's str.title() for class names like "water_heater_vessel". */
function title(value: string): string {
  return value.replace(/_/g, ' ').replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
}

function energyIdentity(ctx: BuildContext, element: XmlNode, base: Parameters<typeof addEntity>[1]) {
  const mod = moduleData(element, LINK.legacyMeter, ctx.moduleByService, true);
  if (mod.zigbeeMac === undefined && ctx.facts.type !== 'power') return undefined; // orphaned circle
  let model = mod.vendorModel;
  if (mod.hardware !== undefined) model = versionToModel(mod.hardware.replace(/-/g, ''));
  return { ...base, zigbeeMac: mod.zigbeeMac, hardware: mod.hardware, model, vendor: mod.vendorName, firmware: mod.firmware };
}

/** All entities of a legacy hub. */
export function collectLegacyEntities(ctx: BuildContext, locationsRoot: XmlNode | undefined): void {
  const f = ctx.facts;
  const power = f.type === 'power';
  const home = legacyHomeLocation(locationsRoot, power);
  ctx.homeLocId = home.id;
  ctx.gatewayId = power ? FAKE_APPL : home.id;
  addEntity(ctx, {
    id: ctx.gatewayId,
    devClass: 'gateway',
    firmware: f.firmware,
    location: ctx.homeLocId,
    mac: f.mac,
    model: 'Gateway',
    name: f.name,
    zigbeeMac: f.zigbeeMac,
    vendor: 'Plugwise',
  });
  if (power) {
    const location = home.location;
    const base = { id: ctx.homeLocId, devClass: 'smartmeter', location: ctx.homeLocId, model: 'Gateway', name: 'P1' };
    const identity = location === undefined ? base : energyIdentity(ctx, location, base);
    if (identity !== undefined) addEntity(ctx, identity);
    return;
  }
  ctx.heaterId = findHeaterId(ctx.applianceList);
  for (const appliance of ctx.applianceList) {
    let devClass = kidText(appliance, 'type') ?? '';
    if (devClass === 'thermostat' && !hasChildElements(kid(appliance, 'actuator_functionalities'))) continue;
    const name = kidText(appliance, 'name');
    if (devClass === 'heater_central' && name !== 'Central heating boiler') devClass = 'heater_central_plug';
    const base = { id: attr(appliance, 'id') as string, devClass, location: ctx.homeLocId, name, model: title(devClass) };
    let identity: Parameters<typeof addEntity>[1] | undefined;
    if (THERMOSTAT_CLASSES.has(devClass)) {
      const mod = moduleData(appliance, LINK.thermostat, ctx.moduleByService);
      identity = { ...base, vendor: mod.vendorName, model: mod.vendorModel };
      if (mod.vendorModel !== 'ThermoTouch') {
        identity.modelId = mod.vendorModel;
        identity.model = checkModel(mod.vendorModel, mod.vendorName);
      }
      Object.assign(identity, { available: mod.reachable, hardware: mod.hardware, firmware: mod.firmware, zigbeeMac: mod.zigbeeMac });
    } else if (devClass === 'heater_central') identity = heaterIdentity(ctx, appliance, base, true);
    else if (f.type === 'stretch') identity = energyIdentity(ctx, appliance, base);
    else identity = base;
    if (identity !== undefined) addEntity(ctx, identity);
  }
  reorderEntities(ctx);
}

/** Legacy Anna presets: rule directives with an icon and a temperature. */
function legacyPresets(ctx: BuildContext): string[] {
  const names: string[] = [];
  for (const then of findAll(ctx.domainObjects, ['rule', 'directives', 'when', 'then'])) {
    const icon = attr(then, 'icon');
    if (icon !== undefined && !names.includes(icon)) names.push(icon);
  }
  return names;
}

function legacyActivePreset(ctx: BuildContext): string | null {
  for (const rule of ctx.rules) {
    if (kidText(rule, 'active') !== 'true') continue;
    return attr(find(rule, ['directives', 'when', 'then']), 'icon') ?? null;
  }
  return null;
}

function legacySchedules(ctx: BuildContext): { available: string[]; selected: string } {
  const rule = ctx.rules.find((r) => kidText(r, 'name') === LEGACY_SCHEDULE_NAME);
  const thermostat = ctx.applianceList.find((a) => kidText(a, 'type') === 'thermostat');
  const active = thermostat !== undefined && pointValue(thermostat, 'schedule_state') === 'on';
  if (rule !== undefined && find(rule, ['directives', 'when', 'then']) !== undefined) {
    return { available: [LEGACY_SCHEDULE_NAME, OFF], selected: active ? LEGACY_SCHEDULE_NAME : OFF };
  }
  return { available: [NONE], selected: NONE };
}

function legacyClimate(ctx: BuildContext, data: EntityData): void {
  const presetNames = legacyPresets(ctx);
  data.preset_modes = presetNames.length > 0 ? presetNames : null;
  data.active_preset = presetNames.length > 0 ? legacyActivePreset(ctx) : null;
  const { available, selected } = legacySchedules(ctx);
  data.available_schedules = [];
  data.select_schedule = null;
  if (!(available.length === 1 && available[0] === NONE)) {
    data.available_schedules = available;
    data.select_schedule = selected;
  }
  data.climate_mode = selected === NONE || selected === OFF ? 'heat' : 'auto';
  annaControlState(ctx, data);
}

/** Values of one legacy entity. */
export function legacyEntityData(ctx: BuildContext, entityId: string, entity: RawEntity, modulesRoot: XmlNode | undefined): EntityData {
  const f = ctx.facts;
  const data = newData();
  if (f.type === 'power') {
    if (entity.dev_class === 'smartmeter' && modulesRoot !== undefined) legacyP1PowerData(modulesRoot, data);
    return data;
  }
  const appliance = ctx.appliances.get(entityId);
  if (appliance !== undefined) {
    const table = f.type === 'thermostat' && entityId === ctx.heaterId ? HEATER_CENTRAL_MEASUREMENTS : DEVICE_MEASUREMENTS;
    collectMeasurements(appliance, table, data, ctx.nowLocal, { skipDhwState: true });
    collectLock(appliance, data, f.stretchV2);
    if (ACTUATOR_CLASSES.has(kidText(appliance, 'type') ?? '')) {
      collectActuators(appliance, data, entity.dev_class !== 'thermo_sensor', true);
    }
  }
  if (f.type === 'thermostat' && entityId === ctx.gatewayId) {
    const home = findAll(ctx.domainObjects, ['location']).find((l) => attr(l, 'id') === ctx.homeLocId);
    const outdoor = home === undefined ? undefined : pointValue(home, 'outdoor_temperature');
    if (outdoor !== undefined) data.sensors = { outdoor_temperature: formatMeasure(outdoor, UNIT.NONE) };
  }
  delete data.c_heating_state;
  if (entity.dev_class === 'thermostat') legacyClimate(ctx, data);
  return data;
}

