/**
 * The demo is quiet (issue 15, item 4): `npm start`'s flows, as scripts/demo.ts builds them and
 * prepareDemoUserDir writes them, in a real Node-RED with every demo simulator running (free ports). Over
 * a minute at idle, after the start, the debug sidebar gets (almost) nothing, so what a user sends
 * themselves stays in view; the combined demo tab still runs and its debug nodes show their values in
 * their status; the other example tabs are deployed, disabled.
 *
 * Measured on this machine, 60 s of comms after the start had settled: 24 debug messages with every
 * example tab running (the demo before this change), 0 now.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { demoCredentials, demoFlowsAt, isDashboardExample, LIVE_EXAMPLES, loadSimulators, type DemoHandle } from '../../scripts/demo';
import { dashboardDir, prepareDemoUserDir, repoRoot } from '../../scripts/userdir';
import { freePort, NodeRedProcess } from '../node-red-process';

const DIR = join(repoRoot, '.browser-test', 'demo-quiet');
const IDLE_MS = 60_000;
/** At most this many debug messages in the idle minute (a user's results stay in the 100-message sidebar). */
const MAX_IDLE_DEBUG = 2;

interface CommsMsg {
  topic: string;
  data: { id?: string; text?: string; fill?: string; name?: string; z?: string };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(200);
  }
}

describe('npm start is quiet at idle (the demo flows in a real Node-RED, all demo simulators)', function () {
  this.timeout(180_000);
  const red = new NodeRedProcess();
  const sims = loadSimulators();
  let handles: DemoHandle[] = [];
  let ws: WebSocket | undefined;
  const comms: { at: number; msg: CommsMsg }[] = [];

  before(async () => {
    handles = await Promise.all(sims.map((s) => s.start(0)));
    const pointed = demoFlowsAt(sims, handles);
    rmSync(DIR, { recursive: true, force: true });
    const port = await freePort();
    const { settings } = prepareDemoUserDir({ dir: DIR, port, flows: pointed, credentials: demoCredentials(sims, pointed), logLevel: 'info' });
    await red.startIn(DIR, settings, port);
    ws = new WebSocket(new URL('comms', red.url.replace(/^http/, 'ws')));
    ws.on('message', (data) => {
      try {
        const parsed = JSON.parse(String(data)) as CommsMsg | CommsMsg[];
        for (const msg of Array.isArray(parsed) ? parsed : [parsed]) comms.push({ at: Date.now(), msg });
      } catch {
        // not a comms msg
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws?.once('open', () => resolve());
      ws?.once('error', reject);
    });
    ws.send(JSON.stringify({ subscribe: 'debug' }));
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
  });

  after(async () => {
    ws?.close();
    await red.stop();
    await Promise.all(handles.map((h) => h.stop()));
  });

  it('sends at most a couple of debug messages a minute once started, and the demo tab shows its values', async () => {
    await until(() => red.log.includes('Started flows'), 60_000, 'Started flows');
    // The start: the demo tab's run-once injects fire within a few seconds; let them settle.
    const statusText = (id: string): string | undefined => comms.filter((c) => c.msg.topic === `status/${id}`).at(-1)?.msg.data.text;
    await until(() => /^manual, 21 °C/.test(statusText('demo-all-hc-debug') ?? '') && /points of signal 100/.test(statusText('demo-all-ems-debug') ?? ''), 60_000, 'the demo tab\'s results');
    await delay(10_000);
    const startDebug = comms.filter((c) => c.msg.topic === 'debug').length;
    const requestsBefore = handles.map((h) => h.requests());
    const from = Date.now();
    await delay(IDLE_MS);
    const idle = comms.filter((c) => c.msg.topic === 'debug' && c.at >= from);
    const requests = handles.map((h, i) => `${sims[i]!.configId ?? sims[i]!.configType} ${h.requests() - requestsBefore[i]!}`).join(', ');
    const names = idle.map((c) => c.msg.data.name ?? c.msg.data.id).join(', ');
    console.log(`      debug messages: ${startDebug} at the start, ${idle.length} in the next ${IDLE_MS / 1000} s (${names || 'none'}); simulator requests in that time: ${requests}`);
    assert.ok(idle.length <= MAX_IDLE_DEBUG, `${idle.length} debug messages in a minute at idle: ${names}`);

    // The combined demo tab runs: its debug nodes show the values in their status.
    assert.match(statusText('demo-all-pw-debug') ?? '', /^Living room \d+(\.\d+)? °C$/);
    assert.match(statusText('demo-all-hc-result') ?? '', /^setMode APPLIED$/);
    assert.match(statusText('demo-all-tk-debug') ?? '', /^(kitchen-light: true|living-blind: 40)$/);
    assert.match(statusText('demo-all-ems-debug') ?? '', /^14[34]\d points of signal 100$/);
  });

  it('deploys every example: the combined demo and dashboard tabs enabled, the others disabled', () => {
    const deployed = JSON.parse(readFileSync(join(DIR, 'flows.json'), 'utf8')) as { id: string; type: string; label?: string; disabled?: boolean }[];
    const tabs = deployed.filter((n) => n.type === 'tab');
    const files = readdirExamples();
    assert.equal(tabs.length, files.length, 'a tab per example');
    for (const file of files) {
      const tab = tabs.find((t) => t.id === `demo-tab-${file.replace(/\W+/g, '-')}`);
      assert.ok(tab, file);
      assert.equal(tab.disabled, !LIVE_EXAMPLES.some((re) => re.test(file)), `${file}: disabled`);
    }
    assert.ok(tabs.filter((t) => !t.disabled).length >= 1);
  });
});

function readdirExamples(): string[] {
  const all = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.json'));
  // The dashboard examples are in the demo when Dashboard 2.0 is installed (a devDependency).
  return all.filter((f) => dashboardDir() !== undefined || !isDashboardExample(f));
}
