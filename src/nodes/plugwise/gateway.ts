import { GatewayError, toGatewayError } from '../../core/errors';
import { Poller, type PollListener } from '../../core/poller';
import { redact } from '../../core/redact';
import { sleep } from '../../core/retry';
import { StoredSettings, storedSettingsError } from '../../core/settings';
import { PlugwiseClient } from '../../vendors/plugwise/client';
import { planWrite, type ControlAction, type Entity, type LastRead, type PlugwiseSnapshot, type WritePlan } from '../../vendors/plugwise';
import { historyQuery, historySources, planRequests, SeriesJoiner, type HistorySeries, type HistorySource } from '../../vendors/plugwise/history';
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
  /** Stored settings this gateway cannot use (a hand-edited or imported flow): nothing is sent while set. */
  problem?: string;
}

export function plugwiseSettings(def: Partial<PlugwiseGatewayDef>): PlugwiseSettings {
  const stored = new StoredSettings(def);
  return stored.finish<PlugwiseSettings>({
    host: String(def.host ?? '').trim(),
    port: stored.number('port', 80, { integer: true, min: 1, max: 65535 }),
    pollInterval: stored.number('pollInterval', undefined, { positive: true }),
    timeoutSec: stored.number('timeout', 10, { positive: true }),
  });
}

/** A client for these settings; BAD_INPUT (nothing sent) when a stored setting is unusable. */
export function newPlugwiseClient(settings: PlugwiseSettings, creds: PlugwiseCredentials): PlugwiseClient {
  if (settings.problem) throw storedSettingsError('The Plugwise gateway', settings.problem);
  return clientFor(settings, creds);
}

function clientFor(settings: PlugwiseSettings, creds: PlugwiseCredentials): PlugwiseClient {
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

/** Where a write is, for the control node's status. */
export type WriteStage = 'reading' | 'writing' | 'reading back';

export interface WriteOptions {
  /** The caller's end (its node was stopped): aborts the write in the queue, the settle time and the read. */
  signal?: AbortSignal;
  onStage?: (stage: WriteStage) => void;
}

export interface WriteResult {
  plan: WritePlan;
  /** The entity as read back after the write (or as last read, when nothing was sent or no read-back applies). */
  entity: Entity;
}

/** One plugwise-history read: the entity, the log types (undefined: all), the window (ms) and `@interval`. */
export interface HistoryRequest {
  entity: string;
  logs?: string[];
  start: number;
  end: number;
  interval?: string;
}

/** The series of one request of a history read (a long range takes several, each a page). */
export interface HistoryPage {
  /** 1-based. */
  page: number;
  pages: number;
  /** The span this request covered (ms). */
  from: number;
  to: number;
  series: HistorySeries[];
  last: boolean;
  source: HistorySource;
}

export interface HistoryOptions {
  /** The caller's end (its node was stopped): aborts the request in the queue and the ones after it. */
  signal?: AbortSignal;
  /** 'reading': the hub is read first (no read yet tells which logs the entity has). */
  onStage?: (stage: 'reading' | 'history') => void;
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
  /**
   * One plugwise-control action: checked against the last read (BAD_INPUT: nothing sent), its requests
   * sent through the client's queue once each (never replayed), then, about writeSettleMs later, a fresh
   * read that every listener of this gateway gets too.
   */
  write(entityId: string, action: ControlAction, payload: unknown, options?: WriteOptions): Promise<WriteResult>;
  /**
   * One plugwise-history read: checked against the last read's logs (BAD_INPUT: nothing sent), then one
   * ranged GET per span of planRequests(), each through the client's queue (polls go in between), each
   * span's new points as a page once it is parsed. Stop iterating to stop asking.
   */
  history(request: HistoryRequest, options?: HistoryOptions): AsyncGenerator<HistoryPage>;
  /** The locations, appliances and modules with logs, as the last read shows them (reads the hub if none yet). */
  historySources(signal?: AbortSignal): Promise<HistorySource[]>;
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
    // Settings it cannot use: the gateway stays (its nodes show why), every read and write is refused.
    const problem = node.settings.problem === undefined ? undefined : storedSettingsError(`The Plugwise gateway "${def.name || def.id}"`, node.settings.problem);
    if (problem) node.warn(problem.message);
    node.client = clientFor(node.settings, node.credentials ?? {});
    node.poller = new Poller<PlugwiseSnapshot>({
      // The read goes through the client's queue: polls, on-demand reads and writes never overlap.
      read: (signal) => (problem ? Promise.reject(problem) : node.client.read(signal)),
      intervalMs: () => 1000 * (node.settings.pollInterval ?? defaultPollSeconds(node.client.info?.model)),
    });
    const closing = new AbortController();
    node.write = (entityId, action, payload, options = {}) => {
      const signal = options.signal === undefined ? closing.signal : AbortSignal.any([closing.signal, options.signal]);
      return writeThrough(node, entityId, action, payload, signal, options.onStage);
    };
    node.history = (request, options = {}) => {
      const signal = options.signal === undefined ? closing.signal : AbortSignal.any([closing.signal, options.signal]);
      return historyThrough(node, request, signal, options.onStage);
    };
    node.historySources = async () => sourcesOf(await lastRead(node));
    node.on('close', (_removed, done) => {
      closing.abort(new GatewayError('UNREACHABLE', 'The Plugwise gateway was stopped (redeploy or shutdown).'));
      node.poller.stop();
      node.client.close().then(done, done);
    });
  }
  RED.nodes.registerType(GATEWAY_TYPE, PlugwiseGateway as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  });
}

export type SnapshotListener = PollListener<PlugwiseSnapshot>;

async function lastRead(node: PlugwiseGatewayNode, onStage?: (stage: WriteStage) => void): Promise<LastRead> {
  const known = node.client.lastRead;
  if (known !== undefined) return known;
  onStage?.('reading');
  await node.poller.refresh();
  const read = node.client.lastRead;
  if (read === undefined) throw new GatewayError('UNREACHABLE', 'The hub has not been read yet: check the gateway node.');
  return read;
}

async function writeThrough(
  node: PlugwiseGatewayNode,
  entityId: string,
  action: ControlAction,
  payload: unknown,
  signal: AbortSignal,
  onStage?: (stage: WriteStage) => void,
): Promise<WriteResult> {
  const read = await lastRead(node, onStage);
  const plan = planWrite(read, entityId, action, payload);
  const known = plan.entity;
  // Already in the asked state (a schedule already on/off): nothing to send, the last read stands.
  if (plan.requests.length === 0) return { plan, entity: known };
  onStage?.('writing');
  for (const request of plan.requests) await node.client.write(request, signal);
  if (!plan.readBack) return { plan, entity: known };
  onStage?.('reading back');
  let entity: Entity | undefined;
  try {
    await sleep(node.writeSettleMs, signal);
    // A fresh read, not one already in flight: the shared poll's listeners see the change too.
    entity = (await node.poller.refresh(undefined, true)).entities[entityId];
  } catch (err) {
    if (signal.aborted) throw err;
    const g = toGatewayError(err);
    throw new GatewayError(g.code, `The hub accepted the ${action} write, but reading it back failed: ${g.message}`, { statusCode: g.statusCode });
  }
  if (entity === undefined) throw new GatewayError('NOT_FOUND', `After the write the hub no longer lists entity "${entityId}".`);
  return { plan, entity };
}

/** The elements with logs in a read's XML (a legacy hub's appliances document too). */
export function sourcesOf(read: LastRead): HistorySource[] {
  return read.xml.appliances === read.xml.domain ? historySources(read.xml.domain) : historySources(read.xml.domain, read.xml.appliances);
}

async function* historyThrough(
  node: PlugwiseGatewayNode,
  request: HistoryRequest,
  signal: AbortSignal,
  onStage?: (stage: 'reading' | 'history') => void,
): AsyncGenerator<HistoryPage> {
  const query = historyQuery(sourcesOf(await lastRead(node, onStage ? () => onStage('reading') : undefined)), request.entity, request);
  const spans = planRequests(query);
  const joiner = new SeriesJoiner();
  onStage?.('history');
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as { from: number; to: number };
    const series = await node.client.history(query.source, { ...span, interval: query.interval, logs: query.logs }, signal);
    yield { page: i + 1, pages: spans.length, from: span.from, to: span.to, series: joiner.fresh(series), last: i === spans.length - 1, source: query.source };
  }
}
