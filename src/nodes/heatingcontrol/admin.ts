import { badInput } from '../../core/errors';
import type { HeatingClient } from '../../vendors/heatingcontrol/client';
import { optionsOf } from '../../vendors/heatingcontrol/schema';
import { adminEndpoints, withCallClient, type AdminCall } from '../common/admin';
import type { NodeAPI } from '../common/red';
import { ACCOUNT_TYPE, heatingSettings, newHeatingClient, type HeatingAccountNode, type HeatingCredentials, type HeatingSettings } from './account';

/**
 * Editor endpoints. Each takes the account's settings as the dialog (or the stored config node) holds
 * them, so they work before the first deploy; a deployed account asked for its own connection answers
 * from its own client and token (otherwise a client lives for one call: a token each, no lingering
 * sockets). Test connection needs heating-account.write; the pickers .read while they ask the deployed account.
 *   POST /energy-gateways/heatingcontrol/test      -> {homes, devices}
 *   POST /energy-gateways/heatingcontrol/homes     -> [{id, name, deviceCount}]
 *   POST /energy-gateways/heatingcontrol/devices   -> [{id, name, type, homeId, online}]   (body.homeId filters)
 *   POST /energy-gateways/heatingcontrol/commands  -> [{key, params: {name: {type, required, constraints, options}}}]   (body.device)
 *   POST /energy-gateways/heatingcontrol/settings  -> [{key, label, type, value, editable, options}]   (body.device)
 */
export function registerHeatingAdmin(RED: NodeAPI): void {
  const endpoints = adminEndpoints<HeatingSettings, HeatingCredentials, HeatingAccountNode>(RED, {
    nodeType: ACCOUNT_TYPE,
    settings: heatingSettings,
    connectionKeys: ['baseUrl', 'scope', 'clientAuth'],
    credentialKeys: ['clientId', 'clientSecret'],
    secretLabels: { clientSecret: 'the client secret' },
  });

  /** Runs `fn` with the deployed account's client when the call is its own, else with one made for the call. */
  const withClient = <T>(call: Call, fn: (client: HeatingClient, signal: AbortSignal) => Promise<T>): Promise<T> =>
    withCallClient(call, (node) => node.getClient(), () => newHeatingClient(call.settings, call.credentials), fn);

  const device = (call: Call): string => {
    const d = call.body.device;
    if (typeof d !== 'string' || !d.trim()) throw badInput('Pick a device first.');
    return d.trim();
  };

  endpoints.route('/heatingcontrol/test', 'connect', (call) =>
    withClient(call, async (client, signal) => {
      const homes = await client.homes(signal);
      const devices = await client.devices({}, signal);
      return { homes: homes.items.length, devices: devices.items.length };
    }),
  );

  endpoints.route('/heatingcontrol/homes', 'pick', async (call) => {
    const { items } = await withClient(call, (c, signal) => c.homes(signal));
    return items.map((h) => ({ id: h.id, name: h.name, deviceCount: h.deviceCount }));
  });

  endpoints.route('/heatingcontrol/devices', 'pick', async (call) => {
    const homeId = call.body.homeId;
    const { items } = await withClient(call, (c, signal) => c.devices({ homeId: typeof homeId === 'string' ? homeId : undefined }, signal));
    return items
      .map((d) => ({ id: d.id, name: d.name, type: d.type, homeId: d.homeId, online: d.online }))
      .sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  });

  endpoints.route('/heatingcontrol/commands', 'pick', async (call) => {
    const d = device(call);
    const map = await withClient(call, (c, signal) => c.commands(d, signal));
    return Object.entries(map).map(([key, schema]) => {
      const params: Record<string, unknown> = {};
      for (const [name, p] of Object.entries(schema?.params ?? {})) {
        params[name] = { type: p?.type, required: p?.required === true, constraints: p?.constraints ?? {}, options: optionsOf(p as Record<string, unknown>) };
      }
      return { key, params };
    });
  });

  endpoints.route('/heatingcontrol/settings', 'pick', async (call) => {
    const d = device(call);
    const { descriptors } = await withClient(call, (c, signal) => c.settings(d, signal));
    return Object.entries(descriptors).map(([key, d]) => ({
      key,
      label: d.label,
      type: d.type,
      value: d.value,
      editable: d.editable !== false,
      options: optionsOf(d as Record<string, unknown>),
    }));
  });
}

type Call = AdminCall<HeatingSettings, HeatingCredentials, HeatingAccountNode>;
