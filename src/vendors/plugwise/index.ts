/**
 * Plugwise Smile / Stretch: hub detection and the XML -> entity model (python-plugwise parity).
 * Pure TypeScript: no HTTP, no Node-RED.
 */
export type { Actuator, BinarySensors, Camelized, Entity, GwEntityData, HubInfo, HubModel, PlugwiseGateway, PlugwiseSnapshot, Sensors, Switches } from './types';
export { detectHub, pollPaths, readHubDoc } from './detect';
export { buildSnapshot, PlugwiseModel } from './snapshot';
export { camelizeKeys } from './camel';
export { parseXml } from './xml';
export { PATH as PLUGWISE_PATHS } from './tables';
export {
  CONTROL_ACTIONS,
  entityActions,
  hubXml,
  isControlAction,
  planWrite,
  type ActionInfo,
  type ControlAction,
  type HubXml,
  type LastRead,
  type WritePlan,
  type WriteRequest,
} from './controls';
