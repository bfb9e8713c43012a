import { toGatewayError, type GatewayError } from '../../core/errors';
import { redact } from '../../core/redact';
import { escapeControls } from '../../core/text';
import { ThinknxClient } from '../../vendors/thinknx/client';
import { thinknxSettings, type ThinknxCredentials, type ThinknxSettings } from '../../vendors/thinknx/endpoint';
import type { Node, NodeAPI, NodeDef } from '../common/red';

export const SERVER_TYPE = 'thinknx-server';

export interface ThinknxServerNode extends Node<ThinknxCredentials> {
  settings: ThinknxSettings;
  /** Undefined when the settings cannot work: `configError` says why (BAD_INPUT). */
  client: ThinknxClient | undefined;
  configError: GatewayError | undefined;
  secrets(): string[];
  scrub(text: string): string;
}

/** A client for these settings, or the BAD_INPUT saying what is wrong with them (nothing is sent). */
export function newThinknxClient(settings: ThinknxSettings, creds: ThinknxCredentials): ThinknxClient {
  return new ThinknxClient({ settings, credentials: creds });
}

export function credentialSecrets(creds: ThinknxCredentials | undefined): string[] {
  return [creds?.password, creds?.key].filter((s): s is string => typeof s === 'string' && s !== '');
}

export function registerThinknxServer(RED: NodeAPI): void {
  function ThinknxServer(this: ThinknxServerNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const creds = node.credentials ?? {};
    node.settings = thinknxSettings(def);
    node.secrets = () => credentialSecrets(creds);
    node.scrub = (text) => redact(text, node.secrets());
    try {
      node.client = newThinknxClient(node.settings, creds);
      node.configError = undefined;
    } catch (err) {
      node.client = undefined;
      node.configError = toGatewayError(err, 'BAD_INPUT');
      node.warn(node.scrub(escapeControls(`Thinknx server "${def.name || def.id}": ${node.configError.message}`)));
    }
    node.on('close', (_removed, done) => {
      const closing = node.client?.close() ?? Promise.resolve();
      closing.then(done, done);
    });
  }
  RED.nodes.registerType(SERVER_TYPE, ThinknxServer as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { username: { type: 'text' }, password: { type: 'password' }, key: { type: 'password' } },
  });
}
