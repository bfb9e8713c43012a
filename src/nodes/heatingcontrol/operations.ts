import { badInput } from '../../core/errors';
import { describe, hasControls } from '../../core/text';
import type { HeatingClient } from '../../vendors/heatingcontrol/client';
import type { NodeMessage } from '../common/red';

/**
 * The heating-command operations as a table: what each needs, what it asks of the client, and what it
 * puts on the msg. The node itself only resolves overrides, runs the entry and reports.
 */

export const OPERATION_NAMES = ['homes', 'devices', 'device', 'rename', 'state', 'settings', 'setSetting', 'commands', 'command'] as const;
export type Operation = (typeof OPERATION_NAMES)[number];

export interface OpContext {
  client: HeatingClient;
  msg: NodeMessage;
  device: string;
  command: string;
  setting: string;
  homeId: string;
  /** The params configured in the node (the command's form), before msg.payload is merged in. */
  params: Record<string, unknown>;
  signal: AbortSignal;
}

export interface OpResult {
  payload: unknown;
  topic: string;
  /** The green status text. */
  summary: string;
  /** Other msg properties to set (e.g. msg.settings). */
  extra?: Record<string, unknown>;
}

export interface OperationDef {
  needs: readonly ('device' | 'command' | 'setting')[];
  run(ctx: OpContext): Promise<OpResult>;
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/**
 * The params to send: msg.payload (an object) over the node's params. A single value as payload
 * (a number, string or boolean) fills the command's only parameter when the node does not set it.
 */
export async function commandParams(ctx: OpContext): Promise<Record<string, unknown>> {
  const p = ctx.msg.payload;
  if (isPlainObject(p)) return { ...ctx.params, ...p };
  if (typeof p === 'number' || typeof p === 'boolean' || (typeof p === 'string' && p.trim() !== '')) {
    const schema = (await ctx.client.schemas.get(ctx.device))[ctx.command];
    const names = Object.keys(schema?.params ?? {});
    if (names.length === 1 && ctx.params[names[0]!] === undefined) return { ...ctx.params, [names[0]!]: p };
  }
  return { ...ctx.params };
}

/** The longest device name `rename` sends (the app shows names like "Living Room Heater"). */
export const MAX_DEVICE_NAME = 100;

/** msg.payload of `rename`: a name a user can have meant, trimmed; BAD_INPUT otherwise (nothing sent). */
export function deviceName(payload: unknown): string {
  if (typeof payload !== 'string' || !payload.trim()) throw badInput(`rename needs the new device name as a non-empty string in msg.payload, not ${describe(payload)}.`);
  const name = payload.trim();
  if (name.length > MAX_DEVICE_NAME) throw badInput(`The new device name is ${name.length} characters long: at most ${MAX_DEVICE_NAME}.`);
  if (hasControls(name)) throw badInput(`The new device name holds control characters (${describe(name)}): give it on one line, without them.`);
  return name;
}

function temperatureText(state: Record<string, unknown>): string {
  const t = state.currentTemperature;
  const parts = [typeof t === 'number' ? `${t} °C` : '', typeof state.mode === 'string' ? state.mode : ''];
  return parts.filter(Boolean).join(' ') || 'state';
}

export const OPERATIONS: Readonly<Record<Operation, OperationDef>> = {
  homes: {
    needs: [],
    async run({ client, signal }) {
      const { items } = await client.homes(signal);
      return { payload: items, topic: 'heatingcontrol/homes', summary: plural(items.length, 'home') };
    },
  },
  devices: {
    needs: [],
    async run({ client, homeId, signal }) {
      const { items } = await client.devices({ homeId: homeId || undefined }, signal);
      return { payload: items, topic: homeId ? `heatingcontrol/homes/${homeId}/devices` : 'heatingcontrol/devices', summary: plural(items.length, 'device') };
    },
  },
  device: {
    needs: ['device'],
    async run({ client, device, signal }) {
      const d = await client.device(device, signal);
      return { payload: d, topic: `heatingcontrol/${device}`, summary: String(d.name ?? device) };
    },
  },
  rename: {
    needs: ['device'],
    async run({ client, device, msg, signal }) {
      const d = await client.rename(device, deviceName(msg.payload), signal);
      return { payload: d, topic: `heatingcontrol/${device}`, summary: `renamed: ${String(d.name ?? '')}` };
    },
  },
  state: {
    needs: ['device'],
    async run({ client, device, signal }) {
      const s = await client.state(device, signal);
      return { payload: s, topic: `heatingcontrol/${device}/state`, summary: temperatureText(s) };
    },
  },
  settings: {
    needs: ['device'],
    async run({ client, device, signal }) {
      const { values, descriptors } = await client.settings(device, signal);
      return { payload: values, topic: `heatingcontrol/${device}/settings`, summary: plural(Object.keys(values).length, 'setting'), extra: { settings: descriptors } };
    },
  },
  setSetting: {
    needs: ['device', 'setting'],
    async run({ client, device, setting, msg, signal }) {
      const r = await client.setSetting(device, setting, msg.payload, signal);
      return {
        payload: { [r.key]: r.value },
        topic: `heatingcontrol/${device}/settings/${r.key}`,
        summary: `${r.key} = ${JSON.stringify(r.value)}`,
        extra: { settings: { [r.key]: r.descriptor } },
      };
    },
  },
  commands: {
    needs: ['device'],
    async run({ client, device, signal }) {
      const map = await client.commands(device, signal);
      return { payload: map, topic: `heatingcontrol/${device}/commands`, summary: plural(Object.keys(map).length, 'command') };
    },
  },
  command: {
    needs: ['device', 'command'],
    async run(ctx) {
      const params = await commandParams(ctx);
      const out = await ctx.client.command(ctx.device, ctx.command, params, ctx.signal);
      const result = out.state ?? (out.success ? 'ok' : 'not applied');
      return { payload: out, topic: `heatingcontrol/${ctx.device}/commands/${ctx.command}`, summary: `${out.command} ${result}` };
    },
  },
};
