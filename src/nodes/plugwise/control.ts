import { GatewayError, badInput } from '../../core/errors';
import { StoredSettings } from '../../core/settings';
import { CONTROL_ACTIONS, isControlAction, type ControlAction, type Entity, type WritePlan } from '../../vendors/plugwise';
import { handleInput } from '../common/input';
import { nodeValue } from '../common/node-value';
import { describe, stringOverride } from '../common/overrides';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef } from '../common/red';
import type { PlugwiseGatewayNode } from './gateway';

export const CONTROL_TYPE = 'plugwise-control';

interface PlugwiseControlDef extends NodeDef {
  gateway?: string;
  entity?: string;
  action?: string;
}

function shown(value: unknown): string {
  if (typeof value === 'number') return `${value}`;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return value;
  const mode = (value as { mode?: unknown } | null)?.mode;
  return typeof mode === 'string' ? mode : '';
}

function summary(entity: Entity, plan: WritePlan): string {
  const name = typeof entity.name === 'string' ? entity.name : entity.id;
  return plan.value === true && (plan.action === 'reboot' || plan.action === 'deleteNotification')
    ? `${name}: ${plan.action}`
    : `${name}: ${plan.action} ${shown(plan.value)}`.trim();
}

const STAGE_TEXT = { reading: 'connecting', writing: 'writing', 'reading back': 'reading back' } as const;

/**
 * plugwise-control: one control per msg (msg.payload is the value, or the node's own value when the msg
 * has no payload). The gateway checks it against its last read, sends it once through its queue and
 * re-reads ~2 s after the hub accepts; the updated Entity goes out.
 */
export function registerPlugwiseControl(RED: NodeAPI): void {
  function PlugwiseControl(this: Node, def: PlugwiseControlDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = def.gateway ? (RED.nodes.getNode(def.gateway) as PlugwiseGatewayNode | null) : null;
    const stored = new StoredSettings(def);
    const configuredEntity = typeof def.entity === 'string' && def.entity.trim() ? def.entity.trim() : undefined;
    // Empty: msg.action says; anything else must be one of the actions (a hand-edited flow is refused).
    const configuredAction: ControlAction | undefined = stored.raw('action') === undefined ? undefined : stored.choice('action', CONTROL_ACTIONS, 'setpoint');
    // The node's own value (value + valueType), used when a msg has no payload.
    const value = nodeValue(RED, node, stored);
    const closing = new AbortController();

    if (!gateway) {
      status.error(node, 'no gateway');
      handleInput(node, async () => {
        throw badInput('This node has no Plugwise gateway: open it and choose or add one.');
      });
      return;
    }

    handleInput(
      node,
      async (msg, send) => {
        const entityId = stringOverride(msg, 'entity', configuredEntity);
        if (!entityId) throw badInput('No entity to control: pick one in the node, or set msg.entity.');
        const action = stringOverride(msg, 'action', configuredAction);
        if (!action) throw badInput('No action: pick one in the node, or set msg.action.');
        if (!isControlAction(action)) throw badInput(`The action must be one of ${CONTROL_ACTIONS.join(', ')}; not ${describe(action)}.`);
        try {
          const { plan, entity } = await gateway.write(entityId, action, await value.resolve(msg), {
            signal: closing.signal,
            onStage: (stage) => status.connecting(node, STAGE_TEXT[stage]),
          });
          msg.topic = `plugwise/${entityId}`;
          msg.payload = entity;
          send(msg);
          status.ok(node, summary(entity, plan));
        } catch (err) {
          if (closing.signal.aborted) return; // stopped mid-write: nothing more to report
          throw err;
        }
      },
      { secrets: () => gateway.secrets(), misconfigured: stored.misconfigured('This plugwise-control node') },
    );

    node.on('close', (_removed, done) => {
      closing.abort(new GatewayError('UNREACHABLE', 'The node was stopped (redeploy or shutdown).'));
      done();
    });
  }
  RED.nodes.registerType(CONTROL_TYPE, PlugwiseControl as unknown as (this: Node, def: NodeDef) => void);
}
