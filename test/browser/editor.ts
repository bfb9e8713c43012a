/**
 * Drives the real Node-RED editor in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * a Node-RED 4 child process with this package linked into a fresh userDir, on a free loopback port.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../../scripts/userdir';
import { NodeRedProcess } from '../node-red-process';

export const SCREENSHOTS = join(repoRoot, 'test-output', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class EditorSession {
  page!: Page;
  readonly nodeRed = new NodeRedProcess();
  private browser: Browser | undefined;

  get url(): string {
    return this.nodeRed.url;
  }

  get log(): string {
    return this.nodeRed.log;
  }

  async start(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.nodeRed.start(name, { logLevel: 'warn' });
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
    const ids = async (): Promise<string[]> => page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group').evaluateAll((els) => els.map((e) => e.id));
    const before = new Set(await ids());
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + x, chart.y + y, { steps: 12 });
    await page.mouse.up();
    // Open the node just dropped, not whichever node happens to be last in the SVG.
    let added: string | undefined;
    for (let i = 0; i < 50 && !added; i++) {
      added = (await ids()).find((id) => !before.has(id));
      if (!added) await page.waitForTimeout(100);
    }
    if (!added) throw new Error(`dropping ${type} added no node`);
    await page.locator(`[id="${added}"] rect.red-ui-flow-node`).dblclick();
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
    await this.nodeRed.stop();
  }
}
