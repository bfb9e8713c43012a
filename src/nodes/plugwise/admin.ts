import { badInput } from '../../core/errors';
import { entityActions, type PlugwiseSnapshot } from '../../vendors/plugwise';
import { adminEndpoints, withCallClient, type AdminCall } from '../common/admin';
import type { NodeAPI } from '../common/red';
import { GATEWAY_TYPE, newPlugwiseClient, plugwiseSettings, type PlugwiseCredentials, type PlugwiseGatewayNode, type PlugwiseSettings } from './gateway';

/**
 * Editor endpoints. Each takes the gateway's settings as the dialog holds them (so they work before the
 * first deploy); a deployed gateway asked for its own connection answers from its own client and queue.
 * Test connection needs plugwise-gateway.write; the pickers need .read while they ask the deployed gateway.
 *   POST /energy-gateways/plugwise/test      -> {model, vendorModel, firmware, hostname, entities}
 *   POST /energy-gateways/plugwise/entities  -> [{id, name, devClass, model, location}]
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

type Call = AdminCall<PlugwiseSettings, PlugwiseCredentials, PlugwiseGatewayNode>;
