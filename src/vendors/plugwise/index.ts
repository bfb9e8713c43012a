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
export { CONTROL_ACTIONS, entityActions, isControlAction, type ActionInfo, type ControlAction } from './write-actions';
export { planWrite, type LastRead, type WritePlan } from './writes';
export { collectWriteTargets, type WriteTargets } from './write-targets';
export { SHAPES as WRITE_SHAPES, type WriteRequest } from './write-shapes';
