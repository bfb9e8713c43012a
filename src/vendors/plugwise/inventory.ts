/**
 * Which entities a modern hub (Adam, Anna, P1) has, with their identity fields: python-plugwise
 * helper.py `_get_appliances` and what it calls, common.py `_create_gw_entities` / `_reorder_devices`.
 */
import { badResponse, GatewayError } from '../../core/errors';
import { allowedModes, collectToggles, functionalityOf } from './actuators';
import { checkModel, LINK, moduleData } from './modules';
import { GATEWAY_MODES, NONE, THERMOSTAT_CLASSES } from './tables';
import type { BuildContext, RawEntity } from './types';
import { attr, hasChildElements, kid, kidText, type XmlNode } from './xml';

/** `appl` of python-plugwise: an entity's identity while it is collected. */
export interface Identity {
  id: string;
  devClass: string;
  available?: boolean;
  firmware?: string;
  hardware?: string;
  location?: string | null;
  mac?: string;
  model?: string;
  modelId?: string;
  name?: string;
  zigbeeMac?: string;
  vendor?: string;
}

/** python-plugwise `_create_gw_entities`: values that are None are left out, `location` always kept. */
export function addEntity(ctx: BuildContext, a: Identity): void {
  const entity: RawEntity = { dev_class: a.devClass };
  if (a.available !== undefined) entity.available = a.available;
  if (a.firmware !== undefined) entity.firmware = a.firmware;
  if (a.hardware !== undefined) entity.hardware = a.hardware;
  entity.location = a.location ?? null;
  if (a.mac !== undefined) entity.mac_address = a.mac;
  if (a.model !== undefined) entity.model = a.model;
  if (a.modelId !== undefined) entity.model_id = a.modelId;
  if (a.name !== undefined) entity.name = a.name;
  if (a.vendor !== undefined) entity.vendor = a.vendor;
  if (a.zigbeeMac !== undefined) entity.zigbee_mac_address = a.zigbeeMac;
  ctx.entities.set(a.id, entity);
}

/**
 * util.py `check_heater_central`: the boiler among the heater_central appliances named "Central heating
 * boiler" (with two of them, the first that has actuators).
 */
export function findHeaterId(appliances: XmlNode[]): string {
  const candidates: Array<{ id: string; actuators: boolean }> = [];
  for (const appliance of appliances) {
    if (kidText(appliance, 'type') !== 'heater_central') continue;
    const id = attr(appliance, 'id');
    if (id === undefined || kid(appliance, 'name') === undefined) continue;
    if (kidText(appliance, 'name') !== 'Central heating boiler') continue;
    candidates.push({ id, actuators: hasChildElements(kid(appliance, 'actuator_functionalities')) });
  }
  if (candidates.length === 0) return NONE;
  if (candidates.length > 1) return (candidates.find((c) => c.actuators) ?? candidates[0]).id;
  return candidates[0].id;
}

/** helper.py `_get_locations`: every location into `_loc_data`; Home is the one of type "building". */
function readLocations(ctx: BuildContext): void {
  if (ctx.locationList.length === 0) {
    throw new GatewayError('SERVER_ERROR', 'The Smile sent no locations (it is restarting or not ready); it will be retried.');
  }
  let home: XmlNode | undefined;
  for (const location of ctx.locationList) {
    const id = attr(location, 'id') ?? NONE;
    ctx.state.locData.set(id, { name: kidText(location, 'name') });
    if (kidText(location, 'type') === 'building') {
      ctx.state.homeLocId = id;
      home = ctx.locations.get(id);
    }
  }
  if (home === undefined) throw badResponse('The Smile has no Home location (of type building): check the hub in the Plugwise app.');
  ctx.homeLocation = home;
}

/** helper.py `_appl_gateway_info`. */
function gatewayIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity {
  const f = ctx.facts;
  ctx.state.gatewayId = base.id;
  const identity: Identity = {
    ...base,
    firmware: kidText(kid(ctx.domainObjects, 'gateway'), 'firmware_version'),
    hardware: f.hwVersion,
    mac: f.mac,
    model: 'Gateway',
    modelId: f.vendorModel,
    name: f.name,
    vendor: 'Plugwise',
  };
  if (f.adam) {
    const coordinator = findDeep(ctx.domainObjects, 'zig_bee_coordinator');
    if (coordinator !== undefined) identity.zigbeeMac = kidText(coordinator, 'mac_address');
    ctx.state.regAllowedModes = allowedModes(appliance, 'regulation_mode_control_functionality');
    const modes = kid(functionalityOf(appliance, 'gateway_mode_control_functionality', 'gateway_mode'), 'allowed_modes');
    ctx.state.gwAllowedModes = modes !== undefined ? [...GATEWAY_MODES] : [];
  }
  return identity;
}

/** ElementTree `.//protocols/<tag>` over the whole document, in document order. */
function findDeep(root: XmlNode, tag: string): XmlNode | undefined {
  if (typeof root !== 'object') return undefined;
  for (const [key, value] of Object.entries(root)) {
    if (key === '@' || key === '#text' || !Array.isArray(value)) continue;
    for (const child of value as XmlNode[]) {
      if (key === 'protocols') {
        const hit = kid(child, tag);
        if (hit !== undefined) return hit;
      }
      const deeper = findDeep(child, tag);
      if (deeper !== undefined) return deeper;
    }
  }
  return undefined;
}

/** common.py `_appl_thermostat_info`; undefined when the module is gone (a removed device). */
export function thermostatIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity | undefined {
  const mod = moduleData(appliance, LINK.thermostat, ctx.moduleByService);
  if (!mod.found) return undefined;
  const identity: Identity = { ...base, vendor: mod.vendorName, model: mod.vendorModel };
  if (mod.vendorModel !== 'ThermoTouch') {
    // an Anna has no model_id of its own
    identity.modelId = mod.vendorModel;
    identity.model = checkModel(mod.vendorModel, mod.vendorName);
  }
  identity.available = mod.reachable;
  identity.hardware = mod.hardware;
  identity.firmware = mod.firmware;
  identity.zigbeeMac = mod.zigbeeMac;
  return identity;
}

/** common.py `_appl_heater_central_info`; undefined when there is no valid boiler or its module is gone. */
export function heaterIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity, legacy: boolean): Identity | undefined {
  ctx.state.heaterId = findHeaterId(ctx.applianceList);
  if (ctx.state.heaterId === NONE) return undefined;
  if (ctx.facts.onOffDevice) return { ...base, name: 'OnOff', model: 'Unknown', vendor: undefined };
  let mod = moduleData(appliance, LINK.boilerFlame, ctx.moduleByService);
  if (!mod.found) mod = moduleData(appliance, LINK.boilerService, ctx.moduleByService);
  if (!mod.found) {
    ctx.state.heaterId = NONE; // the device has been removed
    return undefined;
  }
  return {
    ...base,
    name: 'OpenTherm',
    vendor: mod.vendorName,
    hardware: mod.hardware,
    modelId: legacy ? undefined : mod.vendorModel,
    model: ctx.state.coolingPresent ? 'Generic heater/cooler' : 'Generic heater',
  };
}

/** helper.py `_appliance_info_finder`, plug branch; undefined for an orphaned or removed plug. */
function plugIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity | undefined {
  const mod = moduleData(appliance, LINK.plug, ctx.moduleByService);
  if (!mod.found) return undefined;
  return {
    ...base,
    available: mod.reachable,
    firmware: mod.firmware,
    hardware: mod.hardware,
    modelId: mod.vendorModel,
    vendor: mod.vendorName,
    model: checkModel(mod.vendorModel, mod.vendorName),
    zigbeeMac: mod.zigbeeMac,
  };
}

/** helper.py `extend_plug_device_class`: Plugwise and Aqara plugs get `_plug`. */
function applianceClass(appliance: XmlNode): string {
  const type = kidText(appliance, 'type') ?? NONE;
  const description = kidText(appliance, 'description');
  if (description !== undefined && (description.includes('ZigBee protocol') || description.includes('smart plug'))) {
    return `${type}_plug`;
  }
  return type;
}

/** helper.py `_appliance_info_finder`. */
function identify(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity | undefined {
  const cls = base.devClass;
  if (cls === 'gateway') return gatewayIdentity(ctx, appliance, base);
  if (THERMOSTAT_CLASSES.has(cls)) return thermostatIdentity(ctx, appliance, base);
  if (cls === 'heater_central') {
    const identity = heaterIdentity(ctx, appliance, base, false);
    if (identity !== undefined) collectDhwModes(ctx, appliance);
    return identity;
  }
  if (cls.endsWith('_plug')) return plugIdentity(ctx, appliance, base);
  return undefined;
}

/** helper.py `_collect_dhw_modes`: a Loria's hot-water modes, else comfort/eco from the comfort toggle. */
function collectDhwModes(ctx: BuildContext, appliance: XmlNode): void {
  ctx.state.dhwAllowedModes = allowedModes(appliance, 'domestic_hot_water_mode_control_functionality');
  if (ctx.state.dhwAllowedModes.length === 0) collectToggles(appliance, undefined, ctx.state);
}

/** helper.py `_get_p1_smartmeter_info`: the meter lives on the Home location; a Smile P1 swaps its id with the gateway's. */
function addSmartMeter(ctx: BuildContext): void {
  const home = ctx.homeLocation;
  if (home === undefined) return;
  const mod = moduleData(home, LINK.smartmeter, ctx.moduleByService);
  if (!mod.found) return; // the meter has been removed
  const state = ctx.state;
  let id = state.homeLocId;
  if (!ctx.facts.annaP1) {
    id = state.gatewayId;
    const gateway = ctx.entities.get(state.gatewayId);
    ctx.entities.delete(state.gatewayId);
    if (gateway !== undefined) ctx.entities.set(state.homeLocId, gateway);
    state.gatewayId = state.homeLocId;
  }
  addEntity(ctx, {
    id,
    devClass: 'smartmeter',
    firmware: mod.firmware,
    hardware: mod.hardware,
    location: state.homeLocId,
    model: mod.vendorModel,
    name: 'P1',
    vendor: mod.vendorName,
  });
}

/** helper.py `_get_appliances`: all entities of a modern hub, gateway first, then the boiler, then XML order. */
export function collectModernEntities(ctx: BuildContext): void {
  readLocations(ctx);
  for (const appliance of ctx.applianceList) {
    const type = kidText(appliance, 'type') ?? NONE;
    // the OpenTherm gateway is no entity; a thermostat without actuators is an orphaned device
    if (type === 'open_therm_gateway') continue;
    if (type === 'thermostat' && !hasChildElements(kid(appliance, 'actuator_functionalities'))) continue;
    const locationElement = kid(appliance, 'location');
    let location: string | null = null;
    if (locationElement !== undefined) location = attr(locationElement, 'id') ?? null;
    else if (!THERMOSTAT_CLASSES.has(type)) location = ctx.state.homeLocId;
    // thermostats without a location are not active
    if (THERMOSTAT_CLASSES.has(type) && location === null) continue;
    const base: Identity = { id: attr(appliance, 'id') ?? NONE, devClass: applianceClass(appliance), location, name: kidText(appliance, 'name') };
    const identity = identify(ctx, appliance, base);
    if (identity !== undefined) addEntity(ctx, identity);
  }
  if (ctx.facts.type === 'power' || ctx.facts.annaP1) addSmartMeter(ctx);
  reorderEntities(ctx);
}

/** common.py `_reorder_devices`: the (first) gateway and heater_central first; later steps read their data. */
export function reorderEntities(ctx: BuildContext): void {
  const front = new Map<string, RawEntity>();
  for (const cls of ['gateway', 'heater_central']) {
    for (const [id, entity] of ctx.entities) {
      if (entity.dev_class === cls && !front.has(id)) {
        front.set(id, entity);
        break;
      }
    }
  }
  for (const [id, entity] of ctx.entities) if (!front.has(id)) front.set(id, entity);
  ctx.entities = front;
}
