/** plugwise-control's action names, in the contract's order (the runtime and the editor share the list). */
export const CONTROL_ACTIONS = [
  'setpoint',
  'setpointLow',
  'setpointHigh',
  'preset',
  'schedule',
  'relay',
  'lock',
  'regulationMode',
  'gatewayMode',
  'dhwMode',
  'dhwComfortMode',
  'coolingEnabled',
  'maxBoilerTemperature',
  'maxDhwTemperature',
  'temperatureOffset',
  'zoneProfile',
  'reboot',
  'deleteNotification',
] as const;

export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export function isControlAction(value: unknown): value is ControlAction {
  return typeof value === 'string' && (CONTROL_ACTIONS as readonly string[]).includes(value);
}
