/**
 * `npm start`: Node-RED 4 on http://127.0.0.1:1880 with this package, the gateway simulators and the
 * example flows deployed, so anyone can see live data without hardware.
 *
 * Each simulator module under test/simulators/ that exports `demo` (see DemoSimulator) is started on its
 * fixed port; every flow in examples/ is deployed on a tab of its own, and each config node gets the
 * demo credentials of its type. Only the combined demo tab and the dashboard tabs run (LIVE_EXAMPLES):
 * the other example tabs are deployed disabled, so they neither poll nor fill the debug sidebar until the
 * user enables one. The dashboard examples (examples/dashboard-*.json, FlowFuse Dashboard 2.0 at
 * /dashboard) are deployed when @flowfuse/node-red-dashboard is installed (a devDependency), and left out
 * otherwise. The userDir is .demo/ (git-ignored): the demo flows are written there only when it holds no
 * flows yet, so what a user builds survives a restart; `npm start -- --reset` starts over from the demo
 * (the previous flows are kept as .demo/flows.before-reset.json).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardDir, nodeRedScript, prepareDemoUserDir, repoRoot } from './userdir';
import type { Fault } from '../test/simulators/base';

export interface DemoSimulator {
  /** Node type of the config node the simulator stands in for, e.g. 'plugwise-gateway'. */
  configType: string;
  /** The one config node it stands in for, when not every config node of its type (the demo Smile P1). */
  configId?: string;
  /** Credentials the demo gives every config node of that type. */
  credentials: Record<string, string>;
  /** Starts the simulator on the fixed port the examples use (or on `port`; 0 picks a free one). */
  start(port?: number): Promise<DemoHandle>;
}

export interface DemoHandle {
  port: number;
  stop(): Promise<void>;
  /** Requests the simulator has received. */
  requests(): number;
  /** Switches a fault on (or off with undefined): see test/simulators/base.ts. */
  setFault(fault: Fault | undefined): void;
  /** Tokens the simulator has handed out (secret scans look for them). */
  issuedSecrets?(): string[];
}

const root = repoRoot;
const userDir = join(root, '.demo');
const port = Number(process.env.PORT ?? 1880);

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [k: string]: unknown;
}

export function loadSimulators(): DemoSimulator[] {
  const dir = join(root, 'test', 'simulators');
  const sims: DemoSimulator[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, file)) as { demo?: DemoSimulator };
    if (mod.demo) sims.push(mod.demo);
  }
  return sims;
}

/** Examples whose tab runs in the demo; every other example's tab is deployed disabled. */
export const LIVE_EXAMPLES = [/^all-gateways-demo\.json$/, /^dashboard-.*\.json$/];

/** Examples that need FlowFuse Dashboard 2.0 (@flowfuse/node-red-dashboard) installed. */
export const isDashboardExample = (file: string): boolean => /^dashboard-.*\.json$/.test(file);

export interface DemoFlowOptions {
  /** Include the dashboard examples (default: when @flowfuse/node-red-dashboard is installed). */
  dashboard?: boolean;
}

/**
 * Every example on its own tab; config nodes shared by id across examples are deployed once. The tabs of
 * examples not in LIVE_EXAMPLES are disabled (the example files themselves are not: imported from the
 * editor's menu, each runs as it is).
 */
export function demoFlows(examplesDir: string, options: DemoFlowOptions = {}): FlowNode[] {
  const dashboard = options.dashboard ?? dashboardDir() !== undefined;
  const flows: FlowNode[] = [];
  const seen = new Set<string>();
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json') && (dashboard || !isDashboardExample(f)));
  for (const file of files.sort()) {
    const nodes = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as FlowNode[];
    const live = LIVE_EXAMPLES.some((re) => re.test(file));
    const tabId = `demo-tab-${file.replace(/\W+/g, '-')}`;
    const tab = nodes.find((n) => n.type === 'tab');
    const label = file.replace(/\.json$/, '').replace(/[-_]/g, ' ');
    const info = live ? '' : 'Deployed disabled, so that the demo stays quiet: double-click this tab, switch it to Enabled and Deploy to run the example.';
    if (!tab) flows.push({ id: tabId, type: 'tab', label, disabled: !live, info });
    for (const n of nodes) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      const isConfig = !('wires' in n) && n.type !== 'tab' && n.type !== 'group' && n.type !== 'comment';
      if (n.type === 'tab') flows.push(live ? n : { ...n, disabled: true });
      else flows.push(tab || isConfig ? n : { ...n, z: tabId });
    }
  }
  return flows;
}

/** The demo credentials of each config node a simulator stands in for (the demo P1 by id, the others by type). */
export function demoCredentials(sims: DemoSimulator[], flows: FlowNode[]): Record<string, Record<string, string>> {
  const credentials: Record<string, Record<string, string>> = {};
  for (const n of flows) {
    const sim = simulatorFor(sims, n);
    if (sim) credentials[n.id] = sim.credentials;
  }
  return credentials;
}

/** A config node pointed at a simulator on 127.0.0.1:port (tests run the simulators on free ports). */
export function pointAt<T extends Record<string, unknown>>(node: T, port: number): T {
  const n: Record<string, unknown> = { ...node };
  if (typeof n.baseUrl === 'string' && n.baseUrl) {
    const url = new URL(n.baseUrl);
    url.protocol = 'http:';
    url.hostname = '127.0.0.1';
    url.port = String(port);
    n.baseUrl = n.baseUrl.endsWith('/') ? url.href : url.href.replace(/\/$/, '');
  }
  if ('host' in n) {
    n.host = '127.0.0.1';
    n.port = typeof n.port === 'number' ? port : String(port);
  }
  if ('tls' in n) n.tls = false;
  if (n.mode === 'cloud' && typeof n.cloudUrl === 'string') n.cloudUrl = `http://127.0.0.1:${port}/cloud`;
  return n as T;
}

/** The demo flows pointed at simulators started on ports of their own (`handles[i]` is `sims[i]` running). */
export function demoFlowsAt(sims: DemoSimulator[], handles: DemoHandle[], examplesDir = join(root, 'examples')): FlowNode[] {
  return demoFlows(examplesDir).map((n) => {
    const sim = simulatorFor(sims, n);
    return sim ? pointAt(n, handles[sims.indexOf(sim)]!.port) : n;
  });
}

export function simulatorFor<T extends DemoSimulator>(sims: T[], node: FlowNode): T | undefined {
  return sims.find((s) => s.configId === node.id) ?? sims.find((s) => s.configType === node.type && s.configId === undefined);
}

async function main(): Promise<void> {
  const sims = loadSimulators();
  const stops = await Promise.all(sims.map((s) => s.start()));
  const flows = demoFlows(join(root, 'examples'));
  const credentials = demoCredentials(sims, flows);
  const reset = process.argv.includes('--reset') || process.env.DEMO_RESET === '1';
  const { settings, seeded } = prepareDemoUserDir({ dir: userDir, port, flows, credentials, reset });
  const nodeRed = nodeRedScript();
  console.log(`Simulators: ${sims.map((s) => s.configType).join(', ')}. Node-RED: http://127.0.0.1:${port}/`);
  console.log(
    dashboardDir()
      ? `Dashboard: http://127.0.0.1:${port}/dashboard (FlowFuse Dashboard 2.0, the examples dashboard-*.json).`
      : 'Dashboard: not installed (npm install adds @flowfuse/node-red-dashboard, a devDependency); the dashboard examples are left out.',
  );
  if (seeded) console.log('The combined demo tab runs; the other example tabs are deployed disabled: enable one (double-click its tab) to run it.');
  console.log(
    seeded
      ? `Flows: the demo flows, written to ${join(userDir, 'flows.json')} (your changes are kept there across restarts).`
      : `Flows: ${join(userDir, 'flows.json')}, as you left them (npm start -- --reset starts over from the demo).`,
  );
  const child = spawn(process.execPath, [nodeRed, '--userDir', userDir, '--settings', settings], { stdio: 'inherit' });
  const shutdown = async (): Promise<void> => {
    child.kill('SIGINT');
    await Promise.all(stops.map((h) => h.stop()));
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  child.on('exit', (code) => {
    void Promise.all(stops.map((h) => h.stop())).then(() => process.exit(code ?? 0));
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
