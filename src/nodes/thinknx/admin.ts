import { thinknxSettings, type ThinknxCredentials, type ThinknxSettings } from '../../vendors/thinknx/endpoint';
import type { ServerStatus } from '../../vendors/thinknx/status';
import { adminEndpoints, withCallClient } from '../common/admin';
import type { NodeAPI } from '../common/red';
import { SERVER_TYPE, newThinknxClient, type ThinknxServerNode } from './server';

export const CREDENTIAL_KEYS = ['username', 'password', 'key'] as const;

/**
 * Editor endpoint, with the server's settings as the dialog holds them (works before the first deploy;
 * a deployed server asked for its own connection answers through its own client and queue). It needs
 * thinknx-server.write: it sends a request to the settings given.
 *   POST /energy-gateways/thinknx/test -> {label, version, processUptime, serverUptime, connectedClients}
 */
export function registerThinknxAdmin(RED: NodeAPI): void {
  const endpoints = adminEndpoints<ThinknxSettings, ThinknxCredentials, ThinknxServerNode>(RED, {
    nodeType: SERVER_TYPE,
    settings: thinknxSettings,
    connectionKeys: ['mode', 'host', 'port', 'tls', 'auth', 'cloudUrl', 'allowSelfSigned'],
    credentialKeys: CREDENTIAL_KEYS,
    secretLabels: { password: 'the password', key: 'the Integration Kit key' },
  });

  endpoints.route('/thinknx/test', 'connect', (call) => {
    let label = '';
    const status = withCallClient(
      call,
      (node) => node.client,
      // Throws BAD_INPUT for settings that cannot work, before anything is sent.
      () => newThinknxClient(call.settings, call.credentials),
      (client, signal) => {
        label = client.label;
        return client.serverStatus(signal);
      },
    );
    return status.then(({ version, processUptime, serverUptime, connectedClients }: ServerStatus) => ({ label, version, processUptime, serverUptime, connectedClients }));
  });
}
