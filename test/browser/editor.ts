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

  /** Starts Node-RED on a fresh userDir named `name`, or as `launch` starts it, and opens the editor. */
  async start(name: string, launch?: (red: NodeRedProcess) => Promise<void>): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await (launch ? launch(this.nodeRed) : this.nodeRed.start(name, { logLevel: 'warn' }));
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

  /** Drags a node type from the palette onto the workspace and opens its edit dialog; returns the node's id. */
  async addNode(type: string, x: number, y: number): Promise<string> {
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
    await this.settle();
    return added;
  }

  /** Waits until the edit tray has finished sliding in (so a screenshot shows the whole dialog). */
  async settle(): Promise<void> {
    let last = '';
    for (let i = 0; i < 40; i++) {
      const box = await this.page.locator('.red-ui-tray').last().boundingBox();
      const now = JSON.stringify(box);
      if (box && now === last) return;
      last = now;
      await this.page.waitForTimeout(80);
    }
  }

  /** Opens the edit dialog of a node already on the workspace (a double-click, as a user does). */
  async openNode(id: string): Promise<void> {
    await this.page.locator(`[id="${id}"] rect.red-ui-flow-node`).dblclick();
    await this.page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await this.settle();
  }

  /** Closes the open node dialog with Done (or Cancel). */
  async closeDialog(ok = true): Promise<void> {
    await this.page.click(ok ? '#node-dialog-ok' : '#node-dialog-cancel');
    await this.page.waitForSelector('#node-dialog-ok', { state: 'detached' });
  }

  /** Drags a wire from the output port of `from` to the input port of `to`. */
  async wire(from: string, to: string): Promise<void> {
    const page = this.page;
    const out = await page.locator(`[id="${from}"] .red-ui-flow-port-output rect.red-ui-flow-port`).first().boundingBox();
    const inp = await page.locator(`[id="${to}"] .red-ui-flow-port-input rect.red-ui-flow-port`).first().boundingBox();
    if (!out || !inp) throw new Error(`ports of ${from} -> ${to} not visible`);
    const links = page.locator('#red-ui-workspace-chart g.red-ui-flow-link');
    const before = await links.count();
    await page.mouse.move(out.x + out.width / 2, out.y + out.height / 2);
    await page.mouse.down();
    await page.mouse.move(inp.x + inp.width / 2, inp.y + inp.height / 2, { steps: 10 });
    await page.mouse.up();
    for (let i = 0; i < 50 && (await links.count()) <= before; i++) await page.waitForTimeout(100);
    if ((await links.count()) <= before) throw new Error(`no wire from ${from} to ${to}`);
  }

  /** Presses an inject node's button (after a deploy). */
  async clickInject(id: string): Promise<void> {
    await this.page.locator(`[id="${id}"] .red-ui-flow-node-button`).click();
  }

  /** Waits for a node's status to turn green and returns its text. */
  async waitGreen(id: string, timeout = 30_000): Promise<string> {
    await this.page.locator(`[id="${id}"] .red-ui-flow-node-status-dot-green`).waitFor({ state: 'attached', timeout });
    return String(await this.page.locator(`[id="${id}"] .red-ui-flow-node-status-label`).textContent());
  }

  /** Shows a node type's help in the sidebar (what the user sees under the book tab). */
  async showHelp(type: string): Promise<string> {
    await this.page.evaluate((t) => (globalThis as unknown as { RED: { sidebar: { help: { show(type: string, front: boolean): void } } } }).RED.sidebar.help.show(t, true), type);
    const help = this.page.locator('.red-ui-sidebar-help-stack .red-ui-help:visible, .red-ui-help:visible');
    await help.first().waitFor({ timeout: 5000 });
    return String(await help.first().innerText());
  }

  /** Opens the dialog of a new config node from an action node's config property (the "+" button). */
  async addConfigNode(property: string): Promise<void> {
    const row = this.page.locator(`#node-input-${property}`).locator('xpath=ancestor::div[contains(@class,"form-row")][1]');
    await row.locator('a:has(i.fa-plus), button:has(i.fa-plus)').first().click();
    await this.page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
    await this.settle();
  }

  /** Opens the dialog of the config node an action node's property points at (the pencil button). */
  async editConfigNode(property: string): Promise<void> {
    const row = this.page.locator(`#node-input-${property}`).locator('xpath=ancestor::div[contains(@class,"form-row")][1]');
    await row.locator('a:has(i.fa-pencil), button:has(i.fa-pencil)').first().click();
    await this.page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
    await this.settle();
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
