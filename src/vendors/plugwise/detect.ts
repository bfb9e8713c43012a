/**
 * Hub detection (python-plugwise `connect` / `_smile_detect`) and the hub facts a snapshot needs.
 */
import { GatewayError, badResponse } from '../../core/errors';
import { FAKE_APPL, FAKE_LOC, OUTDATED_SMILES, PATH, REQUIRE_APPLIANCES, SMILES } from './tables';
import type { HubFacts, HubInfo, HubModel } from './types';
import { attr, find, findAll, hasChildElements, kid, kidText, kids, parseRoot, text, type XmlNode } from './xml';

const RESTARTING = 'The Smile is restarting or not ready; it will be retried';

/**
 * Parse one hub body (smilecomm.py `_request_validate`): an empty body or one holding `<error>` means the
 * hub is not ready. An empty `<domain_objects/>` is valid XML (a Stretch 2.7 sends one); an update that
 * needs its locations says so itself.
 */
export function readHubDoc(path: string, body: string, expectedRoot?: string): XmlNode {
  if (body.trim() === '' || (/<error[\s/>]/.test(body) && !body.includes('Not started'))) {
    throw new GatewayError('SERVER_ERROR', `${RESTARTING} (${path} returned an error document).`);
  }
  const { tag, node } = parseRoot(body);
  if (expectedRoot !== undefined && tag !== expectedRoot) {
    throw badResponse(`${path} returned <${tag}> instead of <${expectedRoot}>: this host does not look like a Plugwise Smile or Stretch.`);
  }
  return node;
}

const MODEL_OF: Record<string, HubModel> = { Adam: 'adam', 'Smile Anna': 'anna', 'Smile Anna P1': 'anna', 'Smile P1': 'p1', Stretch: 'stretch' };

/** packaging's `Version(...).major` of a firmware text ("3.9.0", "v2.5.9"); -1 when there is none. */
function majorOf(version: string): number {
  const major = parseInt(version.trim().replace(/^v/i, ''), 10);
  return Number.isNaN(major) ? -1 : major;
}

/** `str(Version(text))` for the firmware texts hubs send: trimmed, without a leading "v". */
function versionText(version: string): string {
  return version.trim().replace(/^v/i, '');
}

/** python-plugwise `_store_smile_data`: the supported target for a vendor model and firmware, or why not. */
function target(vendorModel: string, firmware: string): { target: string; smile: (typeof SMILES)[string] } {
  const t = `${vendorModel}_v${majorOf(firmware)}`;
  const smile = SMILES[t];
  if (OUTDATED_SMILES.has(t)) {
    throw badResponse(`This Plugwise hub (${t}) runs firmware ${firmware}, which is too old: update the hub's firmware in the Plugwise app.`);
  }
  if (smile === undefined) {
    throw badResponse(`This Plugwise hub (${t}, firmware ${firmware}) is not supported (Adam, Anna, Smile P1 and Stretch are): check the host address and the hub's firmware.`);
  }
  return { target: t, smile };
}

/** python-plugwise `_process_for_thermostat`: the heating/cooling capabilities seen at connect. */
function thermostatFlags(src: XmlNode, thermostat: boolean): Pick<HubFacts, 'onOffDevice' | 'coolingPresent' | 'elga'> {
  return {
    onOffDevice: thermostat && find(src, ['module', 'protocols', 'onoff_boiler']) !== undefined,
    coolingPresent: thermostat && find(src, ['gateway', 'features', 'cooling']) !== undefined,
    elga: thermostat && find(src, ['gateway', 'features', 'elga_support']) !== undefined,
  };
}

/** Facts of a modern hub (python-plugwise `_collect_smile_data` + `_store_smile_data`), from /core/domain_objects. */
export function modernFacts(dom: XmlNode): HubFacts {
  const gateway = kid(dom, 'gateway');
  const vendorModel = kidText(gateway, 'vendor_model');
  const firmware = kidText(gateway, 'firmware_version');
  if (gateway === undefined || vendorModel === undefined || firmware === undefined) {
    throw badResponse('/core/domain_objects has no <gateway> with model and firmware: check that the host is a supported Plugwise hub.');
  }
  const { target: t, smile } = target(vendorModel, firmware);
  // an Anna with a P1 meter: a location logs an electricity point meter with an id
  const annaP1 = vendorModel === 'smile_thermo' && findAll(dom, ['location', 'logs', 'point_log', 'electricity_point_meter']).some((m) => attr(m, 'id'));
  const name = annaP1 && smile.name === 'Smile Anna' ? 'Smile Anna P1' : smile.name;
  return {
    name,
    type: smile.type,
    target: t,
    vendorModel,
    firmware: versionText(firmware),
    hwVersion: kidText(gateway, 'hardware_version'),
    mac: kidText(gateway, 'mac_address'),
    hostname: kidText(gateway, 'hostname'),
    legacy: false,
    annaP1,
    adam: name.includes('Adam'),
    anna: name.includes('Smile Anna'),
    stretchV2: smile.type === 'stretch' && majorOf(firmware) === 2,
    ...thermostatFlags(dom, smile.type === 'thermostat'),
  };
}

/** Stretch: the MAC of the ZigBee master controller (the Stick), preferring the active network. */
export function stretchZigbeeMac(src: XmlNode): string | undefined {
  let mac = kidText(find(src, ['module', 'protocols', 'master_controller']), 'mac_address');
  for (const network of findAll(src, ['network'])) {
    if (find(network, ['nodes', 'network_router']) !== undefined) mac = kidText(kid(network, 'master_controller'), 'mac_address');
  }
  return mac;
}

/** Facts of a legacy hub: identity from detection, the capabilities from the connect document. */
export function legacyFacts(identity: LegacyIdentity, src: XmlNode): HubFacts {
  const { target: t, smile } = target(identity.vendorModel, identity.firmware);
  return {
    name: smile.name,
    type: smile.type,
    target: t,
    vendorModel: identity.vendorModel,
    firmware: versionText(identity.firmware),
    mac: identity.mac,
    hostname: identity.hostname,
    zigbeeMac: stretchZigbeeMac(src),
    legacy: true,
    annaP1: false,
    adam: false,
    anna: smile.name === 'Smile Anna',
    stretchV2: smile.type === 'stretch' && majorOf(identity.firmware) === 2,
    ...thermostatFlags(src, smile.type === 'thermostat'),
  };
}

interface LegacyIdentity {
  firmware: string;
  vendorModel: string;
  hostname?: string;
  mac?: string;
}

/** python-plugwise `_smile_detect_legacy`: identity from /system (Stretch, Anna v1) or /system/status.xml (P1 v2). */
async function detectLegacy(get: (path: string) => Promise<string>, src: XmlNode, dsmr: boolean): Promise<LegacyIdentity> {
  const network = find(src, ['module', 'protocols', 'master_controller']) ?? findAll(src, ['network']).find((n) => find(n, ['nodes', 'network_router']));
  const thermostat = findAll(src, ['appliance']).some((a) => kidText(a, 'type') === 'thermostat');
  let found: Partial<LegacyIdentity>;
  if (thermostat || network !== undefined) {
    const system = readHubDoc(PATH.SYSTEM, await get(PATH.SYSTEM), 'system');
    let mac: string | undefined;
    // wlan0 holds data when it is the active one; eth0 is checked last, as it is preferred
    for (const iface of ['wlan0', 'eth0']) {
      const found = kid(kid(system, iface), 'mac');
      if (found !== undefined) mac = text(found);
    }
    found = {
      firmware: kidText(kid(system, 'gateway'), 'firmware'),
      vendorModel: kidText(kid(system, 'gateway'), 'product'),
      hostname: kidText(kid(system, 'gateway'), 'hostname'),
      mac,
    };
  } else if (dsmr) {
    const status = readHubDoc(PATH.STATUS, await get(PATH.STATUS));
    found = {
      firmware: kidText(kid(status, 'system'), 'version'),
      vendorModel: kidText(kid(status, 'system'), 'product'),
      hostname: kidText(kid(status, 'network'), 'hostname'),
      mac: kidText(kid(status, 'network'), 'mac_address'),
    };
  } else {
    throw badResponse('Connected, but the hub sent no gateway information: check that the host is a supported Plugwise hub.');
  }
  if (found.firmware === undefined || found.vendorModel === undefined) {
    throw badResponse('The legacy hub did not report its model and firmware: check that the host is a supported Plugwise hub.');
  }
  return { ...found, firmware: found.firmware, vendorModel: found.vendorModel };
}

/** The Home location of a legacy hub's /core/locations (legacy/helper.py `_get_locations`). */
function legacyHomeId(locations: XmlNode, power: boolean): string {
  let home = FAKE_LOC;
  for (const location of kids(locations, 'location')) {
    if (power && !hasChildElements(kid(location, 'services'))) continue;
    if (kidText(location, 'type') === 'building') home = attr(location, 'id') ?? home;
  }
  return home;
}

/**
 * Detect the hub: python-plugwise `Smile.connect` (with `_smile_detect`); `get(path)` returns a GET's body
 * (and throws GatewayError on HTTP failures). A legacy Anna or Stretch also gets /core/locations, for the
 * id of its gateway entity (the first update reads it anyway).
 */
export async function detectHub(get: (path: string) => Promise<string>): Promise<HubInfo> {
  const dom = readHubDoc(PATH.DOMAIN_OBJECTS, await get(PATH.DOMAIN_OBJECTS), 'domain_objects');
  let src = dom;
  let names = findAll(src, ['module', 'vendor_name']).map((n) => text(n));
  if (names.length === 0) {
    // Stretch fw 2.7.18 lists its modules only in /core/modules
    try {
      src = readHubDoc(PATH.MODULES, await get(PATH.MODULES), 'modules');
    } catch (err) {
      if (hasChildElements(dom) || !(err instanceof GatewayError) || err.code !== 'NOT_FOUND') throw err;
      throw new GatewayError('SERVER_ERROR', `${RESTARTING} (${PATH.DOMAIN_OBJECTS} is empty).`);
    }
    names = findAll(src, ['module', 'vendor_name']).map((n) => text(n));
  }
  const dsmr = find(src, ['module', 'protocols', 'dsmrmain']) !== undefined;
  if (!names.includes('Plugwise') && !dsmr) {
    if (!hasChildElements(dom)) throw new GatewayError('SERVER_ERROR', `${RESTARTING} (${PATH.DOMAIN_OBJECTS} is empty).`);
    throw badResponse('The host answered, but not as a Plugwise Smile or Stretch (no Plugwise modules found): check the host address.');
  }
  if (findAll(src, ['module', 'vendor_model']).some((m) => text(m) === '159.2')) {
    throw badResponse('This Anna is connected to an Adam: configure the Adam as the gateway instead of the Anna.');
  }

  const gateway = kid(src, 'gateway');
  if (gateway !== undefined) {
    const facts = modernFacts(src);
    return {
      id: attr(gateway, 'id') ?? '',
      model: MODEL_OF[facts.name],
      vendorModel: facts.vendorModel,
      firmware: facts.firmware,
      hostname: facts.hostname ?? '',
      mac: facts.mac ?? '',
      legacy: false,
      facts,
    };
  }

  const facts = legacyFacts(await detectLegacy(get, src, dsmr), src);
  let id = FAKE_APPL;
  if (facts.type !== 'power') id = legacyHomeId(readHubDoc(PATH.LOCATIONS, await get(PATH.LOCATIONS), 'locations'), false);
  return {
    id,
    model: MODEL_OF[facts.name],
    vendorModel: facts.vendorModel,
    firmware: facts.firmware,
    hostname: facts.hostname ?? '',
    mac: facts.mac ?? '',
    legacy: true,
    facts,
  };
}

/**
 * The paths one update GETs, in order (python-plugwise `async_update`): a modern hub reads
 * /core/domain_objects; a legacy hub's `full` update (the first, and the first of each day) also reads
 * locations, modules and (not a P1) appliances, a later one domain_objects and appliances (P1: modules).
 */
export function pollPaths(info: HubInfo, full = true): string[] {
  if (!info.legacy) return [PATH.DOMAIN_OBJECTS];
  const power = info.model === 'p1';
  if (full) return power ? [PATH.DOMAIN_OBJECTS, PATH.LOCATIONS, PATH.MODULES] : [PATH.DOMAIN_OBJECTS, PATH.LOCATIONS, PATH.MODULES, PATH.APPLIANCES];
  const t = info.facts?.target ?? `${info.vendorModel}_v${majorOf(info.firmware)}`;
  if (t === 'smile_v2') return [PATH.DOMAIN_OBJECTS, PATH.MODULES];
  if (REQUIRE_APPLIANCES.has(t)) return [PATH.DOMAIN_OBJECTS, PATH.APPLIANCES];
  return [PATH.DOMAIN_OBJECTS];
}
