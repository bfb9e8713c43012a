import { badInput } from '../../core/errors';
import { entityActions, type PlugwiseSnapshot } from '../../vendors/plugwise';
import { discoverHubs } from '../../vendors/plugwise/discover';
import { adminAction, adminEndpoints, withCallClient, type AdminCall } from '../common/admin';
import type { NodeAPI } from '../common/red';
import type { HistorySource } from '../../vendors/plugwise/history';
import { GATEWAY_TYPE, newPlugwiseClient, plugwiseSettings, sourcesOf, type PlugwiseCredentials, type PlugwiseGatewayNode, type PlugwiseSettings } from './gateway';

/**
 * Editor endpoints. Each takes the gateway's settings as the dialog holds them (so they work before the
 * first deploy); a deployed gateway asked for its own connection answers from its own client and queue.
 * Test connection needs plugwise-gateway.write; the pickers need .read while they ask the deployed gateway.
 *   POST /energy-gateways/plugwise/test      -> {model, vendorModel, firmware, hostname, entities}
 *   POST /energy-gateways/plugwise/entities  -> [{id, name, devClass, model, location}]
 *   POST /energy-gateways/plugwise/discover  -> [{name, model, label, firmware, host, port}]   (mDNS, ~3 s)
 *   POST /energy-gateways/plugwise/history  -> [{id, name, route, type, devClass, logs: [{log, kind, unit, interval, tariffs}]}]
 *   POST /energy-gateways/plugwise/actions   -> [{id, name, devClass, model, actions: [{action, kind, min, max, step, options, current, blocked}]}]
 */
export function registerPlugwiseAdmin(RED: NodeAPI): void {
  const endpoints = adminEndpoints<PlugwiseSettings, PlugwiseCredentials, PlugwiseGatewayNode>(RED, {
    nodeType: GATEWAY_TYPE,
    settings: plugwiseSettings,
    connectionKeys: ['host', 'port'],
    credentialKeys: ['username', 'password'],
    secretLabels: { password: 'the Smile ID' },
  });

  /** The hub's snapshot and whether it is a legacy hub (which changes what it lets us write). */
  async function readFor(call: Call): Promise<{ snapshot: PlugwiseSnapshot; legacy: boolean }> {
    if (!call.settings.host) throw badInput('Enter the hub\'s host (IP address or name) first.');
    const deployed = call.deployed;
    if (deployed) {
      const snapshot = deployed.poller.last ?? (await deployed.poller.refresh());
      return { snapshot, legacy: deployed.client.info?.legacy === true };
    }
    if (!call.credentials.password) throw badInput('Enter the Smile ID (the 8-character password on the hub) first.');
    return withCallClient(
      call,
      () => undefined,
      () => newPlugwiseClient(call.settings, call.credentials),
      async (client, signal) => ({ snapshot: await client.read(signal), legacy: client.info?.legacy === true }),
    );
  }

  endpoints.route('/plugwise/test', 'connect', async (call) => {
    const { snapshot } = await readFor(call);
    const { model, vendorModel, firmware, hostname } = snapshot.gateway;
    return { model, vendorModel, firmware, hostname, entities: Object.keys(snapshot.entities).length };
  });

  endpoints.route('/plugwise/entities', 'pick', async (call) => {
    const { snapshot } = await readFor(call);
    return Object.values(snapshot.entities)
      .map((e) => ({ id: e.id, name: e.name, devClass: e.devClass, model: e.model, location: e.location }))
      .sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  });

  // What has logs (the plugwise-history picker): the last read's locations, appliances and modules with <logs>.
  endpoints.route('/plugwise/history', 'pick', async (call) => {
    const { snapshot, sources } = await sourcesFor(call);
    return sources
      // devClass: the entity's when the element is one (a zone, a thermostat), else what it is (location, ...).
      .map((s) => ({ id: s.id, name: s.name, route: s.route, type: s.type, devClass: snapshot.entities[s.id]?.devClass ?? ROUTE_KIND[s.route], logs: s.logs }))
      .sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)) || a.id.localeCompare(b.id));
  });

  async function sourcesFor(call: Call): Promise<{ snapshot: PlugwiseSnapshot; sources: HistorySource[] }> {
    if (!call.settings.host) throw badInput('Enter the hub\'s host (IP address or name) first.');
    const deployed = call.deployed;
    if (deployed) {
      const sources = await deployed.historySources();
      return { snapshot: deployed.poller.last ?? (await deployed.poller.refresh()), sources };
    }
    if (!call.credentials.password) throw badInput('Enter the Smile ID (the 8-character password on the hub) first.');
    return withCallClient(
      call,
      () => undefined,
      () => newPlugwiseClient(call.settings, call.credentials),
      async (client, signal) => {
        const snapshot = await client.read(signal);
        const read = client.lastRead;
        return { snapshot, sources: read ? sourcesOf(read) : [] };
      },
    );
  }

  // The hubs announcing themselves over multicast DNS: a search of the local network, so write permission.
  // settings.js `plugwiseDiscovery: {interface, port}` chooses the interface (a multi-homed host) and port.
  adminAction(RED, '/plugwise/discover', GATEWAY_TYPE, (_body, signal) => {
    const conf = (RED.settings?.plugwiseDiscovery ?? {}) as { interface?: unknown; port?: unknown; bind?: unknown };
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
    return discoverHubs({
      timeoutMs: DISCOVERY_MS,
      interface: text(conf.interface),
      port: typeof conf.port === 'number' ? conf.port : undefined,
      bind: text(conf.bind),
      signal,
    });
  });

  // Per controllable entity, the actions it supports with the bounds and options of this read.
  endpoints.route('/plugwise/actions', 'pick', async (call) => {
    const { snapshot, legacy } = await readFor(call);
    const out = [];
    for (const e of Object.values(snapshot.entities)) {
      const actions = entityActions(e, { snapshot, legacy });
      if (actions.length > 0) out.push({ id: e.id, name: e.name, devClass: e.devClass, model: e.model, actions });
    }
    return out.sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  });
}

/** How long the network search listens for hubs (they answer within a second; the query is repeated). */
const DISCOVERY_MS = 3000;

const ROUTE_KIND = { locations: 'location', appliances: 'appliance', modules: 'module' } as const;

type Call = AdminCall<PlugwiseSettings, PlugwiseCredentials, PlugwiseGatewayNode>;
