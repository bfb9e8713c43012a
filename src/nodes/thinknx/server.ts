import { GatewayError, toGatewayError } from '../../core/errors';
import { Poller, type PollListener } from '../../core/poller';
import { redact } from '../../core/redact';
import { NO_RETRY } from '../../core/retry';
import { escapeControls } from '../../core/text';
import { ThinknxClient } from '../../vendors/thinknx/client';
import { buildCommand, type CommandResult } from '../../vendors/thinknx/command';
import type { Capability } from '../../vendors/thinknx/controllers';
import { thinknxSettings, type ThinknxCredentials, type ThinknxSettings } from '../../vendors/thinknx/endpoint';
import { WATCH_SECONDS, watchKey } from '../../vendors/thinknx/watch';
import type { Node, NodeAPI, NodeDef } from '../common/red';

export const SERVER_TYPE = 'thinknx-server';

export interface ThinknxServerNode extends Node<ThinknxCredentials> {
  settings: ThinknxSettings;
  /** Undefined when the settings cannot work: `configError` says why (BAD_INPUT). */
  client: ThinknxClient | undefined;
  configError: GatewayError | undefined;
  secrets(): string[];
  scrub(text: string): string;
  /**
   * Watches a status: one poll per capability and GUID however many nodes watch it (the shortest of
   * their intervals), its reads through the client's queue and rate hold like every command. The
   * listener gets every read (the last one at once when the status is already watched); returns the
   * unsubscribe function. Needs a client (configError undefined).
   */
  watch(request: WatchRequest, listener: WatchListener): () => void;
}

export interface WatchRequest {
  capability: Capability;
  /** Checked (checkGuid); undefined for serverStatus. */
  guid: string | undefined;
  intervalMs: number;
}

export type WatchListener = PollListener<CommandResult>;

interface Watched {
  poller: Poller<CommandResult>;
  /** Each watching listener's interval (the poll takes the shortest). */
  intervals: Map<WatchListener, number>;
}

/** While a watched status cannot be read, its polls back off up to this (ms): it recovers within a minute. */
export const WATCH_MAX_BACKOFF_MS = 60_000;

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
    const watched = new Map<string, Watched>();
    node.watch = (request, listener) => {
      const client = node.client;
      if (!client) throw node.configError ?? new GatewayError('BAD_INPUT', 'The Thinknx server node is not usable.');
      const key = watchKey(request.capability, request.guid);
      let w = watched.get(key);
      if (!w) {
        const command = buildCommand({ capability: request.capability.name, guid: request.guid, payload: 'get' });
        const intervals = new Map<WatchListener, number>();
        const poller = new Poller<CommandResult>({
          // No retry within a poll: the next poll is the retry, so a watch costs one request per interval.
          read: (signal) => client.run(command, signal, NO_RETRY),
          intervalMs: () => (intervals.size ? Math.min(...intervals.values()) : WATCH_SECONDS.max * 1000),
          maxBackoffMs: WATCH_MAX_BACKOFF_MS,
        });
        w = { poller, intervals };
        watched.set(key, w);
      }
      const entry = w;
      entry.intervals.set(listener, request.intervalMs);
      const unsubscribe = entry.poller.subscribe(listener, true);
      // Already watched by another node: this one gets the status known now, the polls go on as they are.
      const known = entry.poller.last;
      let immediate: NodeJS.Immediate | undefined =
        known === undefined
          ? undefined
          : setImmediate(() => {
              immediate = undefined;
              try {
                listener.data(known);
              } catch {
                // The listener's own failure; the poll goes on for the others.
              }
            });
      return () => {
        if (immediate !== undefined) clearImmediate(immediate);
        immediate = undefined;
        unsubscribe();
        entry.intervals.delete(listener);
        if (entry.intervals.size === 0 && watched.get(key) === entry) {
          entry.poller.stop();
          watched.delete(key);
        }
      };
    };
    node.on('close', (_removed, done) => {
      for (const w of watched.values()) w.poller.stop();
      watched.clear();
      const closing = node.client?.close() ?? Promise.resolve();
      closing.then(done, done);
    });
  }
  RED.nodes.registerType(SERVER_TYPE, ThinknxServer as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { username: { type: 'text' }, password: { type: 'password' }, key: { type: 'password' } },
  });
}
