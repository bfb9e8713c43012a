/**
 * The HeatingControl External API's objects, as far as this package reads them. Every object may carry
 * fields not listed here (the API adds fields without notice): they are kept and passed through.
 */

export type Json = Record<string, unknown>;

export interface Location {
  country?: string;
  state?: string;
  city?: string;
  timeZone?: string;
  latitude?: number;
  longitude?: number;
  geofenceRadius?: number;
  [extra: string]: unknown;
}

export interface Home {
  id: string;
  name?: string;
  deviceCount?: number;
  location?: Location;
  [extra: string]: unknown;
}

export interface Device {
  id: string;
  name?: string;
  type?: string;
  subtype?: string;
  homeId?: string;
  online?: boolean;
  fwVersion?: string;
  hwVersion?: string;
  gatewayId?: string | null;
  [extra: string]: unknown;
}

export interface Pagination {
  limit?: number;
  cursor?: string | null;
  nextCursor?: string | null;
  hasMore?: boolean;
  [extra: string]: unknown;
}

export interface Page<T> {
  items: T[];
  pagination?: Pagination;
}

/** GET /v1/devices/{id}/state (plus `deviceId`, added by this package). */
export interface DeviceState {
  type?: string;
  online?: boolean;
  mode?: string;
  indicators?: string[];
  currentTemperature?: number;
  targetTemperature?: number;
  temperatureUnits?: string;
  chargeLevel?: number;
  power?: number;
  maxPower?: number;
  [extra: string]: unknown;
}

/** One entry of GET /v1/devices/{id}/settings. */
export interface SettingDescriptor {
  key?: string;
  type?: string;
  label?: string;
  value?: unknown;
  editable?: boolean;
  options?: unknown[];
  [extra: string]: unknown;
}

export interface ParamConstraints {
  min?: number;
  max?: number;
  step?: number;
  [extra: string]: unknown;
}

/** One parameter of a command, as GET /v1/devices/{id}/commands describes it. */
export interface ParamSchema {
  type?: string;
  required?: boolean;
  constraints?: ParamConstraints;
  [extra: string]: unknown;
}

export interface CommandSchema {
  params?: Record<string, ParamSchema>;
  [extra: string]: unknown;
}

/** The command map: command key -> schema. */
export type CommandMap = Record<string, CommandSchema>;

/** What a `command` operation emits. */
export interface CommandOutcome {
  command: string;
  state?: string;
  success: boolean;
  appliedTime?: number;
  message?: string;
  [extra: string]: unknown;
}

export type ClientAuth = 'body' | 'basic';
