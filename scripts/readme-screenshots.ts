/**
 * `npx tsx scripts/readme-screenshots.ts`: the README's picture of the demo, made as a user sees it. Starts
 * the gateway simulators and Node-RED with the demo flows (in .browser-test/readme, not the user's .demo),
 * opens the combined demo tab in headless Chromium (Debian's /usr/bin/chromium) once the nodes show live
 * data, and writes docs/images/demo-flow.png.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EditorSession } from '../test/browser/editor';
import { freePort } from '../test/node-red-process';
import { demoCredentials, demoFlows, loadSimulators } from './demo';
import { prepareDemoUserDir, repoRoot } from './userdir';

const TAB = 'demo-tab-all-gateways-demo-json';

async function main(): Promise<void> {
  const sims = loadSimulators();
  const handles = await Promise.all(sims.map((s) => s.start()));
  const dir = join(repoRoot, '.browser-test', 'readme');
  rmSync(dir, { recursive: true, force: true });
  const flows = demoFlows(join(repoRoot, 'examples'));
  const credentials = demoCredentials(sims, flows);
  const editor = new EditorSession();
  try {
    await editor.start('readme', async (red) => {
      const port = await freePort();
      const { settings } = prepareDemoUserDir({ dir, port, flows, credentials, logLevel: 'warn' });
      await red.startIn(dir, settings, port);
    });
    const page = editor.page;
    await page.evaluate((tab) => (globalThis as unknown as { RED: { workspaces: { show(id: string): void } } }).RED.workspaces.show(tab), TAB);
    // Live data: the nodes' statuses turn green as the simulators answer.
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-dot-green').nth(3).waitFor({ state: 'attached', timeout: 60_000 });
    await page.waitForTimeout(3000);
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    const file = join(repoRoot, 'docs', 'images', 'demo-flow.png');
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  } finally {
    await editor.stop();
    await Promise.all(handles.map((h) => h.stop()));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
