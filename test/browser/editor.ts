/**
 * Drives the real Node-RED editor in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * a Node-RED 4 child process with this package linked into a fresh userDir, on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeUserDir, nodeRedScript, repoRoot } from '../../scripts/userdir';

export const SCREENSHOTS = join(repoRoot, 'test-output', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class EditorSession {
  page!: Page;
  url = '';
  log = '';
  private browser: Browser | undefined;
  private child: ChildProcess | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  async start(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    const dir = join(repoRoot, '.browser-test', name);
    const settings = makeUserDir({ dir, port, logLevel: 'warn' });
    this.child = spawn(process.execPath, [nodeRedScript(), '--userDir', dir, '--settings', settings], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    // Stops by itself whatever happens to the test.
    this.killTimer = setTimeout(() => this.child?.kill('SIGKILL'), 10 * 60_000);
    this.killTimer.unref();
    this.url = `http://127.0.0.1:${port}/`;
    await waitForHttp(this.url, 60_000);
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    this.page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await this.page.goto(this.url);
    await this.page.waitForSelector('#red-ui-palette-container .red-ui-palette-node', { timeout: 60_000 });
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }

  /** Drags a node type from the palette onto the workspace and opens its edit dialog. */
  async addNode(type: string, x: number, y: number): Promise<void> {
    const page = this.page;
    const item = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
    await item.scrollIntoViewIfNeeded();
    const box = await item.boundingBox();
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    if (!box || !chart) throw new Error(`palette entry ${type} not visible`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + x, chart.y + y, { steps: 12 });
    await page.mouse.up();
    const node = page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group`).last();
    await node.locator('rect.red-ui-flow-node').dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
  }

  /** Opens the dialog of a new config node from an action node's config property (the "+" button). */
  async addConfigNode(property: string): Promise<void> {
    const row = this.page.locator(`#node-input-${property}`).locator('xpath=ancestor::div[contains(@class,"form-row")][1]');
    await row.locator('a:has(i.fa-plus), button:has(i.fa-plus)').first().click();
  }

  async deploy(): Promise<void> {
    await this.page.click('#red-ui-header-button-deploy');
    await this.page.waitForSelector('.red-ui-notification', { timeout: 20_000 }).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child?.once('exit', r));
      this.child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    if (this.killTimer) clearTimeout(this.killTimer);
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`Node-RED did not start at ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
