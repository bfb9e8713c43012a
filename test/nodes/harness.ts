/**
 * Node-RED test harness: loads the BUILT node sets from nodes/ (what ships) into node-red-node-test-helper
 * and records what a user would see: messages, statuses, errors caught by a Catch node, log lines.
 */
import assert from 'node:assert/strict';
import helper from 'node-red-node-test-helper';
import { join } from 'node:path';

// NODE_RED_PATH lets the same suite run against another Node-RED (the node-red 5 run under Node 22).
const nodeRedPath = process.env.NODE_RED_PATH ? require.resolve(process.env.NODE_RED_PATH) : require.resolve('node-red');
helper.init(nodeRedPath);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeRedVersion = (require(nodeRedPath) as { version(): string }).version();
console.log(`  node tests on node-red ${nodeRedVersion}, Node.js ${process.versions.node}`);

export { helper };

/**
 * Records every status the node `id` shows, the one set while it is made (at deploy) included, by wrapping
 * the status method of the Node-RED under test (the harness's statuses() can only wrap a node once it
 * exists). `restore()` puts the method back.
 */
export function recordStatuses(id: string): { shown: Status[]; restore(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const NodeClass = require(require.resolve('@node-red/runtime/lib/nodes/Node', { paths: [nodeRedPath] })) as { prototype: { status(s: Status): void; id: string } };
  const original = NodeClass.prototype.status;
  const shown: Status[] = [];
  NodeClass.prototype.status = function (this: { id: string }, st: Status) {
    if (this.id === id) shown.push(st);
    return original.call(this, st);
  };
  return { shown, restore: () => void (NodeClass.prototype.status = original) };
}

export type NodeSet = (RED: unknown) => void;

/** Puts a flow's nodes on one tab (Catch nodes catch within their tab); config nodes stay global. */
export function onTab(nodes: object[], tab = 'tab1'): object[] {
  const out: object[] = [{ id: tab, type: 'tab', label: 'test' }];
  for (const n of nodes as Record<string, unknown>[]) out.push('wires' in n || n.type === 'catch' ? { z: tab, ...n } : n);
  return out;
}

/** A built node set, e.g. loadNodeSet('plugwise') -> nodes/plugwise.js */
export function loadNodeSet(vendor: string): NodeSet {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, '..', '..', 'nodes', `${vendor}.js`)) as NodeSet;
}

export interface Msg {
  topic?: string;
  payload?: unknown;
  error?: { message: string; code?: string; source?: { id: string } };
  [key: string]: unknown;
}

export interface Status {
  fill?: string;
  shape?: string;
  text?: string;
}

interface TestNode {
  id: string;
  on(event: string, fn: (arg: never) => void): void;
  receive(msg: Record<string, unknown>): void;
  status(s: Status): void;
}

/** Collects the messages a helper node receives. */
export class Collector {
  readonly msgs: Msg[] = [];
  constructor(id: string) {
    const node = helper.getNode(id) as unknown as TestNode;
    node.on('input', (msg: never) => this.msgs.push(msg as Msg));
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<Msg[]> {
    const end = Date.now() + timeoutMs;
    while (this.msgs.length < count) {
      if (Date.now() > end) throw new Error(`expected ${count} msgs, got ${this.msgs.length}`);
      await delay(20);
    }
    return this.msgs;
  }
}

/** Records every status a node shows. */
export function statuses(id: string): Status[] {
  const node = helper.getNode(id) as unknown as TestNode;
  const seen: Status[] = [];
  const original = node.status.bind(node);
  node.status = (s: Status) => {
    seen.push(s);
    original(s);
  };
  return seen;
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

/** Everything Node-RED logged since load, as text (for secret scans). */
export function logText(): string {
  const spy = helper.log() as unknown as { args: unknown[][] } | undefined;
  return spy ? spy.args.map((a) => JSON.stringify(a)).join('\n') : '';
}

/** Counts of the process's active handles by kind (sockets, timers), for leak checks. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

export interface RedeployCheck {
  /** How many times the flow is deployed and stopped. */
  times: number;
  /** Deploys the flow (helper.load with its node set, flow and credentials). */
  load: () => Promise<void>;
  /** Runs once after the first deploy, before the baseline is taken (a first read, say). */
  warmUp?: () => Promise<void>;
  /** Runs while deploy `i` is up (a msg sent, a pause). */
  during?: (i: number) => Promise<void>;
  /** The gateway's simulator: its sockets must all close; with `requestsStop`, its requests must stop. */
  sim: { server: { openSockets: number }; count(): number };
  /** What must not outlive its node, named in the failure ("no poll survives its node"). */
  requestsStop?: string;
}

/**
 * Redeploys a flow `times` times and checks what a user's long-running Node-RED would show: no timer
 * and no client socket more than before the first deploy, every socket to the gateway closed, and
 * (with `requestsStop`) no request reaching the gateway once the last deploy is stopped.
 */
export async function checkRedeploys(c: RedeployCheck): Promise<void> {
  await c.load();
  await c.warmUp?.();
  await helper.unload();
  await until(() => c.sim.server.openSockets === 0, 3000, 'sockets closed');
  await delay(100);
  const baseline = activeResources();
  for (let i = 0; i < c.times; i++) {
    await c.load();
    await c.during?.(i);
    await helper.unload();
  }
  await until(() => c.sim.server.openSockets === 0, 3000, 'sockets closed');
  await delay(100);
  const after = activeResources();
  assert.equal(after.Timeout ?? 0, baseline.Timeout ?? 0, `timers: ${JSON.stringify(baseline)} -> ${JSON.stringify(after)}`);
  assert.equal(after.TCPSocketWrap ?? 0, baseline.TCPSocketWrap ?? 0, 'client sockets');
  if (c.requestsStop) {
    const requests = c.sim.count();
    await delay(300);
    assert.equal(c.sim.count(), requests, c.requestsStop);
  }
}

/**
 * The frame of a node test file: before each test a fresh simulator from `make` is started (and handed
 * to `use`) and the test helper's server too; after it, the flow is unloaded and both are stopped.
 */
export function simulatorForEachTest<S extends { start(): Promise<unknown>; stop(): Promise<void> }>(make: () => S, use: (sim: S) => void): void {
  let sim: S | undefined;
  beforeEach(async () => {
    sim = make();
    await sim.start();
    use(sim);
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await sim?.stop();
  });
}
