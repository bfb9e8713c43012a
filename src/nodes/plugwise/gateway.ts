import { Poller, type PollListener } from '../../core/poller';
import { redact } from '../../core/redact';
import { PlugwiseClient } from '../../vendors/plugwise/client';
import type { PlugwiseSnapshot } from '../../vendors/plugwise';
import type { Node, NodeAPI, NodeDef } from '../common/red';

export const GATEWAY_TYPE = 'plugwise-gateway';

export interface PlugwiseCredentials {
  username?: string;
  password?: string;
}

export interface PlugwiseGatewayDef extends NodeDef {
  host?: string;
  port?: string | number;
  pollInterval?: string | number;
  timeout?: string | number;
}

export interface PlugwiseSettings {
  host: string;
  port: number;
  /** Seconds; undefined: 60, or 10 for a Smile P1. */
  pollInterval: number | undefined;
  timeoutSec: number;
}

function positive(value: unknown): number | undefined {
  if (value === '' || value === undefined || value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function plugwiseSettings(def: Partial<PlugwiseGatewayDef>): PlugwiseSettings {
  return {
    host: String(def.host ?? '').trim(),
    port: Math.round(positive(def.port) ?? 80),
    pollInterval: positive(def.pollInterval),
    timeoutSec: positive(def.timeout) ?? 10,
  };
}

export function newPlugwiseClient(settings: PlugwiseSettings, creds: PlugwiseCredentials): PlugwiseClient {
  return new PlugwiseClient({
    host: settings.host,
    port: settings.port,
    username: creds.username || 'smile',
    password: creds.password ?? '',
    timeoutMs: settings.timeoutSec * 1000,
  });
}

/** Default poll: 10 s for a Smile P1 (its meter changes fast), 60 s for the others. */
export function defaultPollSeconds(model: string | undefined): number {
  return model === 'p1' ? 10 : 60;
}

export interface PlugwiseGatewayNode extends Node<PlugwiseCredentials> {
  settings: PlugwiseSettings;
  client: PlugwiseClient;
  poller: Poller<PlugwiseSnapshot>;
  /**
   * How long after a write the hub is read again (ms; about 2 s, the time a Smile takes to apply it).
   * Not a user setting: tests set it on the node (or PLUGWISE_WRITE_SETTLE_MS) to keep fast.
   */
  writeSettleMs: number;
  /** Scrubs this gateway's Smile ID from a text. */
  scrub(text: string): string;
  secrets(): string[];
}

export const WRITE_SETTLE_MS = 2000;

function writeSettleDefault(): number {
  const env = Number(process.env.PLUGWISE_WRITE_SETTLE_MS);
  return process.env.PLUGWISE_WRITE_SETTLE_MS !== undefined && Number.isFinite(env) && env >= 0 ? env : WRITE_SETTLE_MS;
}

export function registerPlugwiseGateway(RED: NodeAPI): void {
  function PlugwiseGateway(this: PlugwiseGatewayNode, def: PlugwiseGatewayDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    node.settings = plugwiseSettings(def);
    node.writeSettleMs = writeSettleDefault();
    node.secrets = () => [node.credentials.password ?? ''];
    node.scrub = (text) => redact(text, node.secrets());
    node.client = newPlugwiseClient(node.settings, node.credentials ?? {});
    node.poller = new Poller<PlugwiseSnapshot>({
      // The read goes through the client's queue: polls, on-demand reads and writes never overlap.
      read: (signal) => node.client.read(signal),
      intervalMs: () => 1000 * (node.settings.pollInterval ?? defaultPollSeconds(node.client.info?.model)),
    });
    node.on('close', (_removed, done) => {
      node.poller.stop();
      node.client.close().then(done, done);
    });
  }
  RED.nodes.registerType(GATEWAY_TYPE, PlugwiseGateway as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  });
}

export type SnapshotListener = PollListener<PlugwiseSnapshot>;
