/**
 * A real Node-RED runtime embedded in the benchmark's process (no test helper, no spies): a temporary
 * userDir with this package linked in (scripts/userdir.ts), the flow and credentials written there, the
 * editor and HTTP endpoints off. Messages go in with `node.receive(msg)` and are seen at a sink.
 */
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeUserDir } from '../scripts/userdir';

export interface RuntimeNode {
  id: string;
  receive(msg: Record<string, unknown>): void;
  on(event: 'input', fn: (msg: Record<string, unknown>) => void): void;
}

interface Red {
  init(server: unknown, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes: { getNode(id: string): RuntimeNode | null };
  events: { once(event: string, fn: () => void): void };
}

export interface Runtime {
  node(id: string): RuntimeNode;
  stop(): Promise<void>;
}

/** A junction with no wires: the cheapest node to receive a flow's messages (a place to listen). */
export function sink(id: string, z = 'bench-tab'): Record<string, unknown> {
  return { id, type: 'junction', z, wires: [] };
}

export const TAB = { id: 'bench-tab', type: 'tab', label: 'bench' };

/** Starts Node-RED with `flows` (nodes with `wires` are put on the bench tab) and waits until they run. */
export async function startRuntime(
  flows: Record<string, unknown>[],
  credentials: Record<string, Record<string, string>> = {},
  /** Extra node files (name -> JavaScript) put in the userDir's nodes/ folder. */
  nodeFiles: Record<string, string> = {},
): Promise<Runtime> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nr-'));
  const nodes = [TAB, ...flows.map((n) => ('wires' in n && !('z' in n) ? { ...n, z: TAB.id } : n))];
  makeUserDir({ dir, port: 0, flows: nodes, credentials, logLevel: 'error' });
  if (Object.keys(nodeFiles).length) mkdirSync(join(dir, 'nodes'));
  for (const [name, code] of Object.entries(nodeFiles)) writeFileSync(join(dir, 'nodes', name), code);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require('node-red') as Red;
  RED.init(createServer(), {
    userDir: dir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    logging: { console: { level: 'error' } },
  });
  const started = new Promise<void>((resolve) => RED.events.once('flows:started', resolve));
  await RED.start();
  await started;
  return {
    node(id) {
      const n = RED.nodes.getNode(id);
      if (!n) throw new Error(`no node ${id} in the running flow`);
      return n;
    },
    async stop() {
      await RED.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Counter {
  /** Messages seen so far. */
  count: number;
  last?: Record<string, unknown>;
  /** Resolves once `n` messages have been seen (rejects after `timeoutMs` without a new one). */
  until(n: number, timeoutMs?: number): Promise<void>;
}

/** Counts the messages reaching node `id` (one listener; one waiter at a time, no timer per wait). */
export function counter(rt: Runtime, id: string): Counter {
  let waiter: { n: number; resolve: () => void; reject: (err: Error) => void; since: number; timeoutMs: number } | undefined;
  const watchdog = setInterval(() => {
    if (waiter && performance.now() - waiter.since > waiter.timeoutMs) waiter.reject(new Error(`${id}: ${state.count} messages, expected ${waiter.n}`));
  }, 1000);
  watchdog.unref();
  const state: Counter = {
    count: 0,
    until(n, timeoutMs = 30_000) {
      if (state.count >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiter = { n, resolve, reject, since: performance.now(), timeoutMs };
      });
    },
  };
  rt.node(id).on('input', (msg) => {
    state.count++;
    state.last = msg;
    if (waiter === undefined) return;
    waiter.since = performance.now();
    if (state.count < waiter.n) return;
    const w = waiter;
    waiter = undefined;
    w.resolve();
  });
  return state;
}
