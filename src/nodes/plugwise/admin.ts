import { badInput } from '../../core/errors';
import { redact } from '../../core/redact';
import { entityActions, type PlugwiseSnapshot } from '../../vendors/plugwise';
import { adminRoute, bodyObject, formCredentials } from '../common/admin';
import type { AdminRequest, NodeAPI } from '../common/red';
import { GATEWAY_TYPE, newPlugwiseClient, plugwiseSettings, type PlugwiseGatewayNode } from './gateway';

/**
 * Editor endpoints. Both take the gateway's settings as the dialog holds them (so they work before the
 * first deploy); a deployed gateway with the same settings answers from its own client and queue.
 *   POST /energy-gateways/plugwise/test      -> {model, vendorModel, firmware, hostname, entities}
 *   POST /energy-gateways/plugwise/entities  -> [{id, name, devClass, model, location}]
 *   POST /energy-gateways/plugwise/actions   -> [{id, name, devClass, model, actions: [{action, kind, min, max, step, options, current, blocked}]}]
 */
export function registerPlugwiseAdmin(RED: NodeAPI): void {
  const credentialsOf = (req: AdminRequest): Record<string, string | undefined> => {
    const b = bodyObject(req);
    return formCredentials(RED, b.id, b.credentials, ['username', 'password']);
  };
  const scrub = (text: string, req: AdminRequest): string => redact(text, [credentialsOf(req).password]);

  async function snapshotFor(req: AdminRequest): Promise<PlugwiseSnapshot> {
    return (await readFor(req)).snapshot;
  }

  /** The hub's snapshot and whether it is a legacy hub (which changes what it lets us write). */
  async function readFor(req: AdminRequest): Promise<{ snapshot: PlugwiseSnapshot; legacy: boolean }> {
    const b = bodyObject(req);
    const settings = plugwiseSettings(b);
    if (!settings.host) throw badInput('Enter the hub\'s host (IP address or name) first.');
    const creds = credentialsOf(req);
    if (!creds.password) throw badInput('Enter the Smile ID (the 8-character password on the hub) first.');
    const deployed = typeof b.id === 'string' ? (RED.nodes.getNode(b.id) as PlugwiseGatewayNode | null) : null;
    if (deployed && sameConnection(deployed, settings, creds)) {
      const snapshot = deployed.poller.last ?? (await deployed.poller.refresh());
      return { snapshot, legacy: deployed.client.info?.legacy === true };
    }
    const client = newPlugwiseClient(settings, creds);
    try {
      const snapshot = await client.read();
      return { snapshot, legacy: client.info?.legacy === true };
    } finally {
      await client.close();
    }
  }

  adminRoute(RED, 'post', '/plugwise/test', GATEWAY_TYPE, async (req) => {
    const snap = await snapshotFor(req);
    const { model, vendorModel, firmware, hostname } = snap.gateway;
    return { model, vendorModel, firmware, hostname, entities: Object.keys(snap.entities).length };
  }, scrub);

  adminRoute(RED, 'post', '/plugwise/entities', GATEWAY_TYPE, async (req) => {
    const snap = await snapshotFor(req);
    return Object.values(snap.entities)
      .map((e) => ({ id: e.id, name: e.name, devClass: e.devClass, model: e.model, location: e.location }))
      .sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  }, scrub);

  // Per controllable entity, the actions it supports with the bounds and options of this read.
  adminRoute(RED, 'post', '/plugwise/actions', GATEWAY_TYPE, async (req) => {
    const { snapshot, legacy } = await readFor(req);
    const out = [];
    for (const e of Object.values(snapshot.entities)) {
      const actions = entityActions(e, { snapshot, legacy });
      if (actions.length > 0) out.push({ id: e.id, name: e.name, devClass: e.devClass, model: e.model, actions });
    }
    return out.sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  }, scrub);
}

function sameConnection(node: PlugwiseGatewayNode, settings: ReturnType<typeof plugwiseSettings>, creds: Record<string, string | undefined>): boolean {
  const c = node.credentials ?? {};
  return (
    node.settings.host === settings.host &&
    node.settings.port === settings.port &&
    (c.username || 'smile') === (creds.username || 'smile') &&
    c.password === creds.password
  );
}
