/**
 * buildSnapshot: from the bodies of one poll to the entity model (python-plugwise
 * `get_all_gateway_entities` + `_all_entity_data`), pure and synchronous.
 */
import { badResponse } from '../../core/errors';
import { camelizeKeys } from './camel';
import { annaControlState, climateData, scanZones, zoneData } from './climate';
import { legacyFacts, modernFacts, readHubDoc } from './detect';
import { entityData, groupRelay } from './entity-data';
import { parseHubTime } from './format';
import { collectGroups } from './groups';
import { collectModernEntities } from './inventory';
import { collectLegacyEntities, legacyEntityData } from './legacy';
import { indexModules } from './modules';
import { BATTERY_CLASSES, MAX_SETPOINT, MIN_SETPOINT, NONE, PATH } from './tables';
import type { BuildContext, Entity, EntityData, HubFacts, HubInfo, Notifications, PlugwiseSnapshot, RawEntity } from './types';
import { attr, kid, kidText, kids, type XmlNode } from './xml';

function byId(list: XmlNode[]): Map<string, XmlNode> {
  const map = new Map<string, XmlNode>();
  for (const node of list) {
    const id = attr(node, 'id');
    if (id !== undefined && !map.has(id)) map.set(id, node);
  }
  return map;
}

function readNotifications(dom: XmlNode): Notifications {
  const out: Notifications = {};
  for (const n of kids(dom, 'notification')) {
    const id = attr(n, 'id');
    const type = kid(n, 'type');
    const message = kid(n, 'message');
    if (id === undefined || type === undefined || message === undefined) continue;
    out[id] = { [kidText(n, 'type') ?? 'None']: kidText(n, 'message') ?? null };
  }
  return out;
}

function newContext(facts: HubFacts, dom: XmlNode, nowLocal: number): BuildContext {
  const groupList = kids(dom, 'group');
  return {
    facts,
    nowLocal,
    domainObjects: dom,
    appliances: new Map(),
    applianceList: [],
    locations: new Map(),
    locationList: [],
    moduleByService: new Map(),
    groups: byId(groupList),
    groupList,
    rules: kids(dom, 'rule'),
    notifications: {},
    homeLocId: NONE,
    gatewayId: NONE,
    heaterId: NONE,
    entities: new Map(),
    regAllowedModes: [],
    gwAllowedModes: [],
    dhwAllowedModes: [],
    coolingEnabled: false,
  };
}

function useLocations(ctx: BuildContext, list: XmlNode[]): void {
  ctx.locationList = list;
  ctx.locations = byId(list);
}

/** MAC addresses named in "Battery ... below" notifications; message-type ones are then dropped. */
function lowBatteryMacs(ctx: BuildContext): string[] {
  const macs: string[] = [];
  for (const [id, notification] of Object.entries(ctx.notifications)) {
    const message = notification.message ?? null;
    const notify = message ?? notification.warning ?? null;
    if (notify === null || !notify.includes('Battery') || !notify.includes('below')) continue;
    const mac = /(?:[0-9A-F]{2}){8}/.exec(notify);
    if (mac === null) continue;
    macs.push(mac[0]);
    if (message !== null) delete ctx.notifications[id];
  }
  return macs;
}

/** Anna with cooling: setpoint_low/high instead of setpoint. */
function coolingSetpoints(ctx: BuildContext, entity: RawEntity): void {
  if (!(ctx.facts.anna && ctx.facts.coolingPresent && entity.dev_class === 'thermostat')) return;
  const thermostat = entity.thermostat as Record<string, number> | undefined;
  if (thermostat === undefined) return;
  const sensors = (entity.sensors ?? {}) as Record<string, number>;
  const range = ctx.coolingEnabled
    ? { setpoint_low: MIN_SETPOINT, setpoint_high: thermostat.setpoint }
    : { setpoint_low: thermostat.setpoint, setpoint_high: MAX_SETPOINT };
  const rest: Record<string, number> = { ...thermostat };
  delete rest.setpoint;
  entity.thermostat = { ...range, ...rest };
  delete sensors.setpoint;
  sensors.setpoint_low = range.setpoint_low;
  sensors.setpoint_high = range.setpoint_high;
  entity.sensors = sensors;
}

function dropEmpty(entity: RawEntity): void {
  for (const key of ['binary_sensors', 'sensors', 'switches']) {
    const value = entity[key];
    if (value !== undefined && Object.keys(value as object).length === 0) delete entity[key];
  }
}

function buildModern(ctx: BuildContext): Map<string, RawEntity> {
  const dom = ctx.domainObjects;
  ctx.applianceList = kids(dom, 'appliance');
  ctx.appliances = byId(ctx.applianceList);
  useLocations(ctx, kids(dom, 'location'));
  ctx.moduleByService = indexModules(dom);
  ctx.notifications = readNotifications(dom);
  for (const loc of ctx.locationList) {
    if (kidText(loc, 'name') !== 'Home') continue;
    ctx.homeLocId = attr(loc, 'id') as string;
    ctx.homeLocation = loc;
  }
  collectModernEntities(ctx);
  const zones = ctx.facts.adam ? scanZones(ctx) : new Map<string, RawEntity>();
  for (const [id, group] of collectGroups(ctx)) ctx.entities.set(id, group);

  let lowBattery: string[] = [];
  for (const [id, entity] of ctx.entities) {
    const data: EntityData = entityData(ctx, id, entity);
    if (id === ctx.gatewayId) {
      lowBattery = lowBatteryMacs(ctx);
      if (ctx.facts.type === 'thermostat' || ctx.facts.type === 'power') {
        data.binary_sensors.plugwise_notification = Object.keys(ctx.notifications).length > 0;
        data.notifications = ctx.notifications;
      }
    }
    if (ctx.facts.anna && entity.dev_class === 'thermostat') {
      climateData(ctx, entity.location as string, data);
      annaControlState(ctx, data);
    }
    Object.assign(entity, data);
    const bs = entity.binary_sensors as Record<string, boolean>;
    if (lowBattery.length > 0 && 'low_battery' in bs && BATTERY_CLASSES.has(entity.dev_class) && lowBattery.includes(entity.zigbee_mac_address as string)) {
      bs.low_battery = true;
    }
    coolingSetpoints(ctx, entity);
    dropEmpty(entity);
  }
  for (const [id, zone] of zones) {
    Object.assign(zone, zoneData(ctx, id));
    ctx.entities.set(id, zone);
  }
  return ctx.entities;
}

function buildLegacy(ctx: BuildContext, docs: Record<string, string>): Map<string, RawEntity> {
  const read = (path: string, root: string): XmlNode | undefined => (docs[path] === undefined ? undefined : readHubDoc(path, docs[path], root));
  const locationsRoot = read(PATH.LOCATIONS, 'locations');
  const modulesRoot = read(PATH.MODULES, 'modules');
  const appliancesRoot = ctx.facts.type === 'power' ? undefined : read(PATH.APPLIANCES, 'appliances');
  if (ctx.facts.type !== 'power' && appliancesRoot === undefined) {
    throw badResponse(`A legacy ${ctx.facts.name} needs ${PATH.APPLIANCES} in every poll.`);
  }
  ctx.applianceList = kids(appliancesRoot, 'appliance');
  ctx.appliances = byId(ctx.applianceList);
  useLocations(ctx, kids(locationsRoot, 'location'));
  if (modulesRoot !== undefined) indexModules(modulesRoot, ctx.moduleByService);
  collectLegacyEntities(ctx, locationsRoot);
  for (const [id, group] of collectGroups(ctx)) ctx.entities.set(id, group);
  for (const [id, entity] of ctx.entities) {
    const data = legacyEntityData(ctx, id, entity, modulesRoot);
    groupRelay(ctx, entity, data);
    Object.assign(entity, data);
    dropEmpty(entity);
  }
  return ctx.entities;
}

/** The hub's clock from its XML (modern: <gateway><time>; legacy: /system when polled). */
function hubClock(info: HubInfo, dom: XmlNode, docs: Record<string, string>): ReturnType<typeof parseHubTime> {
  if (!info.legacy) return parseHubTime(kidText(kid(dom, 'gateway'), 'time'));
  const system = docs[PATH.SYSTEM];
  if (system === undefined) return undefined;
  return parseHubTime(kidText(readHubDoc(PATH.SYSTEM, system), 'time'));
}

/** Pure: from the bodies of pollPaths (keyed by path) and "now" (ms since epoch), the snapshot. */
export function buildSnapshot(info: HubInfo, docs: Record<string, string>, now: number): PlugwiseSnapshot {
  const body = docs[PATH.DOMAIN_OBJECTS];
  if (body === undefined) throw badResponse(`The poll is missing ${PATH.DOMAIN_OBJECTS}.`);
  const dom = readHubDoc(PATH.DOMAIN_OBJECTS, body, 'domain_objects');
  const facts = info.legacy ? legacyFacts(info, dom) : modernFacts(dom);
  const clock = hubClock(info, dom, docs);
  const ctx = newContext(facts, dom, now + (clock?.offsetMs ?? 0));
  const raw = info.legacy ? buildLegacy(ctx, docs) : buildModern(ctx);

  const entities: Record<string, Entity> = {};
  for (const [id, entity] of raw) entities[id] = { ...(camelizeKeys(entity) as Record<string, unknown>), id };
  return {
    gateway: {
      id: info.id,
      model: info.model,
      vendorModel: facts.vendorModel,
      firmware: facts.firmware,
      hostname: facts.hostname ?? info.hostname,
      mac: facts.mac ?? info.mac,
      time: clock?.ms ?? now,
    },
    entities,
  };
}
