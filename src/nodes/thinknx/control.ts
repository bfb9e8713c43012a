import { GatewayError, badInput } from '../../core/errors';
import { StoredSettings, type Misconfigured } from '../../core/settings';
import { buildCommand, capabilityOf, checkGuid, type Command, type CommandInput } from '../../vendors/thinknx/command';
import { dptSpec, parseGroupAddress } from '../../vendors/thinknx/knx';
import { handleInput } from '../common/input';
import { override } from '../common/overrides';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../common/red';
import type { ThinknxServerNode } from './server';

export const CONTROL_TYPE = 'thinknx-control';

interface ThinknxControlDef extends NodeDef {
  server?: string;
  capability?: string;
  guid?: string;
  feedback?: boolean | string;
  group?: string;
  dpt?: string | number;
}

/** The node's settings with the msg's overrides (msg.capability, msg.guid, msg.feedback, msg.group, msg.dpt). */
export function commandInput(msg: NodeMessage, def: ThinknxControlDef): CommandInput {
  return {
    capability: override(msg, 'capability', def.capability),
    payload: msg.payload,
    guid: override(msg, 'guid', def.guid || undefined),
    feedback: override(msg, 'feedback', def.feedback === true || def.feedback === 'true'),
    group: override(msg, 'group', def.group || undefined),
    dpt: override(msg, 'dpt', def.dpt === '' ? undefined : def.dpt),
  };
}

/**
 * The node's stored settings checked as the runtime reads them: a capability, GUID, group address, DPT
 * or feedback flag it does not know makes every msg BAD_INPUT (absent ones are given by the msg).
 */
export function storedProblems(def: ThinknxControlDef): Misconfigured | undefined {
  const stored = new StoredSettings(def);
  stored.parsed('capability', capabilityOf, undefined);
  stored.parsed('guid', checkGuid, undefined);
  stored.parsed('group', parseGroupAddress, undefined);
  stored.parsed('dpt', dptSpec, undefined);
  stored.boolean('feedback', false);
  return stored.misconfigured('This thinknx-control node');
}

function show(value: unknown, unit?: string): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return `${value}${unit ? ` ${unit}` : ''}`;
  if (typeof value === 'string') return value;
  return '';
}

/** The green status: "setpoint 21.5 °C", "knx 1/0/1 = 1", "server 6.2.1.4". */
export function summary(cmd: Command, payload: unknown): string {
  const cap = cmd.capability;
  if (cmd.knx) return `knx ${cmd.knx.group} = ${String(cmd.knx.value)}`;
  if (cap.codec === 'serverStatus') {
    const v = (payload as { version?: unknown } | undefined)?.version;
    return `server ${typeof v === 'string' ? v : 'ok'}`;
  }
  return `${cap.name} ${show(payload, cap.unit)}`.trim();
}

export function registerThinknxControl(RED: NodeAPI): void {
  function ThinknxControl(this: Node, def: ThinknxControlDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const server = def.server ? (RED.nodes.getNode(def.server) as ThinknxServerNode | null) : null;
    const inflight = new Set<AbortController>();
    const secrets = { secrets: () => server?.secrets() ?? [] };

    if (!server) {
      status.error(node, 'no server');
      handleInput(node, async () => {
        throw badInput('This node has no Thinknx server: open it and choose or add one.');
      });
      return;
    }

    handleInput(
      node,
      async (msg, send) => {
        if (server.configError || !server.client) {
          throw new GatewayError('BAD_INPUT', `The Thinknx server node is not usable: ${server.configError?.message ?? 'no client.'}`);
        }
        const client = server.client;
        const command = buildCommand(commandInput(msg, def));
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
          status.ok(node, summary(command, result.payload));
        } finally {
          inflight.delete(abort);
        }
      },
      { ...secrets, misconfigured: storedProblems(def) },
    );

    node.on('close', (_removed, done) => {
      for (const a of inflight) a.abort(new GatewayError('UNREACHABLE', 'The node was stopped (redeploy or shutdown).'));
      inflight.clear();
      done();
    });
  }
  RED.nodes.registerType(CONTROL_TYPE, ThinknxControl as unknown as (this: Node, def: NodeDef) => void);
}
