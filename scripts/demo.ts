/**
 * `npm start`: Node-RED 4 on http://127.0.0.1:1880 with this package, the gateway simulators and the
 * example flows deployed, so anyone can see live data without hardware.
 *
 * Each simulator module under test/simulators/ that exports `demo` (see DemoSimulator) is started on its
 * fixed port; every flow in examples/ is deployed on a tab of its own, and each config node gets the
 * demo credentials of its type. The userDir is .demo/ (git-ignored): the demo flows are written there
 * only when it holds no flows yet, so what a user builds survives a restart; `npm start -- --reset`
 * starts over from the demo (the previous flows are kept as .demo/flows.before-reset.json).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeRedScript, prepareDemoUserDir, repoRoot } from './userdir';
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

/** Every example on its own tab; config nodes shared by id across examples are deployed once. */
export function demoFlows(examplesDir: string): FlowNode[] {
  const flows: FlowNode[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
    const nodes = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as FlowNode[];
    const tabId = `demo-tab-${file.replace(/\W+/g, '-')}`;
    const tab = nodes.find((n) => n.type === 'tab');
    if (!tab) flows.push({ id: tabId, type: 'tab', label: file.replace(/\.json$/, '').replace(/[-_]/g, ' '), disabled: false, info: '' });
    for (const n of nodes) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      const isConfig = !('wires' in n) && n.type !== 'tab' && n.type !== 'group' && n.type !== 'comment';
      flows.push(tab || isConfig || n.type === 'tab' ? n : { ...n, z: tabId });
    }
  }
  return flows;
}

async function main(): Promise<void> {
  const sims = loadSimulators();
  const stops = await Promise.all(sims.map((s) => s.start()));
  const flows = demoFlows(join(root, 'examples'));
  const credentials: Record<string, Record<string, string>> = {};
  for (const n of flows) {
    const sim = sims.find((s) => s.configId === n.id) ?? sims.find((s) => s.configType === n.type && s.configId === undefined);
    if (sim) credentials[n.id] = sim.credentials;
  }
  const reset = process.argv.includes('--reset') || process.env.DEMO_RESET === '1';
  const { settings, seeded } = prepareDemoUserDir({ dir: userDir, port, flows, credentials, reset });
  const nodeRed = nodeRedScript();
  console.log(`Simulators: ${sims.map((s) => s.configType).join(', ')}. Node-RED: http://127.0.0.1:${port}/`);
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
