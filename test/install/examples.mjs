/**
 * What the install matrix checks on a running Node-RED (scripts/install-matrix.mjs): the package's node
 * sets and types as the admin API lists them, the example flows as Node-RED serves them from the installed
 * package, pointed at the simulators, and the log.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';

export const PACKAGE = 'node-red-contrib-energy-gateways';
const { isDashboardExample, pointAt } = tsxRequire('../../scripts/demo.ts', import.meta.url);
export { isDashboardExample };
/** The contract's ten node types. */
export const NODE_TYPES = ['plugwise-gateway', 'plugwise-in', 'plugwise-control', 'plugwise-history', 'heating-account', 'heating-command', 'thinknx-server', 'thinknx-control', 'ems-server', 'ems-history'];

const OURS = new RegExp(`${PACKAGE}|\\b(${NODE_TYPES.join('|')})\\b`);

/**
 * Every test/simulators/*.ts demo (as `npm start` runs them), on free ports; keyed by config node type, or
 * by config node id for a demo that stands in for one config node only (`configId`: the demo Smile P1).
 */
export async function startSimulators(root) {
  const dir = join(root, 'test', 'simulators');
  const sims = new Map();
  try {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
      const { demo } = tsxRequire(join(dir, file), import.meta.url);
      if (demo) sims.set(demo.configId ?? demo.configType, { demo, handle: await demo.start(0) });
    }
  } catch (err) {
    await Promise.all([...sims.values()].map((s) => s.handle.stop()));
    throw err;
  }
  return { sims, stop: () => Promise.all([...sims.values()].map((s) => s.handle.stop())) };
}

/**
 * An example on a tab of its own, config nodes pointed at the simulators with the demo credentials.
 * Returns the flows, the config types it uses and how long its run-once injects wait.
 */
export function exampleFlow(name, nodes, sims) {
  const tab = { id: `install-tab-${name}`, type: 'tab', label: name, disabled: false, info: '' };
  const configTypes = new Set();
  const flows = [tab];
  for (const node of nodes) {
    if (node.type === 'tab') throw new Error(`${name}: examples are arrays of nodes without a tab`);
    const isConfig = !('wires' in node) && node.type !== 'group' && node.type !== 'comment';
    if (!isConfig) {
      flows.push({ ...node, z: tab.id });
      continue;
    }
    const sim = sims.get(node.id) ?? sims.get(node.type);
    if (!sim) throw new Error(`${name}: no simulator for config node type ${node.type}`);
    configTypes.add(node.type);
    flows.push({ ...pointAt(node, sim.handle.port), credentials: { ...sim.demo.credentials } });
  }
  const onceDelayMs = Math.max(0, ...nodes.filter((n) => n.type === 'inject' && n.once).map((n) => 1000 * Number(n.onceDelay || 0.1)));
  return { flows, configTypes, onceDelayMs };
}

/** Log text split into entries (a line and the indented lines under it, e.g. a warning's stack). */
function entries(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (/^\s+\S/.test(line) && out.length) out[out.length - 1] += `\n${line}`;
    else if (line.trim()) out.push(line);
  }
  return out;
}

/** Errors, warnings about this package, and other warnings in a piece of Node-RED's log. */
export function logProblems(text) {
  const errors = [];
  const ours = [];
  const others = [];
  for (const e of entries(text)) {
    const warning = /\[warn\]/.test(e) || /\(node:\d+\) \S*Warning/.test(e);
    if (/\[error\]/.test(e)) errors.push(e);
    else if (warning && OURS.test(e)) ours.push(e);
    else if (warning) others.push(e);
  }
  return { errors, ours, others };
}

/** The package's node sets as GET /nodes lists them; problems found. */
export function checkNodeSets(sets, expectedSets, version) {
  const problems = [];
  const mine = sets.filter((s) => s.module === PACKAGE);
  const types = new Set(mine.flatMap((s) => s.types ?? []));
  for (const id of expectedSets) {
    const set = mine.find((s) => s.id === `${PACKAGE}/${id}`);
    if (!set) problems.push(`node set ${id} is not listed`);
    else if (set.err) problems.push(`node set ${id} failed to load: ${set.err}`);
    else if (set.enabled === false || set.loaded === false) problems.push(`node set ${id} is not enabled and loaded`);
    if (set && set.version !== version) problems.push(`node set ${id} has version ${set.version}, the tarball ${version}`);
  }
  const missing = NODE_TYPES.filter((t) => !types.has(t));
  if (missing.length) problems.push(`types not registered: ${missing.join(', ')}`);
  return { problems, loaded: NODE_TYPES.filter((t) => types.has(t)).length };
}

/** Each node set's en-US message catalog as the editor loads it (GET /nodes/messages). */
export function checkCatalogs(messages, expectedSets) {
  return expectedSets.filter((id) => Object.keys(messages[`${PACKAGE}/${id}`] ?? {}).length === 0).map((id) => `no en-US message catalog for node set ${id}`);
}
