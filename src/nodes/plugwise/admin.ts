import { badInput } from '../../core/errors';
import { redact } from '../../core/redact';
import type { PlugwiseSnapshot } from '../../vendors/plugwise';
import { adminRoute, bodyObject, formCredentials } from '../common/admin';
import type { AdminRequest, NodeAPI } from '../common/red';
import { GATEWAY_TYPE, newPlugwiseClient, plugwiseSettings, type PlugwiseGatewayNode } from './gateway';

/**
 * Editor endpoints. Both take the gateway's settings as the dialog holds them (so they work before the
 * first deploy); a deployed gateway with the same settings answers from its own client and queue.
 *   POST /energy-gateways/plugwise/test      -> {model, vendorModel, firmware, hostname, entities}
 *   POST /energy-gateways/plugwise/entities  -> [{id, name, devClass, model, location}]
 */
export function registerPlugwiseAdmin(RED: NodeAPI): void {
  const credentialsOf = (req: AdminRequest): Record<string, string | undefined> => {
    const b = bodyObject(req);
    return formCredentials(RED, b.id, b.credentials, ['username', 'password']);
  };
  const scrub = (text: string, req: AdminRequest): string => redact(text, [credentialsOf(req).password]);

  async function snapshotFor(req: AdminRequest): Promise<PlugwiseSnapshot> {
    const b = bodyObject(req);
    const settings = plugwiseSettings(b);
    if (!settings.host) throw badInput('Enter the hub\'s host (IP address or name) first.');
    const creds = credentialsOf(req);
    if (!creds.password) throw badInput('Enter the Smile ID (the 8-character password on the hub) first.');
    const deployed = typeof b.id === 'string' ? (RED.nodes.getNode(b.id) as PlugwiseGatewayNode | null) : null;
    if (deployed && sameConnection(deployed, settings, creds)) {
      return deployed.poller.last ?? deployed.poller.refresh();
    }
    const client = newPlugwiseClient(settings, creds);
    try {
      return await client.read();
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
