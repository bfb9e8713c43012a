/**
 * From the bodies of one update to the entity model: python-plugwise smile.py `SmileAPI.async_update` /
 * `get_all_gateway_entities` and legacy/smile.py `SmileLegacyAPI.async_update`, pure and synchronous.
 * PlugwiseModel keeps what the library keeps between updates (one model per hub); buildSnapshot is one
 * update of a fresh model.
 */
import { badResponse, GatewayError } from '../../core/errors';
import { camelizeKeys } from './camel';
import { scanZones, zoneData } from './climate';
import { legacyFacts, modernFacts, pollPaths, readHubDoc } from './detect';
import { updateModernEntities } from './entity-data';
import { parseHubTime } from './format';
import { collectGroups } from './groups';
import { collectModernEntities } from './inventory';
import { collectLegacyEntities, updateLegacyEntities } from './legacy';
import { indexModules } from './modules';
import { NONE, PATH } from './tables';
import type { BuildContext, Entity, HubFacts, HubInfo, ModelState, Notifications, PlugwiseSnapshot, RawEntity } from './types';
import { attr, kid, kidText, kids, type XmlNode } from './xml';

function byId(list: XmlNode[]): Map<string, XmlNode> {
  const map = new Map<string, XmlNode>();
  for (const node of list) {
    const id = attr(node, 'id');
    if (id !== undefined && !map.has(id)) map.set(id, node);
  }
  return map;
}

/** helper.py `_get_plugwise_notifications`: id -> {type: message}; one without type or message is skipped. */
function readNotifications(dom: XmlNode): Notifications {
  const out: Notifications = {};
  for (const n of kids(dom, 'notification')) {
    const id = attr(n, 'id') ?? NONE;
    if (kid(n, 'type') === undefined || kid(n, 'message') === undefined) continue;
    out[id] = { [kidText(n, 'type') ?? NONE]: kidText(n, 'message') ?? null };
  }
  return out;
}

function newState(info: HubInfo, facts: HubFacts): ModelState {
  return {
    coolingPresent: facts.coolingPresent,
    coolingEnabled: false,
    heaterId: NONE,
    dhwAllowedModes: [],
    regAllowedModes: [],
    gwAllowedModes: [],
    locData: new Map(),
    entities: new Map(),
    legacyDocs: {},
    homeLocId: NONE,
    gatewayId: info.legacy ? info.id : NONE,
  };
}

function newContext(facts: HubFacts, state: ModelState, dom: XmlNode, nowLocal: number): BuildContext {
  const groupList = kids(dom, 'group');
  return {
    facts,
    state,
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
    entities: new Map(),
  };
}

function useAppliances(ctx: BuildContext, list: XmlNode[]): void {
  ctx.applianceList = list;
  ctx.appliances = byId(list);
}

function useLocations(ctx: BuildContext, list: XmlNode[]): void {
  ctx.locationList = list;
  ctx.locations = byId(list);
}

/** smile.py `SmileAPI.async_update`: every update re-collects every entity. */
function modernUpdate(ctx: BuildContext): Map<string, RawEntity> {
  const dom = ctx.domainObjects;
  useAppliances(ctx, kids(dom, 'appliance'));
  useLocations(ctx, kids(dom, 'location'));
  ctx.moduleByService = indexModules(dom);
  ctx.notifications = readNotifications(dom);
  // get_all_gateway_entities
  collectModernEntities(ctx);
  const zones = ctx.facts.adam ? scanZones(ctx) : new Map<string, RawEntity>();
  for (const [id, group] of collectGroups(ctx)) ctx.entities.set(id, group);
  // data.py `_all_entity_data`
  updateModernEntities(ctx);
  for (const [id, zone] of zones) {
    zoneData(ctx, id, zone);
    ctx.entities.set(id, zone);
  }
  // what set_temperature() uses next
  const heater = ctx.entities.get(ctx.state.heaterId);
  if (heater?.binary_sensors?.cooling_enabled !== undefined) ctx.state.coolingEnabled = heater.binary_sensors.cooling_enabled;
  return ctx.entities;
}

/** legacy/smile.py `SmileLegacyAPI.async_update`: a full update re-collects the entities, a later one refreshes their values. */
function legacyUpdate(ctx: BuildContext, docs: Record<string, string>, full: boolean): Map<string, RawEntity> {
  const state = ctx.state;
  const read = (path: string, root: string): XmlNode | undefined => {
    const body = docs[path];
    if (body !== undefined) state.legacyDocs[path] = readHubDoc(path, body, root);
    return state.legacyDocs[path];
  };
  const power = ctx.facts.type === 'power';
  const locationsRoot = read(PATH.LOCATIONS, 'locations');
  const modulesRoot = read(PATH.MODULES, 'modules');
  const appliancesRoot = power ? undefined : read(PATH.APPLIANCES, 'appliances');
  if (!power && appliancesRoot === undefined) throw badResponse(`A legacy ${ctx.facts.name} needs ${PATH.APPLIANCES}: check that the host is a Plugwise hub.`);
  useAppliances(ctx, kids(appliancesRoot, 'appliance'));
  useLocations(ctx, kids(locationsRoot, 'location'));
  if (modulesRoot !== undefined) indexModules(modulesRoot, ctx.moduleByService);
  // the entities of a legacy hub outlive an update (a full one replaces those it finds again)
  ctx.entities = state.entities;
  if (full) {
    collectLegacyEntities(ctx, locationsRoot);
    for (const [id, group] of collectGroups(ctx)) ctx.entities.set(id, group);
  }
  updateLegacyEntities(ctx, modulesRoot);
  state.entities = ctx.entities;
  if (ctx.entities.get(state.gatewayId)?.location === undefined) {
    throw new GatewayError('SERVER_ERROR', 'The Stretch or Smile sent no data for its gateway (it is restarting or not ready); it will be retried.');
  }
  return ctx.entities;
}

/** The hub's clock from its XML (modern: <gateway><time>; legacy: /system when read). */
function hubClock(legacy: boolean, dom: XmlNode, docs: Record<string, string>): ReturnType<typeof parseHubTime> {
  if (!legacy) return parseHubTime(kidText(kid(dom, 'gateway'), 'time'));
  const system = docs[PATH.SYSTEM];
  if (system === undefined) return undefined;
  return parseHubTime(kidText(readHubDoc(PATH.SYSTEM, system), 'time'));
}

/** The local calendar day of a wall-clock time (ms as if UTC). */
function dayOf(nowLocal: number): string {
  return new Date(nowLocal).toISOString().slice(0, 10);
}

/**
 * One hub's entity model over time. `paths(now)` says what the next update must GET (python-plugwise's
 * schedule); `update(docs, now)` builds the snapshot from those bodies. Not reentrant: one update at a time.
 */
export class PlugwiseModel {
  private state: ModelState | undefined;
  /** The hub's UTC offset from its last modern read (legacy hubs: none, the clock is taken as UTC). */
  private offsetMs = 0;

  constructor(readonly info: HubInfo) {}

  /** Whether the next update is a full one: legacy hubs re-read everything on the first update of a day. */
  private full(now: number): boolean {
    const last = this.state?.lastDay;
    return last === undefined || last !== dayOf(now + this.offsetMs);
  }

  /** The paths the next update reads, in order. */
  paths(now: number): string[] {
    return pollPaths(this.info, !this.info.legacy || this.full(now));
  }

  /** One update from the bodies of `paths(now)` (keyed by path); `now` is ms since the epoch. */
  update(docs: Record<string, string>, now: number): PlugwiseSnapshot {
    const info = this.info;
    const body = docs[PATH.DOMAIN_OBJECTS];
    if (body === undefined) throw badResponse(`The update is missing ${PATH.DOMAIN_OBJECTS}.`);
    const dom = readHubDoc(PATH.DOMAIN_OBJECTS, body, 'domain_objects');
    const facts = info.facts ?? (info.legacy ? legacyFacts(info, dom) : modernFacts(dom));
    const clock = hubClock(info.legacy, dom, docs);
    if (clock !== undefined && !info.legacy) this.offsetMs = clock.offsetMs;
    const nowLocal = now + this.offsetMs;
    const full = this.full(now);
    // a failed update leaves the model as it was
    const state = structuredState(this.state ?? newState(info, facts));
    const ctx = newContext(facts, state, dom, nowLocal);
    const raw = info.legacy ? legacyUpdate(ctx, docs, full) : modernUpdate(ctx);
    state.lastDay = dayOf(nowLocal);
    this.state = state;

    const entities: Record<string, Entity> = {};
    for (const [id, entity] of raw) entities[id] = { ...camelizeKeys(entity), id };
    return {
      gateway: {
        id: info.legacy ? state.gatewayId : info.id,
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
}

/** A copy of the state an update may change (entities deep, so a failed update cannot leave half of one). */
function structuredState(state: ModelState): ModelState {
  return {
    ...state,
    dhwAllowedModes: [...state.dhwAllowedModes],
    regAllowedModes: [...state.regAllowedModes],
    gwAllowedModes: [...state.gwAllowedModes],
    locData: new Map(state.locData),
    entities: new Map([...state.entities].map(([id, e]) => [id, structuredClone(e)])),
    legacyDocs: { ...state.legacyDocs },
  };
}

/** Pure: one update of a fresh model from the bodies of `pollPaths(info)` (keyed by path) and "now" (ms since epoch). */
export function buildSnapshot(info: HubInfo, docs: Record<string, string>, now: number): PlugwiseSnapshot {
  return new PlugwiseModel(info).update(docs, now);
}
