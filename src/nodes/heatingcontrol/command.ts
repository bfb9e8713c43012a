import { GatewayError, badInput } from '../../core/errors';
import { StoredSettings } from '../../core/settings';
import { handleInput } from '../common/input';
import { describe, override, stringOverride } from '../common/overrides';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../common/red';
import type { HeatingAccountNode } from './account';
import { OPERATIONS, OPERATION_NAMES, type Operation } from './operations';

export const COMMAND_TYPE = 'heating-command';

interface HeatingCommandDef extends NodeDef {
  account?: string;
  operation?: string;
  device?: string;
  command?: string;
  setting?: string;
  /** Filter of the `devices` operation (msg.homeId overrides it). */
  homeId?: string;
  /** The command's params as set in the editor's form (msg.payload's own params win). */
  params?: unknown;
}

function isOperation(v: unknown): v is Operation {
  return typeof v === 'string' && (OPERATION_NAMES as readonly string[]).includes(v);
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * The node's params property: an object, or a JSON text of one (older flows, hand-written ones). Anything
 * else is BAD_INPUT (a stored setting the node cannot use); empty is no params.
 */
export function configuredParams(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) return {};
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw badInput('params is not JSON: give an object such as {"temperature": 21}.');
    }
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) return { ...(v as Record<string, unknown>) };
  throw badInput('params must be an object of the command\'s parameters, such as {"temperature": 21}.');
}

export function registerHeatingCommand(RED: NodeAPI): void {
  function HeatingCommand(this: Node, def: HeatingCommandDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const account = def.account ? (RED.nodes.getNode(def.account) as HeatingAccountNode | null) : null;
    const stopping = new AbortController();
    const stored = new StoredSettings(def);
    const configured = {
      operation: stored.choice('operation', OPERATION_NAMES, 'state'),
      device: text(def.device),
      command: text(def.command),
      setting: text(def.setting),
      homeId: text(def.homeId),
      params: stored.parsed('params', configuredParams, {}),
    };

    if (!account) {
      status.error(node, 'no account');
      handleInput(node, async () => {
        throw badInput('This node has no HeatingControl account: open it and choose or add one.');
      });
      return;
    }

    handleInput(
      node,
      async (msg: NodeMessage, send) => {
        const op = override(msg, 'operation', configured.operation);
        if (!isOperation(op)) throw badInput(`msg.operation must be one of ${OPERATION_NAMES.join(', ')}, not ${describe(op)}.`);
        const entry = OPERATIONS[op];
        const ctx = {
          client: account.getClient(),
          msg,
          device: stringOverride(msg, 'device', configured.device) ?? '',
          command: stringOverride(msg, 'command', configured.command) ?? '',
          setting: stringOverride(msg, 'setting', configured.setting) ?? '',
          homeId: stringOverride(msg, 'homeId', configured.homeId) ?? '',
          params: configured.params,
          signal: stopping.signal,
        };
        for (const need of entry.needs) {
          if (!ctx[need]) throw badInput(`The ${op} operation needs a ${need}: pick one in the node or set msg.${need}.`);
        }
        if (!ctx.client.authenticated) status.connecting(node, 'authenticating');
        const result = await entry.run(ctx);
        msg.payload = result.payload;
        msg.topic = result.topic;
        for (const [k, v] of Object.entries(result.extra ?? {})) msg[k] = v;
        send(msg);
        status.ok(node, result.summary);
      },
      { secrets: () => account.secrets(), misconfigured: stored.misconfigured('This heating-command node') },
    );

    node.on('close', (_removed, done) => {
      stopping.abort(new GatewayError('UNREACHABLE', 'The heating-command node was stopped (redeploy or shutdown).'));
      done();
    });
  }
  RED.nodes.registerType(COMMAND_TYPE, HeatingCommand as unknown as (this: Node, def: NodeDef) => void);
}
