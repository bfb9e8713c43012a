/**
 * Modules: the hardware behind an appliance (vendor, model, hardware/firmware, ZigBee MAC, reachability).
 * An appliance links to its module through a service id found in one of its logs or services.
 */
import { HW_MODELS } from './tables';
import { attr, childTags, kid, kidText, kids, text, type XmlNode } from './xml';

export interface ModuleData {
  found: boolean;
  vendorName?: string;
  vendorModel?: string;
  hardware?: string;
  firmware?: string;
  zigbeeMac?: string;
  reachable?: boolean;
}

/** Where the link to the module is: a log's or the services' child element carrying an id. */
export interface ModuleLink {
  container: 'logs' | 'services';
  /** Only logs of this type (point_log[type=...]). */
  logType?: string;
  /** The child element's tag, or '*' for any child with an id. */
  child: string;
}

export const LINK = {
  plug: { container: 'logs', child: '*' },
  smartmeter: { container: 'logs', child: 'electricity_point_meter' },
  thermostat: { container: 'logs', logType: 'thermostat', child: 'thermostat' },
  boilerFlame: { container: 'logs', logType: 'flame_state', child: 'boiler_state' },
  boilerService: { container: 'services', child: 'boiler_state' },
  legacyMeter: { container: 'services', child: 'electricity_point_meter' },
} as const satisfies Record<string, ModuleLink>;

/** Index every module of a document by "<service tag>|<service id>". */
export function indexModules(root: XmlNode, into = new Map<string, XmlNode>()): Map<string, XmlNode> {
  for (const module of kids(root, 'module')) {
    for (const services of kids(module, 'services')) {
      for (const tag of childTags(services)) {
        for (const service of kids(services, tag)) {
          const id = attr(service, 'id');
          if (id !== undefined && !into.has(`${tag}|${id}`)) into.set(`${tag}|${id}`, module);
        }
      }
    }
  }
  return into;
}

function firstLinked(parent: XmlNode, tag: string): { tag: string; id: string } | undefined {
  if (tag !== '*') {
    const id = attr(kid(parent, tag), 'id');
    return id === undefined ? undefined : { tag, id };
  }
  for (const childTag of childTags(parent)) {
    const id = attr(kid(parent, childTag), 'id');
    if (id !== undefined) return { tag: childTag, id };
  }
  return undefined;
}

function findLink(element: XmlNode, link: ModuleLink): { tag: string; id: string } | undefined {
  if (link.container === 'services') {
    for (const services of kids(element, 'services')) {
      const hit = firstLinked(services, link.child);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const logs of kids(element, 'logs')) {
    for (const log of kids(logs, 'point_log')) {
      if (link.logType !== undefined && kidText(log, 'type') !== link.logType) continue;
      const hit = firstLinked(log, link.child);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Vendor name, shortened to "Plugwise" for "Plugwise B.V." and the like. */
function vendorName(module: XmlNode): string | undefined {
  const name = kidText(module, 'vendor_name');
  if (name === undefined) return undefined;
  return name.includes('Plugwise') ? name.split(' ')[0] : name;
}

/** python-plugwise `_get_module_data`. */
export function moduleData(
  element: XmlNode,
  link: ModuleLink,
  modules: Map<string, XmlNode>,
  legacy = false,
): ModuleData {
  const found = findLink(element, link);
  const module = found === undefined ? undefined : modules.get(`${found.tag}|${found.id}`);
  if (module === undefined) return { found: false };
  const data: ModuleData = {
    found: true,
    vendorName: vendorName(module),
    vendorModel: kidText(module, 'vendor_model'),
    hardware: kidText(module, 'hardware_version'),
    firmware: kidText(module, 'firmware_version'),
  };
  const protocols = kid(module, 'protocols');
  if (legacy) {
    const router = kid(protocols, 'network_router');
    if (router !== undefined) data.zigbeeMac = kidText(router, 'mac_address');
    const coordinator = kid(protocols, 'network_coordinator');
    if (coordinator !== undefined) data.zigbeeMac = kidText(coordinator, 'mac_address');
  } else {
    const node = kid(protocols, 'zig_bee_node');
    if (node !== undefined) {
      data.zigbeeMac = kidText(node, 'mac_address');
      data.reachable = text(kid(node, 'reachable')) === 'true';
    }
  }
  return data;
}

/** Hardware version or model code to a model name ("Unknown" when unknown). */
export function versionToModel(version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  const model =
    HW_MODELS[version] ??
    HW_MODELS[version.slice(4, 10)] ??
    HW_MODELS[version.slice(-2) + version.slice(-4, -2) + version.slice(-6, -4)];
  return model ?? 'Unknown';
}

/** python-plugwise `check_model`: a Plugwise model code to its name, Aqara plugs by name. */
export function checkModel(name: string | undefined, vendor: string | undefined): string | undefined {
  if (vendor === 'Plugwise') {
    const model = versionToModel(name);
    if (model !== 'Unknown' && model !== undefined) return model;
  }
  if (name !== undefined && name.includes('lumi.plug')) return 'Aqara Smart Plug';
  return undefined;
}
