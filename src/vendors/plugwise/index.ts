/**
 * Plugwise Smile / Stretch: hub detection and the XML -> entity model (python-plugwise parity).
 * Pure TypeScript: no HTTP, no Node-RED.
 */
export type { Entity, HubInfo, HubModel, PlugwiseSnapshot } from './types';
export { detectHub, pollPaths, readHubDoc } from './detect';
export { buildSnapshot } from './snapshot';
export { camelizeKeys } from './camel';
export { parseXml } from './xml';
export { PATH as PLUGWISE_PATHS } from './tables';
