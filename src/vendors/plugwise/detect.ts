/**
 * Hub detection (python-plugwise `connect` / `_smile_detect`) and the hub facts a snapshot needs.
 */
import { GatewayError, badResponse } from '../../core/errors';
import { legacyHomeLocation } from './legacy';
import { FAKE_APPL, OUTDATED_SMILES, PATH, SMILES } from './tables';
import type { HubFacts, HubInfo, HubModel } from './types';
import { attr, find, findAll, hasChildElements, kid, kidText, parseRoot, text, type XmlNode } from './xml';

const RESTARTING = 'The Smile is restarting or not ready; it will be retried';

/** Parse one hub body; an `<error>` body or an empty document means the hub is not ready. */
export function readHubDoc(path: string, body: string, expectedRoot?: string): XmlNode {
  if (body.trim() === '' || (/<error[\s/>]/.test(body) && !body.includes('Not started'))) {
    throw new GatewayError('SERVER_ERROR', `${RESTARTING} (${path} returned an error document).`);
  }
  const { tag, node } = parseRoot(body);
  if (expectedRoot !== undefined && tag !== expectedRoot) {
    throw badResponse(`${path} returned <${tag}> instead of <${expectedRoot}>: this host does not look like a Plugwise Smile or Stretch.`);
  }
  if (expectedRoot === 'domain_objects' && !hasChildElements(node)) {
    throw new GatewayError('SERVER_ERROR', `${RESTARTING} (${path} is empty).`);
  }
  return node;
}

const MODEL_OF: Record<string, HubModel> = { Adam: 'adam', 'Smile Anna': 'anna', 'Smile P1': 'p1', Stretch: 'stretch' };

function majorOf(version: string): number {
  const major = parseInt(version.trim().replace(/^v/i, ''), 10);
  return Number.isNaN(major) ? -1 : major;
}

/** The supported target for a vendor model and firmware, or a BAD_RESPONSE explaining why not. */
function target(vendorModel: string, firmware: string): { target: string; smile: (typeof SMILES)[string] } {
  const major = majorOf(firmware);
  const t = `${vendorModel}_v${major}`;
  if (OUTDATED_SMILES.has(t)) {
    throw badResponse(`This Plugwise hub (${t}) runs firmware ${firmware}, which is too old: update the hub's firmware.`);
  }
  const smile = SMILES[t];
  if (smile === undefined) throw badResponse(`This Plugwise hub (${t}, firmware ${firmware}) is not supported.`);
  return { target: t, smile };
}

/** Facts of a modern hub, from the <gateway> element of /core/domain_objects. */
export function modernFacts(dom: XmlNode): HubFacts {
  const gateway = kid(dom, 'gateway');
  const vendorModel = kidText(gateway, 'vendor_model');
  const firmware = kidText(gateway, 'firmware_version');
  if (gateway === undefined || vendorModel === undefined || firmware === undefined) {
    throw badResponse('/core/domain_objects has no <gateway> with model and firmware: this is not a supported Plugwise hub.');
  }
  const { target: t, smile } = target(vendorModel, firmware);
  const tariff = kidText(kid(gateway, 'gateway_environment'), 'electricity_consumption_tariff_structure');
  const annaP1 = vendorModel === 'smile_thermo' && tariff !== undefined;
  const thermostat = smile.type === 'thermostat';
  return {
    name: annaP1 ? 'Smile Anna P1' : smile.name,
    type: smile.type,
    target: t,
    vendorModel,
    firmware: firmware.trim(),
    hwVersion: kidText(gateway, 'hardware_version'),
    mac: kidText(gateway, 'mac_address'),
    hostname: kidText(gateway, 'hostname'),
    legacy: false,
    annaP1,
    adam: smile.name === 'Adam',
    anna: smile.name === 'Smile Anna',
    stretchV2: false,
    onOffDevice: thermostat && find(dom, ['module', 'protocols', 'onoff_boiler']) !== undefined,
    coolingPresent: thermostat && find(gateway, ['features', 'cooling']) !== undefined,
    elga: thermostat && find(gateway, ['features', 'elga_support']) !== undefined,
  };
}

/** Stretch: the MAC of the ZigBee master controller (the Stick), preferring the active network. */
export function stretchZigbeeMac(dom: XmlNode): string | undefined {
  let mac = kidText(find(dom, ['module', 'protocols', 'master_controller']), 'mac_address');
  for (const network of findAll(dom, ['network'])) {
    if (find(network, ['nodes', 'network_router']) !== undefined) mac = kidText(kid(network, 'master_controller'), 'mac_address');
  }
  return mac;
}

/** Facts of a legacy hub: identity from detection (HubInfo), the rest from /core/domain_objects. */
export function legacyFacts(info: HubInfo, dom: XmlNode): HubFacts {
  const { target: t, smile } = target(info.vendorModel, info.firmware);
  const thermostat = smile.type === 'thermostat';
  return {
    name: smile.name,
    type: smile.type,
    target: t,
    vendorModel: info.vendorModel,
    firmware: info.firmware,
    mac: info.mac || undefined,
    hostname: info.hostname || undefined,
    zigbeeMac: stretchZigbeeMac(dom),
    legacy: true,
    annaP1: false,
    adam: false,
    anna: smile.name === 'Smile Anna',
    stretchV2: smile.type === 'stretch' && majorOf(info.firmware) === 2,
    onOffDevice: thermostat && find(dom, ['module', 'protocols', 'onoff_boiler']) !== undefined,
    coolingPresent: false,
    elga: false,
  };
}

/** Legacy identity from /system (Stretch, Anna v1) or /system/status.xml (P1 v2). */
async function detectLegacy(get: (path: string) => Promise<string>, src: XmlNode, dsmr: boolean) {
  const network = find(src, ['module', 'protocols', 'master_controller']) ?? findAll(src, ['network']).find((n) => find(n, ['nodes', 'network_router']));
  const thermostat = findAll(src, ['appliance']).some((a) => kidText(a, 'type') === 'thermostat');
  if (thermostat || network !== undefined) {
    const system = readHubDoc(PATH.SYSTEM, await get(PATH.SYSTEM), 'system');
    let mac: string | undefined;
    for (const iface of ['wlan0', 'eth0']) mac = kidText(kid(system, iface), 'mac') ?? mac;
    return {
      firmware: kidText(kid(system, 'gateway'), 'firmware'),
      vendorModel: kidText(kid(system, 'gateway'), 'product'),
      hostname: kidText(kid(system, 'gateway'), 'hostname'),
      mac,
    };
  }
  if (dsmr) {
    const status = readHubDoc(PATH.STATUS, await get(PATH.STATUS));
    return {
      firmware: kidText(kid(status, 'system'), 'version'),
      vendorModel: kidText(kid(status, 'system'), 'product'),
      hostname: kidText(kid(status, 'network'), 'hostname'),
      mac: kidText(kid(status, 'network'), 'mac_address'),
    };
  }
  throw badResponse('Connected, but the hub sent no gateway information: this Plugwise hub is not supported.');
}

/** Detect the hub; `get(path)` returns a GET's body (and throws GatewayError on HTTP failures). */
export async function detectHub(get: (path: string) => Promise<string>): Promise<HubInfo> {
  const dom = readHubDoc(PATH.DOMAIN_OBJECTS, await get(PATH.DOMAIN_OBJECTS), 'domain_objects');
  let src = dom;
  let names = findAll(src, ['module', 'vendor_name']).map((n) => text(n));
  if (names.length === 0) {
    // Stretch fw 2.7.18 lists its modules only in /core/modules
    src = readHubDoc(PATH.MODULES, await get(PATH.MODULES), 'modules');
    names = findAll(src, ['module', 'vendor_name']).map((n) => text(n));
  }
  const dsmr = find(src, ['module', 'protocols', 'dsmrmain']) !== undefined;
  if (!names.includes('Plugwise') && !dsmr) {
    throw badResponse('The host answered, but not as a Plugwise Smile or Stretch (no Plugwise modules found): check the host address.');
  }
  if (findAll(src, ['module', 'vendor_model']).some((m) => text(m) === '159.2')) {
    throw badResponse('This Anna is connected to an Adam: configure the Adam instead.');
  }

  const gateway = kid(src, 'gateway');
  if (gateway !== undefined) {
    const facts = modernFacts(src);
    return {
      id: attr(gateway, 'id') ?? '',
      model: MODEL_OF[facts.name === 'Smile Anna P1' ? 'Smile Anna' : facts.name],
      vendorModel: facts.vendorModel,
      firmware: facts.firmware,
      hostname: facts.hostname ?? '',
      mac: facts.mac ?? '',
      legacy: false,
    };
  }

  const legacy = await detectLegacy(get, src, dsmr);
  if (legacy.firmware === undefined || legacy.vendorModel === undefined) {
    throw badResponse('The legacy hub did not report its model and firmware: this Plugwise hub is not supported.');
  }
  const { smile } = target(legacy.vendorModel, legacy.firmware);
  let id = FAKE_APPL;
  if (smile.type !== 'power') {
    const locations = readHubDoc(PATH.LOCATIONS, await get(PATH.LOCATIONS), 'locations');
    id = legacyHomeLocation(locations, false).id;
  }
  return {
    id,
    model: MODEL_OF[smile.name],
    vendorModel: legacy.vendorModel,
    firmware: legacy.firmware.trim(),
    hostname: legacy.hostname ?? '',
    mac: legacy.mac ?? '',
    legacy: true,
  };
}

/** The paths one poll must GET, in order. */
export function pollPaths(info: HubInfo): string[] {
  if (!info.legacy) return [PATH.DOMAIN_OBJECTS];
  if (info.model === 'p1') return [PATH.DOMAIN_OBJECTS, PATH.LOCATIONS, PATH.MODULES];
  return [PATH.DOMAIN_OBJECTS, PATH.LOCATIONS, PATH.MODULES, PATH.APPLIANCES];
}
