import { badInput } from '../../core/errors';
import { redact } from '../../core/redact';
import type { HeatingClient } from '../../vendors/heatingcontrol/client';
import { optionsOf } from '../../vendors/heatingcontrol/schema';
import { adminRoute, bodyObject, formCredentials } from '../common/admin';
import type { AdminRequest, NodeAPI } from '../common/red';
import { ACCOUNT_TYPE, heatingSettings, newHeatingClient, type HeatingAccountNode, type HeatingCredentials } from './account';

/**
 * Editor endpoints. Each takes the account's settings as the dialog (or the stored config node) holds
 * them, so they work before the first deploy; a deployed account with the same settings answers from
 * its own client and token (otherwise a client lives for one request: a token each, no lingering sockets).
 *   POST /energy-gateways/heatingcontrol/test      -> {homes, devices}
 *   POST /energy-gateways/heatingcontrol/homes     -> [{id, name, deviceCount}]
 *   POST /energy-gateways/heatingcontrol/devices   -> [{id, name, type, homeId, online}]   (body.homeId filters)
 *   POST /energy-gateways/heatingcontrol/commands  -> [{key, params: {name: {type, required, constraints, options}}}]   (body.device)
 *   POST /energy-gateways/heatingcontrol/settings  -> [{key, label, type, value, editable, options}]   (body.device)
 */
export function registerHeatingAdmin(RED: NodeAPI): void {
  const credentialsOf = (req: AdminRequest): HeatingCredentials => {
    const b = bodyObject(req);
    return formCredentials(RED, b.id, b.credentials, ['clientId', 'clientSecret']);
  };
  const scrub = (text: string, req: AdminRequest): string => redact(text, [credentialsOf(req).clientSecret]);

  /**
   * Runs `fn` with the deployed account's client when the settings match it, else with a client made for
   * this request and closed right after (no socket or timer outlives the request).
   */
  async function withClient<T>(req: AdminRequest, fn: (client: HeatingClient) => Promise<T>): Promise<T> {
    const b = bodyObject(req);
    const settings = heatingSettings(b);
    const creds = credentialsOf(req);
    const deployed = typeof b.id === 'string' && b.id ? (RED.nodes.getNode(b.id) as HeatingAccountNode | null) : null;
    if (deployed && typeof deployed.matches === 'function' && deployed.matches(settings, creds)) return fn(deployed.getClient());
    const client = newHeatingClient(settings, creds);
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  const device = (req: AdminRequest): string => {
    const d = bodyObject(req).device;
    if (typeof d !== 'string' || !d.trim()) throw badInput('Pick a device first.');
    return d.trim();
  };

  adminRoute(RED, 'post', '/heatingcontrol/test', ACCOUNT_TYPE, async (req) => {
    return withClient(req, async (client) => {
      const homes = await client.homes();
      const devices = await client.devices();
      return { homes: homes.items.length, devices: devices.items.length };
    });
  }, scrub);

  adminRoute(RED, 'post', '/heatingcontrol/homes', ACCOUNT_TYPE, async (req) => {
    const { items } = await withClient(req, (c) => c.homes());
    return items.map((h) => ({ id: h.id, name: h.name, deviceCount: h.deviceCount }));
  }, scrub);

  adminRoute(RED, 'post', '/heatingcontrol/devices', ACCOUNT_TYPE, async (req) => {
    const homeId = bodyObject(req).homeId;
    const { items } = await withClient(req, (c) => c.devices({ homeId: typeof homeId === 'string' ? homeId : undefined }));
    return items
      .map((d) => ({ id: d.id, name: d.name, type: d.type, homeId: d.homeId, online: d.online }))
      .sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  }, scrub);

  adminRoute(RED, 'post', '/heatingcontrol/commands', ACCOUNT_TYPE, async (req) => {
    const d = device(req);
    const map = await withClient(req, (c) => c.commands(d));
    return Object.entries(map).map(([key, schema]) => {
      const params: Record<string, unknown> = {};
      for (const [name, p] of Object.entries(schema?.params ?? {})) {
        params[name] = { type: p?.type, required: p?.required === true, constraints: p?.constraints ?? {}, options: optionsOf(p as Record<string, unknown>) };
      }
      return { key, params };
    });
  }, scrub);

  adminRoute(RED, 'post', '/heatingcontrol/settings', ACCOUNT_TYPE, async (req) => {
    const d = device(req);
    const { descriptors } = await withClient(req, (c) => c.settings(d));
    return Object.entries(descriptors).map(([key, d]) => ({
      key,
      label: d.label,
      type: d.type,
      value: d.value,
      editable: d.editable !== false,
      options: optionsOf(d as Record<string, unknown>),
    }));
  }, scrub);
}
