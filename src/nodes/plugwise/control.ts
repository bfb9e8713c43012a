import { GatewayError, badInput, toGatewayError } from '../../core/errors';
import { sleep } from '../../core/retry';
import { CONTROL_ACTIONS, isControlAction, planWrite, type Entity, type LastRead, type WritePlan } from '../../vendors/plugwise';
import { handleInput } from '../common/input';
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
  return `${name}: ${plan.action} ${shown(plan.value)}`.trim();
}

/**
 * plugwise-control: one write per msg (msg.payload is the value), checked against the last read,
 * sent through the gateway's queue exactly once; ~2 s after the hub accepts, a fresh read (which every
 * plugwise-in node on the gateway hears too) and the updated Entity on the output.
 */
export function registerPlugwiseControl(RED: NodeAPI): void {
  function PlugwiseControl(this: Node, def: PlugwiseControlDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = def.gateway ? (RED.nodes.getNode(def.gateway) as PlugwiseGatewayNode | null) : null;
    const configuredEntity = typeof def.entity === 'string' && def.entity.trim() ? def.entity.trim() : undefined;
    const configuredAction = typeof def.action === 'string' && def.action.trim() ? def.action.trim() : undefined;
    const closing = new AbortController();

    if (!gateway) {
      status.error(node, 'no gateway');
      handleInput(node, async () => {
        throw badInput('This node has no Plugwise gateway: open it and choose or add one.');
      });
      return;
    }

    const lastRead = async (): Promise<LastRead> => {
      const known = gateway.client.lastRead;
      if (known !== undefined) return known;
      status.connecting(node);
      await gateway.poller.refresh();
      const read = gateway.client.lastRead;
      if (read === undefined) throw new GatewayError('UNREACHABLE', 'The hub has not been read yet: check the gateway node.');
      return read;
    };

    const readBack = async (plan: WritePlan): Promise<Entity> => {
      let entity: Entity | undefined;
      try {
        await sleep(gateway.writeSettleMs, closing.signal);
        // A fresh read, not one already in flight: the shared poll's listeners see the change too.
        const snapshot = await gateway.poller.refresh(undefined, true);
        entity = snapshot.entities[plan.entityId];
      } catch (err) {
        if (closing.signal.aborted) throw err;
        const g = toGatewayError(err);
        throw new GatewayError(g.code, `The hub accepted the ${plan.action} write, but reading it back failed: ${g.message}`, { statusCode: g.statusCode });
      }
      if (entity === undefined) throw new GatewayError('NOT_FOUND', `After the write the hub no longer lists entity "${plan.entityId}".`);
      return entity;
    };

    handleInput(
      node,
      async (msg, send) => {
        const entityId = stringOverride(msg, 'entity', configuredEntity);
        if (!entityId) throw badInput('No entity to control: pick one in the node, or set msg.entity.');
        const action = stringOverride(msg, 'action', configuredAction);
        if (!action) throw badInput('No action: pick one in the node, or set msg.action.');
        if (!isControlAction(action)) {
          throw badInput(`The action must be one of ${CONTROL_ACTIONS.join(', ')}; not ${describe(action)}.`);
        }
        try {
          const read = await lastRead();
          const plan = planWrite(read, entityId, action, msg.payload);
          // Already in the asked state (a schedule already on/off): nothing to send, the last read stands.
          let entity = read.snapshot.entities[entityId] as Entity;
          if (plan.requests.length > 0) {
            status.connecting(node, 'writing');
            // Through the gateway's queue, one at a time, each sent once: never replayed after a timeout.
            for (const r of plan.requests) await gateway.client.write(r.method, r.path, r.body, closing.signal);
            status.connecting(node, 'reading back');
            entity = await readBack(plan);
          }
          msg.topic = `plugwise/${entityId}`;
          msg.payload = entity;
          send(msg);
          status.ok(node, summary(entity, plan));
        } catch (err) {
          if (closing.signal.aborted) return; // stopped mid-write: nothing more to report
          throw err;
        }
      },
      { secrets: () => gateway.secrets() },
    );

    node.on('close', (_removed, done) => {
      closing.abort(new GatewayError('UNREACHABLE', 'The node was stopped (redeploy or shutdown).'));
      done();
    });
  }
  RED.nodes.registerType(CONTROL_TYPE, PlugwiseControl as unknown as (this: Node, def: NodeDef) => void);
}
