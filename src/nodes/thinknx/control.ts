import { GatewayError, badInput } from '../../core/errors';
import { StoredSettings, storedNumber } from '../../core/settings';
import { buildCommand, capabilityOf, checkGuid, type Command, type CommandInput } from '../../vendors/thinknx/command';
import { dptSpec, parseGroupAddress } from '../../vendors/thinknx/knx';
import { watchKey, watchProblem } from '../../vendors/thinknx/watch';
import { handleInput, scrub } from '../common/input';
import { nodeValue } from '../common/node-value';
import { override } from '../common/overrides';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../common/red';
import type { ThinknxServerNode, WatchListener } from './server';

export const CONTROL_TYPE = 'thinknx-control';

interface ThinknxControlDef extends NodeDef {
  server?: string;
  capability?: string;
  guid?: string;
  feedback?: boolean | string;
  group?: string;
  dpt?: string | number;
  /** Seconds between polls of the status; empty: no watch. */
  watch?: string | number;
}

/**
 * The node's settings with the msg's overrides (msg.capability, msg.guid, msg.feedback, msg.group,
 * msg.dpt); `payload` is msg.payload, or the node's own value when the msg has none.
 */
export function commandInput(msg: NodeMessage, def: ThinknxControlDef, payload: unknown): CommandInput {
  return {
    capability: override(msg, 'capability', def.capability),
    payload,
    guid: override(msg, 'guid', def.guid || undefined),
    feedback: override(msg, 'feedback', def.feedback === true || def.feedback === 'true'),
    group: override(msg, 'group', def.group || undefined),
    dpt: override(msg, 'dpt', def.dpt === '' ? undefined : def.dpt),
  };
}

/**
 * The node's stored settings checked as the runtime reads them: a capability, GUID, group address, DPT
 * or feedback flag it does not know makes every msg BAD_INPUT (absent ones are given by the msg). The
 * node's value (value + valueType) is read into the same settings by nodeValue().
 */
export function storedSettings(def: ThinknxControlDef): StoredSettings {
  const stored = new StoredSettings(def);
  stored.parsed('capability', capabilityOf, undefined);
  stored.parsed('guid', checkGuid, undefined);
  stored.parsed('group', parseGroupAddress, undefined);
  stored.parsed('dpt', dptSpec, undefined);
  stored.boolean('feedback', false);
  return stored;
}

/**
 * The stored watch interval in seconds (undefined: off). A watch the node cannot use (not a number, under
 * 1 s, a capability without status, no GUID) is recorded in `stored` as a configuration problem.
 */
export function storedWatch(stored: StoredSettings, def: ThinknxControlDef): number | undefined {
  const raw = stored.raw('watch');
  if (raw === undefined) return undefined;
  const problem = watchProblem(raw, def.capability, def.guid);
  if (problem !== undefined) {
    stored.refuse('watch', problem);
    return undefined;
  }
  return storedNumber(raw);
}

function show(value: unknown, unit?: string): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return `${value}${unit ? ` ${unit}` : ''}`;
  if (typeof value === 'string') return value;
  return '';
}

type Words = (shown: string, value: unknown) => string;

/** What a set did, in words, per capability ("switched on", "moving down", "stopped"). */
const SET_WORDS: Readonly<Record<string, Words>> = {
  power: (v) => `switched ${v}`,
  powerlevel: (v) => `dimmed to ${v}`,
  updown: (v) => `moving ${v}`,
  stop: () => 'stopped',
  heightlevel: (v) => `moving to ${v}`,
  blindstep: (_v, value) => (value === 'counterclockwise' ? 'slats stepped counter-clockwise' : 'slats stepped clockwise'),
  blindangle: (v) => `slats turned to ${v}`,
  value: (v) => `set to ${v}`,
  setpoint: (v) => `setpoint set to ${v}`,
  tempmode: (v) => `mode set to ${v}`,
  chrono: (v) => `schedule switched ${v}`,
  hvacpower: (v) => `HVAC switched ${v}`,
  hvacsetpoint: (v) => `setpoint set to ${v}`,
  hvacmode: (v) => `mode set to ${v}`,
  hvacfan: (v) => `fan set to ${v}`,
  scene: (_v, value) => (value === 'stop' ? 'scene stopped' : 'scene launched'),
  trigger: () => 'triggered',
};

/** What a read found, in words ("on", "21.5 °C", "mode comfort"). */
const GET_WORDS: Readonly<Record<string, Words>> = {
  power: (v) => v,
  powerlevel: (v) => `level ${v}`,
  heightlevel: (v) => `position ${v}`,
  blindangle: (v) => `slats at ${v}`,
  value: (v) => `value ${v}`,
  temperature: (v) => v,
  setpoint: (v) => `setpoint ${v}`,
  tempmode: (v) => `mode ${v}`,
  chrono: (v) => `schedule ${v}`,
  hvacpower: (v) => `HVAC ${v}`,
  hvacsetpoint: (v) => `setpoint ${v}`,
  hvacmode: (v) => `mode ${v}`,
  hvacfan: (v) => `fan ${v}`,
};

/**
 * The green status, saying what happened: "switched on", "moving down", "stopped", "triggered",
 * "1/0/1 ← off", "setpoint 21.5 °C" (a read), "server 6.2.1.4"; "(confirmed)" when the device reported back.
 */
export function summary(cmd: Command, payload: unknown, confirmed?: boolean): string {
  const cap = cmd.capability;
  if (cmd.knx) {
    const { group, dpt, value } = cmd.knx;
    return `${group} ← ${dpt.bit ? (value === 1 ? 'on' : 'off') : formatNumber(value)}`;
  }
  if (cap.codec === 'serverStatus') {
    const v = (payload as { version?: unknown } | undefined)?.version;
    return `server ${typeof v === 'string' ? v : 'ok'}`;
  }
  const shown = show(payload, cap.unit);
  const words = (cmd.kind === 'set' ? SET_WORDS : GET_WORDS)[cap.name];
  const text = words ? words(shown, payload) : `${cap.name} ${shown}`;
  return confirmed ? `${text.trim()} (confirmed)` : text.trim();
}

function formatNumber(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

export function registerThinknxControl(RED: NodeAPI): void {
  function ThinknxControl(this: Node, def: ThinknxControlDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const server = def.server ? (RED.nodes.getNode(def.server) as ThinknxServerNode | null) : null;
    const inflight = new Set<AbortController>();
    const secrets = { secrets: () => server?.secrets() ?? [] };
    const stored = storedSettings(def);
    // The node's own value (value + valueType), used when a msg has no payload.
    const value = nodeValue(RED, node, stored);
    const watchSeconds = storedWatch(stored, def);
    const misconfigured = stored.misconfigured('This thinknx-control node');

    if (!server) {
      status.error(node, 'no server');
      handleInput(node, async () => {
        throw badInput('This node has no Thinknx server: open it and choose or add one.');
      });
      return;
    }

    const watching = misconfigured || watchSeconds === undefined ? undefined : watchStatus(RED, node, server, def, watchSeconds);

    handleInput(
      node,
      async (msg, send) => {
        if (server.configError || !server.client) {
          throw new GatewayError('BAD_INPUT', `The Thinknx server node is not usable: ${server.configError?.message ?? 'no client.'}`);
        }
        const client = server.client;
        const command = buildCommand(commandInput(msg, def, await value.resolve(msg)));
        if (!client.authenticated) status.connecting(node, 'authenticating');
        else if (command.feedback) status.connecting(node, 'waiting for feedback');
        const abort = new AbortController();
        inflight.add(abort);
        try {
          const result = await client.run(command, abort.signal);
          msg.payload = result.payload;
          msg.topic = command.topic;
          msg.thinknx = result.thinknx;
          if (result.confirmed !== undefined) msg.confirmed = result.confirmed;
          send(msg);
          watching?.sent(command, result.payload);
          status.ok(node, summary(command, result.payload, result.confirmed));
        } finally {
          inflight.delete(abort);
        }
      },
      { ...secrets, misconfigured },
    );

    node.on('close', (_removed, done) => {
      watching?.stop();
      for (const a of inflight) a.abort(new GatewayError('UNREACHABLE', 'The node was stopped (redeploy or shutdown).'));
      inflight.clear();
      done();
    });
  }
  RED.nodes.registerType(CONTROL_TYPE, ThinknxControl as unknown as (this: Node, def: NodeDef) => void);
}

interface Watching {
  /** A msg sent by this node's input (a set or a get): when it is about the watched status, it is what this node said last. */
  sent(command: Command, payload: unknown): void;
  stop(): void;
}

/**
 * The node's watch: its server polls the status (shared with every node watching the same capability and
 * GUID); this node sends `{topic, payload, thinknx}` as a get would, when the payload differs from what
 * it sent last (the first read at deploy always). A failing read turns the status red and reaches a
 * Catch node once, when the reads start failing; the next good read turns it green again.
 */
function watchStatus(RED: NodeAPI, node: Node, server: ThinknxServerNode, def: ThinknxControlDef, seconds: number): Watching | undefined {
  const client = server.client;
  if (server.configError || !client) {
    // The input handler says why with every msg; no poll can work either.
    status.error(node, 'BAD_INPUT', 'server settings');
    return undefined;
  }
  const command = buildCommand({ capability: def.capability, guid: def.guid, payload: 'get' });
  const key = watchKey(command.capability, command.guid);
  let last: string | undefined;
  let failing = false;
  const listener: WatchListener = {
    reading: () => {
      if (last === undefined && !failing) status.connecting(node, client.authenticated ? 'reading' : 'authenticating');
    },
    data: (result) => {
      failing = false;
      const text = JSON.stringify(result.payload);
      if (text !== last) {
        last = text;
        // A fresh msg per node: nodes watching the same status get the same reply object.
        node.send(RED.util.cloneMessage({ topic: command.topic, payload: result.payload, thinknx: result.thinknx }));
      }
      status.ok(node, summary(command, result.payload));
    },
    error: (err) => {
      const clean = scrub(err, { secrets: () => server.secrets() });
      status.failed(node, clean);
      // Reported when the reads start failing, not on every poll while the server stays down.
      if (!failing) node.error(clean, { topic: command.topic, payload: undefined });
      failing = true;
    },
  };
  const unwatch = server.watch({ capability: command.capability, guid: command.guid, intervalMs: seconds * 1000 }, listener);
  return {
    sent: (cmd, payload) => {
      if (watchKey(cmd.capability, cmd.guid) === key && !cmd.knx) last = JSON.stringify(payload);
    },
    stop: unwatch,
  };
}
