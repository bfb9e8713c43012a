/** Public and internal types of the Plugwise entity model. */
import type { SmileName, SmileType } from './tables';
import type { XmlNode } from './xml';

export type HubModel = 'adam' | 'anna' | 'p1' | 'stretch';

export interface HubInfo {
  /** The id attribute of the hub's <gateway> element (legacy hubs: python-plugwise's gateway entity id). */
  id: string;
  model: HubModel;
  /** The hub's own model name, e.g. "smile_open_therm", "smile_thermo", "smile", "stretch". */
  vendorModel: string;
  firmware: string;
  hostname: string;
  mac: string;
  /** True for hubs that need the legacy endpoints (Stretch v2/v3, Anna v1, P1 v2). */
  legacy: boolean;
}

/** python-plugwise's entity dict, keys camelCased, plus `id`. */
export type Entity = { id: string; [key: string]: unknown };

export interface PlugwiseSnapshot {
  /** The hub as detected (without the endpoint choice), and its clock. */
  gateway: Omit<HubInfo, 'legacy'> & {
    /** The hub's clock (ms epoch) from its XML, or `now` when the XML has none. */
    time: number;
  };
  entities: Record<string, Entity>;
}

/** What python-plugwise calls `smile`: the hub's identity and capabilities. */
export interface HubFacts {
  name: SmileName | 'Smile Anna P1';
  type: SmileType;
  target: string;
  vendorModel: string;
  firmware: string;
  hwVersion?: string;
  mac?: string;
  hostname?: string;
  zigbeeMac?: string;
  legacy: boolean;
  annaP1: boolean;
  adam: boolean;
  anna: boolean;
  stretchV2: boolean;
  onOffDevice: boolean;
  coolingPresent: boolean;
  elga: boolean;
}

/** An entity while it is being built (python-plugwise's snake_case keys). */
export interface RawEntity {
  dev_class: string;
  [key: string]: unknown;
}

/** The data collected for one entity on one pass. */
export interface EntityData {
  binary_sensors: Record<string, boolean>;
  sensors: Record<string, number>;
  switches: Record<string, boolean>;
  [key: string]: unknown;
}

export type Notifications = Record<string, Record<string, string | null>>;

/** Everything one snapshot build needs, indexed once. */
export interface BuildContext {
  facts: HubFacts;
  /** `now` as the hub's local wall clock (ms, as if UTC), for the "older than 7 days" rules. */
  nowLocal: number;
  domainObjects: XmlNode;
  /** Appliances by id (legacy: from /core/appliances). */
  appliances: Map<string, XmlNode>;
  applianceList: XmlNode[];
  locations: Map<string, XmlNode>;
  locationList: XmlNode[];
  /** Module by "<service tag>|<service id>" (legacy: from /core/modules). */
  moduleByService: Map<string, XmlNode>;
  /** Groups by id (from domain_objects). */
  groups: Map<string, XmlNode>;
  groupList: XmlNode[];
  rules: XmlNode[];
  notifications: Notifications;
  homeLocId: string;
  homeLocation?: XmlNode;
  gatewayId: string;
  heaterId: string;
  entities: Map<string, RawEntity>;
  regAllowedModes: string[];
  gwAllowedModes: string[];
  dhwAllowedModes: string[];
  coolingEnabled: boolean;
}
