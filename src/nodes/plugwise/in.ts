import { GatewayError, badInput, toGatewayError } from '../../core/errors';
import { StoredSettings } from '../../core/settings';
import type { Entity, PlugwiseSnapshot } from '../../vendors/plugwise';
import { handleInput, scrub } from '../common/input';
import { stringOverride } from '../common/overrides';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef, NodeMessage, SendFn } from '../common/red';
import type { PlugwiseGatewayNode, SnapshotListener } from './gateway';

export const IN_TYPE = 'plugwise-in';

export type OutputMode = 'snapshot' | 'entities' | 'changes';
const OUTPUTS: readonly OutputMode[] = ['snapshot', 'entities', 'changes'];

interface PlugwiseInDef extends NodeDef {
  gateway?: string;
  output?: string;
  entity?: string;
  poll?: boolean | string;
}

/**
 * Turns one snapshot into this node's messages. `seen` holds what a `changes` node last emitted
 * per entity (updated in place). The first message reuses `base` (msg passthrough), the others copy it.
 */
export function snapshotMessages(
  snapshot: PlugwiseSnapshot,
  mode: OutputMode,
  entityId: string | undefined,
  base: NodeMessage,
  seen: Map<string, string>,
  clone: (msg: NodeMessage) => NodeMessage,
): NodeMessage[] {
  let entities: Entity[];
  if (entityId) {
    const one = Object.prototype.hasOwnProperty.call(snapshot.entities, entityId) ? snapshot.entities[entityId] : undefined;
    if (!one) {
      throw new GatewayError('NOT_FOUND', `The hub has no entity "${entityId}": pick one from the list in the node's settings.`);
    }
    entities = [one];
  } else {
    entities = Object.values(snapshot.entities);
  }
  if (mode === 'snapshot') {
    const payload = entityId ? { gateway: snapshot.gateway, entities: { [entityId]: entities[0] } } : snapshot;
    base.topic = 'plugwise';
    base.payload = payload;
    return [base];
  }
  const out: NodeMessage[] = [];
  for (const entity of entities) {
    if (mode === 'changes') {
      const text = JSON.stringify(entity);
      if (seen.get(entity.id) === text) continue;
      seen.set(entity.id, text);
    }
    const msg = out.length === 0 ? base : clone(base);
    msg.topic = `plugwise/${entity.id}`;
    msg.payload = entity;
    out.push(msg);
  }
  return out;
}

function statusSummary(snapshot: PlugwiseSnapshot, entityId: string | undefined): string {
  if (entityId) {
    const e = Object.prototype.hasOwnProperty.call(snapshot.entities, entityId) ? snapshot.entities[entityId] : undefined;
    const name = typeof e?.name === 'string' ? e.name : entityId;
    const temperature = (e?.sensors as Record<string, unknown> | undefined)?.temperature;
    return typeof temperature === 'number' ? `${name} ${temperature} °C` : name;
  }
  return `${Object.keys(snapshot.entities).length} entities`;
}

export function registerPlugwiseIn(RED: NodeAPI, cloneMessage: (msg: NodeMessage) => NodeMessage): void {
  function PlugwiseIn(this: Node, def: PlugwiseInDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = def.gateway ? (RED.nodes.getNode(def.gateway) as PlugwiseGatewayNode | null) : null;
    const stored = new StoredSettings(def);
    const mode = stored.choice('output', OUTPUTS, 'snapshot');
    const configuredEntity = typeof def.entity === 'string' && def.entity.trim() ? def.entity.trim() : undefined;
    const poll = stored.boolean('poll', true);
    const misconfigured = stored.misconfigured('This plugwise-in node');
    const seen = new Map<string, string>();
    const secrets = { secrets: () => gateway?.secrets() ?? [] };
    let failing = false;

    if (!gateway) {
      status.error(node, 'no gateway');
      handleInput(node, async () => {
        throw badInput('This node has no Plugwise gateway: open it and choose or add one.');
      });
      return;
    }

    const emit = (snapshot: PlugwiseSnapshot, base: NodeMessage, send: SendFn, entityId: string | undefined): void => {
      const msgs = snapshotMessages(snapshot, mode, entityId, base, seen, cloneMessage);
      for (const m of msgs) send(m);
      failing = false;
      status.ok(node, statusSummary(snapshot, entityId), gateway.poller.lastReadTime || Date.now());
    };

    const listener: SnapshotListener = {
      reading: () => {
        if (!gateway.poller.last) status.connecting(node);
      },
      data: (snapshot) => {
        try {
          emit(snapshot, {}, (m) => node.send(m), configuredEntity);
        } catch (err) {
          listener.error(toGatewayError(err));
        }
      },
      error: (err) => {
        const clean = scrub(err, secrets);
        status.failed(node, clean);
        // Reported when the gateway starts failing, not on every poll while it stays down.
        if (!failing) node.error(clean, { topic: 'plugwise', payload: undefined });
        failing = true;
      },
    };
    // A node that cannot work as stored does not poll: handleInput shows why and refuses every msg.
    const unsubscribe = misconfigured ? () => undefined : gateway.poller.subscribe(listener, poll);
    if (!poll && !misconfigured) status.idle(node, 'ready');

    handleInput(
      node,
      async (msg, send) => {
        const entityId = stringOverride(msg, 'entity', configuredEntity) || undefined;
        if (!gateway.poller.last) status.connecting(node);
        const snapshot = await gateway.poller.refresh(listener);
        emit(snapshot, msg, send, entityId);
      },
      { ...secrets, misconfigured },
    );

    node.on('close', (_removed, done) => {
      unsubscribe();
      done();
    });
  }
  RED.nodes.registerType(IN_TYPE, PlugwiseIn as unknown as (this: Node, def: NodeDef) => void);
}
