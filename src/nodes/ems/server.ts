import { GatewayError, badInput, toGatewayError } from '../../core/errors';
import { redact } from '../../core/redact';
import { StoredSettings, storedSettingsError } from '../../core/settings';
import { EmsClient } from '../../vendors/ems/client';
import type { Node, NodeAPI, NodeDef } from '../common/red';

export const SERVER_TYPE = 'ems-server';

export interface EmsCredentials {
  username?: string;
  password?: string;
}

export interface EmsServerDef extends NodeDef {
  baseUrl?: string;
  allowSelfSigned?: boolean | string;
  /** Seconds to wait for each reply (20: a history page of a busy gateway can take a while). */
  timeout?: string | number;
}

export interface EmsSettings {
  baseUrl: string;
  allowSelfSigned: boolean;
  timeoutSec: number;
  /** Stored values outside their options (a hand-edited or imported flow), as one sentence: no client then. */
  problem?: string;
}

export const DEFAULT_TIMEOUT_SEC = 20;

export function emsSettings(def: Partial<EmsServerDef>): EmsSettings {
  const stored = new StoredSettings(def);
  return stored.finish<EmsSettings>({
    baseUrl: String(def.baseUrl ?? '').trim(),
    allowSelfSigned: stored.boolean('allowSelfSigned', false),
    timeoutSec: stored.number('timeout', DEFAULT_TIMEOUT_SEC, { positive: true }),
  });
}

/** A client for these settings; BAD_INPUT (nothing sent) when a setting is unusable or the credentials are missing. */
export function newEmsClient(settings: EmsSettings, creds: EmsCredentials): EmsClient {
  if (settings.problem) throw storedSettingsError('The EMS server', settings.problem);
  if (!settings.baseUrl) throw badInput('The EMS server has no base URL: enter the gateway\'s address, e.g. http://192.168.1.50.');
  if (!creds.username || !creds.password) throw badInput('The EMS server has no user name or password: enter those of an account with the API role.');
  return new EmsClient({
    baseUrl: settings.baseUrl,
    username: creds.username,
    password: creds.password,
    allowSelfSigned: settings.allowSelfSigned,
    timeoutMs: settings.timeoutSec * 1000,
  });
}

export interface EmsServerNode extends Node<EmsCredentials> {
  settings: EmsSettings;
  /** The gateway's client (one Agent, one JWT), or the reason there is none (BAD_INPUT). */
  getClient(): EmsClient;
  secrets(): string[];
  /** True when this node runs with these settings and credentials (the editor may reuse its client). */
  matches(settings: EmsSettings, creds: EmsCredentials): boolean;
}

export function registerEmsServer(RED: NodeAPI): void {
  function EmsServer(this: EmsServerNode, def: EmsServerDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const creds: EmsCredentials = node.credentials ?? {};
    node.settings = emsSettings(def);
    let client: EmsClient | undefined;
    let problem: GatewayError | undefined;
    try {
      client = newEmsClient(node.settings, creds);
    } catch (err) {
      problem = toGatewayError(err, 'BAD_INPUT');
    }
    node.secrets = () => (client ? client.secrets() : [creds.password ?? '']);
    node.getClient = () => {
      if (client) return client;
      throw problem ?? new GatewayError('BAD_INPUT', 'The EMS server is not configured.');
    };
    node.matches = (settings, given) =>
      node.settings.baseUrl === settings.baseUrl &&
      node.settings.allowSelfSigned === settings.allowSelfSigned &&
      node.settings.timeoutSec === settings.timeoutSec &&
      creds.username === given.username &&
      creds.password === given.password;
    if (problem) node.warn(redact(problem.message, [creds.password]));
    node.on('close', (_removed, done) => {
      const c = client;
      client = undefined;
      problem = new GatewayError('UNREACHABLE', 'The EMS server node was stopped (redeploy or shutdown).');
      if (!c) return done();
      c.close().then(done, done);
    });
  }
  RED.nodes.registerType(SERVER_TYPE, EmsServer as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  });
}
