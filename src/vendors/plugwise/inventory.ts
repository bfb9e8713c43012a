/**
 * Which entities a modern hub (Adam, Anna, P1) has, with their identity fields:
 * python-plugwise `_all_appliances` and friends.
 */
import { checkModel, LINK, moduleData } from './modules';
import { GATEWAY_MODES, NONE, THERMOSTAT_CLASSES } from './tables';
import type { BuildContext, RawEntity } from './types';
import { attr, find, hasChildElements, kid, kidText, kids, text, type XmlNode } from './xml';

/** Identity of an entity; undefined values are left out, `location` is always kept. */
interface Identity {
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

export function addEntity(ctx: BuildContext, a: Identity): void {
  const entity: RawEntity = { dev_class: a.devClass };
  const fields: Array<[string, unknown]> = [
    ['available', a.available],
    ['firmware', a.firmware],
    ['hardware', a.hardware],
    ['location', a.location ?? null],
    ['mac_address', a.mac],
    ['model', a.model],
    ['model_id', a.modelId],
    ['name', a.name],
    ['zigbee_mac_address', a.zigbeeMac],
    ['vendor', a.vendor],
  ];
  for (const [key, value] of fields) if (value !== undefined) entity[key] = value;
  ctx.entities.set(a.id, entity);
}

/** Allowed modes of an actuator functionality, e.g. regulation_mode_control_functionality. */
export function allowedModes(appliance: XmlNode, functionality: string): string[] {
  const modes = kid(kid(kid(appliance, 'actuator_functionalities'), functionality), 'allowed_modes');
  return kids(modes, 'mode').map((mode) => text(mode) as string);
}

/** The boiler among the heater_central appliances named "Central heating boiler" (prefer one with actuators). */
export function findHeaterId(appliances: XmlNode[]): string {
  const candidates: Array<{ id: string; actuators: boolean }> = [];
  let count = 0;
  for (const appliance of appliances) {
    if (kidText(appliance, 'type') !== 'heater_central') continue;
    count += 1;
    if (kidText(appliance, 'name') !== 'Central heating boiler') continue;
    candidates.push({ id: attr(appliance, 'id') as string, actuators: hasChildElements(kid(appliance, 'actuator_functionalities')) });
  }
  if (candidates.length === 0) return NONE;
  if (count > 1) return (candidates.find((c) => c.actuators) ?? candidates[0]).id;
  return candidates[0].id;
}

function gatewayIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity {
  const f = ctx.facts;
  ctx.gatewayId = base.id;
  const identity: Identity = {
    ...base,
    firmware: f.firmware,
    hardware: f.hwVersion,
    mac: f.mac,
    model: 'Gateway',
    modelId: f.vendorModel,
    name: f.name,
    vendor: 'Plugwise',
  };
  if (f.adam) {
    const coordinator = find(ctx.domainObjects, ['module', 'protocols', 'zig_bee_coordinator']);
    if (coordinator !== undefined) identity.zigbeeMac = kidText(coordinator, 'mac_address');
    ctx.regAllowedModes = allowedModes(appliance, 'regulation_mode_control_functionality');
    const functionalities = kids(kid(appliance, 'actuator_functionalities'), 'gateway_mode_control_functionality');
    const hasModes = functionalities.some((f) => kidText(f, 'type') === 'gateway_mode' && kid(f, 'allowed_modes') !== undefined);
    ctx.gwAllowedModes = hasModes ? [...GATEWAY_MODES] : [];
  }
  return identity;
}

function thermostatIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity {
  const mod = moduleData(appliance, LINK.thermostat, ctx.moduleByService);
  const identity: Identity = { ...base, vendor: mod.vendorName, model: mod.vendorModel };
  if (mod.vendorModel !== 'ThermoTouch') {
    identity.modelId = mod.vendorModel;
    identity.model = checkModel(mod.vendorModel, mod.vendorName);
  }
  identity.available = mod.reachable;
  identity.hardware = mod.hardware;
  identity.firmware = mod.firmware;
  identity.zigbeeMac = mod.zigbeeMac;
  return identity;
}

/** Boiler identity; undefined for an orphaned second heater_central. */
export function heaterIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity, legacy: boolean): Identity | undefined {
  if (ctx.heaterId === NONE || base.id !== ctx.heaterId) return undefined;
  if (ctx.facts.onOffDevice) return { ...base, name: 'OnOff', model: 'Unknown', vendor: undefined };
  let mod = moduleData(appliance, LINK.boilerFlame, ctx.moduleByService);
  if (!mod.found) mod = moduleData(appliance, LINK.boilerService, ctx.moduleByService);
  return {
    ...base,
    name: 'OpenTherm',
    vendor: mod.vendorName,
    hardware: mod.hardware,
    modelId: legacy ? undefined : mod.vendorModel,
    model: ctx.facts.coolingPresent ? 'Generic heater/cooler' : 'Generic heater',
  };
}

function plugIdentity(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity | undefined {
  const mod = moduleData(appliance, LINK.plug, ctx.moduleByService);
  if (!mod.found) return undefined; // orphaned or removed plug
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

function applianceClass(appliance: XmlNode): string {
  const type = kidText(appliance, 'type') ?? '';
  const description = kidText(appliance, 'description');
  if (description !== undefined && (description.includes('ZigBee protocol') || description.includes('smart plug'))) {
    return `${type}_plug`;
  }
  return type;
}

function identify(ctx: BuildContext, appliance: XmlNode, base: Identity): Identity | undefined {
  const cls = base.devClass;
  if (cls === 'gateway') return gatewayIdentity(ctx, appliance, base);
  if (THERMOSTAT_CLASSES.has(cls)) return thermostatIdentity(ctx, appliance, base);
  if (cls === 'heater_central') {
    ctx.dhwAllowedModes = allowedModes(appliance, 'domestic_hot_water_mode_control_functionality');
    return heaterIdentity(ctx, appliance, base, false);
  }
  if (cls.endsWith('_plug')) return plugIdentity(ctx, appliance, base);
  return undefined;
}

/** The P1 smart meter lives on the Home location; a Smile P1 swaps its id with the gateway's. */
function addSmartMeter(ctx: BuildContext): void {
  if (ctx.homeLocation === undefined) return;
  const mod = moduleData(ctx.homeLocation, LINK.smartmeter, ctx.moduleByService);
  if (!mod.found) return;
  let id = ctx.homeLocId;
  if (!ctx.facts.annaP1) {
    id = ctx.gatewayId;
    const gateway = ctx.entities.get(ctx.gatewayId);
    ctx.entities.delete(ctx.gatewayId);
    if (gateway !== undefined) ctx.entities.set(ctx.homeLocId, gateway);
    ctx.gatewayId = ctx.homeLocId;
  }
  addEntity(ctx, {
    id,
    devClass: 'smartmeter',
    firmware: mod.firmware,
    hardware: mod.hardware,
    location: ctx.homeLocId,
    model: mod.vendorModel,
    name: 'P1',
    vendor: mod.vendorName,
  });
}

/** All entities of a modern hub, gateway first, then the boiler, then the rest in XML order. */
export function collectModernEntities(ctx: BuildContext): void {
  ctx.heaterId = findHeaterId(ctx.applianceList);
  for (const appliance of ctx.applianceList) {
    const devClass = applianceClass(appliance);
    if (devClass === 'open_therm_gateway') continue;
    // a thermostat without actuators is an orphaned device
    if (devClass === 'thermostat' && !hasChildElements(kid(appliance, 'actuator_functionalities'))) continue;
    let location: string | null = attr(kid(appliance, 'location'), 'id') ?? null;
    if (location === null && !THERMOSTAT_CLASSES.has(devClass)) location = ctx.homeLocId;
    if (location === null && THERMOSTAT_CLASSES.has(devClass)) continue;
    const base: Identity = { id: attr(appliance, 'id') as string, devClass, location, name: kidText(appliance, 'name') };
    const identity = identify(ctx, appliance, base);
    if (identity !== undefined) addEntity(ctx, identity);
  }
  if (ctx.facts.type === 'power' || ctx.facts.annaP1) addSmartMeter(ctx);
  reorderEntities(ctx);
}

/** Gateway first, then the (first) heater_central: later steps read their data. */
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

