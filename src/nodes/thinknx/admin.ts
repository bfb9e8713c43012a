import { redact } from '../../core/redact';
import { thinknxSettings, type ThinknxCredentials, type ThinknxSettings } from '../../vendors/thinknx/endpoint';
import type { ServerStatus } from '../../vendors/thinknx/status';
import { adminRoute, bodyObject, formCredentials } from '../common/admin';
import type { AdminRequest, NodeAPI } from '../common/red';
import { SERVER_TYPE, credentialSecrets, newThinknxClient, type ThinknxServerNode } from './server';

export const CREDENTIAL_KEYS = ['username', 'password', 'key'] as const;

/**
 * Editor endpoint, with the server's settings as the dialog holds them (works before the first deploy;
 * a deployed server node with the same settings answers through its own client and queue):
 *   POST /energy-gateways/thinknx/test -> {label, version, processUptime, serverUptime, connectedClients}
 */
export function registerThinknxAdmin(RED: NodeAPI): void {
  const credentialsOf = (req: AdminRequest): ThinknxCredentials => {
    const b = bodyObject(req);
    return formCredentials(RED, b.id, b.credentials, CREDENTIAL_KEYS);
  };
  const scrub = (text: string, req: AdminRequest): string => redact(text, credentialSecrets(credentialsOf(req)));

  adminRoute(
    RED,
    'post',
    '/thinknx/test',
    SERVER_TYPE,
    async (req) => {
      const b = bodyObject(req);
      const settings = thinknxSettings(b);
      const creds = credentialsOf(req);
      const deployed = typeof b.id === 'string' ? (RED.nodes.getNode(b.id) as ThinknxServerNode | null) : null;
      let status: ServerStatus;
      let label: string;
      if (deployed?.client && sameConnection(deployed, settings, creds)) {
        status = await deployed.client.serverStatus();
        label = deployed.client.label;
      } else {
        // Throws BAD_INPUT for settings that cannot work, before anything is sent.
        const client = newThinknxClient(settings, creds);
        label = client.label;
        try {
          status = await client.serverStatus();
        } finally {
          await client.close();
        }
      }
      const { version, processUptime, serverUptime, connectedClients } = status;
      return { label, version, processUptime, serverUptime, connectedClients };
    },
    scrub,
  );
}

function sameConnection(node: ThinknxServerNode, s: ThinknxSettings, creds: ThinknxCredentials): boolean {
  const a = node.settings;
  const c = node.credentials ?? {};
  const keys: (keyof ThinknxSettings)[] = ['mode', 'host', 'port', 'tls', 'auth', 'cloudUrl', 'timeoutSec', 'allowSelfSigned'];
  return keys.every((k) => a[k] === s[k]) && c.username === creds.username && c.password === creds.password && c.key === creds.key;
}
