import { GatewayError, badInput, toGatewayError } from '../../core/errors';
import { redact } from '../../core/redact';
import { StoredSettings, storedSettingsError } from '../../core/settings';
import { HeatingClient } from '../../vendors/heatingcontrol/client';
import type { ClientAuth } from '../../vendors/heatingcontrol/types';
import type { Node, NodeAPI, NodeDef } from '../common/red';

export const ACCOUNT_TYPE = 'heating-account';

export interface HeatingCredentials {
  clientId?: string;
  clientSecret?: string;
}

export interface HeatingAccountDef extends NodeDef {
  baseUrl?: string;
  scope?: string;
  clientAuth?: string;
  /** Seconds to wait for each reply (15). */
  timeout?: string | number;
}

export interface HeatingSettings {
  baseUrl: string;
  scope: string;
  clientAuth: ClientAuth;
  timeoutSec: number;
  /** Stored values outside their options (a hand-edited or imported flow), as one sentence: no client then. */
  problem?: string;
}

export const DEFAULT_TIMEOUT_SEC = 15;
export const CLIENT_AUTHS: readonly ClientAuth[] = ['body', 'basic'];

export function heatingSettings(def: Partial<HeatingAccountDef>): HeatingSettings {
  const stored = new StoredSettings(def);
  return stored.finish<HeatingSettings>({
    baseUrl: String(def.baseUrl ?? '').trim(),
    scope: String(def.scope ?? '').trim(),
    clientAuth: stored.choice('clientAuth', CLIENT_AUTHS, 'body'),
    timeoutSec: stored.number('timeout', DEFAULT_TIMEOUT_SEC, { positive: true }),
  });
}

/** A client for these settings; BAD_INPUT (nothing sent) when a setting is unusable or the credentials are missing. */
export function newHeatingClient(settings: HeatingSettings, creds: HeatingCredentials): HeatingClient {
  if (settings.problem) throw storedSettingsError('The HeatingControl account', settings.problem);
  if (!settings.baseUrl) throw badInput('The HeatingControl account has no base URL: enter it, e.g. https://api.example.com.');
  if (!creds.clientId || !creds.clientSecret) throw badInput('The HeatingControl account has no client id or client secret: enter both in the account node.');
  return new HeatingClient({
    baseUrl: settings.baseUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    scope: settings.scope || undefined,
    clientAuth: settings.clientAuth,
    timeoutMs: settings.timeoutSec * 1000,
  });
}

export interface HeatingAccountNode extends Node<HeatingCredentials> {
  settings: HeatingSettings;
  /** The account's client (one token, one agent, the schema caches), or the reason there is none. */
  getClient(): HeatingClient;
  secrets(): string[];
  /** True when this node's settings and credentials are these (the editor may reuse its client). */
  matches(settings: HeatingSettings, creds: HeatingCredentials): boolean;
}

export function registerHeatingAccount(RED: NodeAPI): void {
  function HeatingAccount(this: HeatingAccountNode, def: HeatingAccountDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const creds: HeatingCredentials = node.credentials ?? {};
    node.settings = heatingSettings(def);
    let client: HeatingClient | undefined;
    let problem: GatewayError | undefined;
    try {
      client = newHeatingClient(node.settings, creds);
    } catch (err) {
      problem = toGatewayError(err, 'BAD_INPUT');
    }
    node.secrets = () => (client ? client.secrets() : [creds.clientSecret ?? '']);
    node.getClient = () => {
      if (client) return client;
      throw problem ?? new GatewayError('BAD_INPUT', 'The HeatingControl account is not configured.');
    };
    node.matches = (settings, given) =>
      node.settings.baseUrl === settings.baseUrl &&
      node.settings.scope === settings.scope &&
      node.settings.clientAuth === settings.clientAuth &&
      node.settings.timeoutSec === settings.timeoutSec &&
      creds.clientId === given.clientId &&
      creds.clientSecret === given.clientSecret;
    if (problem) node.warn(redact(problem.message, [creds.clientSecret]));
    node.on('close', (_removed, done) => {
      const c = client;
      client = undefined;
      problem = new GatewayError('UNREACHABLE', 'The HeatingControl account was stopped (redeploy or shutdown).');
      if (!c) return done();
      c.close().then(done, done);
    });
  }
  RED.nodes.registerType(ACCOUNT_TYPE, HeatingAccount as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { clientId: { type: 'text' }, clientSecret: { type: 'password' } },
  });
}
