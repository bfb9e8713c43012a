/**
 * The demo dashboard (issue 15, item 10): `npm start`'s flows with FlowFuse Dashboard 2.0 (a devDependency)
 * linked into the userDir as prepareDemoUserDir does it, every demo simulator running (free ports). In
 * headless Chromium, /dashboard shows the zone temperatures and setpoints over the last day, the heater's
 * state with its setpoint slider, the Thinknx light switch and the EMS history, drawn from the simulators'
 * data; the light switch and the setpoint field act on the simulated devices. Screenshot:
 * test-output/browser/dashboard.png (docs/images/dashboard.png is a copy).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoCredentials, demoFlowsAt, loadSimulators, type DemoHandle } from '../../scripts/demo';
import { dashboardDir, prepareDemoUserDir, repoRoot } from '../../scripts/userdir';
import { freePort, NodeRedProcess } from '../node-red-process';
import { SCREENSHOTS } from './editor';

const DIR = join(repoRoot, '.browser-test', 'dashboard');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What a widget holds in the dashboard's client store: the chart's points (distinct times) by series, or a widget's last payload. */
interface Held {
  series: Record<string, number>;
  payload: unknown;
}

describe('the demo dashboard at /dashboard (headless Chromium, FlowFuse Dashboard 2.0, all demo simulators)', function () {
  this.timeout(180_000);
  const red = new NodeRedProcess();
  const sims = loadSimulators();
  let handles: DemoHandle[] = [];
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    if (!dashboardDir()) this.skip(); // npm install brings it (devDependency)
    handles = await Promise.all(sims.map((s) => s.start(0)));
    const flows = demoFlowsAt(sims, handles);
    rmSync(DIR, { recursive: true, force: true });
    const port = await freePort();
    const { settings } = prepareDemoUserDir({ dir: DIR, port, flows, credentials: demoCredentials(sims, flows), logLevel: 'warn' });
    await red.startIn(DIR, settings, port);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await red.stop();
    await Promise.all(handles.map((h) => h.stop()));
  });

  /** The dashboard client's own store of what each widget was sent (Dashboard 2.0 keeps it in Vuex: data.messages). */
  const held = (id: string): Promise<Held | undefined> =>
    page.evaluate((widget) => {
      const app = (document.querySelector('#app') as unknown as { __vue_app__?: { config: { globalProperties: { $store?: { state: { data: { messages: Record<string, unknown> } } } } } } } | null)?.__vue_app__;
      const msgs = app?.config.globalProperties.$store?.state.data.messages[widget];
      if (msgs === undefined) return undefined;
      // Points by series, each time once (a msg that reaches the page while it loads the chart's history can be held twice).
      const times: Record<string, Set<number>> = {};
      if (Array.isArray(msgs)) for (const m of msgs as { _datapoint?: { category?: string; x?: number } }[]) (times[String(m._datapoint?.category)] ??= new Set()).add(Number(m._datapoint?.x));
      const series = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.size]));
      return { series, payload: Array.isArray(msgs) ? undefined : (msgs as { payload?: unknown }).payload };
    }, id);

  async function waitFor<T>(what: string, get: () => Promise<T | undefined>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
    const end = Date.now() + ms;
    let last: T | undefined;
    for (;;) {
      last = await get().catch(() => undefined);
      if (last !== undefined && ok(last)) return last;
      if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(last)}`);
      await page.waitForTimeout(250);
    }
  }

  /** A widget's row by its label, as the user reads it (the label and the value beside it). */
  const row = (label: string): Promise<string> =>
    page
      .locator('.nrdb-ui-text', { hasText: label })
      .first()
      .innerText()
      .then((t) => t.replace(/\s+/g, ' ').trim());

  it('draws the zones, the heater, the light and the EMS history from the simulators, and the controls act', async () => {
    await page.goto(`${red.url}dashboard`);
    await page.waitForURL(/\/dashboard\/energy$/, { timeout: 60_000 });
    for (const title of ['Plugwise zones', 'EMS energy', 'Living Room Heater', 'Thinknx']) {
      await page.getByText(title, { exact: true }).first().waitFor({ timeout: 60_000 });
    }

    // The zones chart: the last 24 h of each zone's temperature and setpoint, every 15 minutes, from the hub's history.
    const zones = await waitFor('zones chart', () => held('dash-pw-chart'), (h) => Object.keys(h.series).length === 4 && Object.values(h.series).every((n) => n >= 96));
    assert.deepEqual(Object.keys(zones.series).sort(), ['Bathroom', 'Bathroom setpoint', 'Living room', 'Living room setpoint']);
    // The EMS chart: 24 h of signal 100 at one point in five of its 1-minute records.
    const ems = await waitFor('EMS chart', () => held('dash-ems-chart'), (h) => (h.series['Main (signal 100)'] ?? 0) >= 280);
    assert.ok(ems.series['Main (signal 100)']! <= 290, JSON.stringify(ems.series));
    // Drawn: both charts' canvases, described (ECharts' aria label) with their series.
    const labels = await page.locator('.nrdb-ui-chart[role="img"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(labels.length, 2);
    assert.match(labels.find((l) => l.includes('Zone temperatures')) ?? '', /Living room/);
    assert.match(labels.find((l) => l.includes('EMS signal 100')) ?? '', /Main \(signal 100\)/);
    assert.equal(await page.locator('.nrdb-ui-chart canvas').count(), 2);

    // The heater's state, as read from the simulated account.
    await waitFor('heater mode', () => row('Mode'), (t) => /^Mode (auto|manual|off)$/.test(t));
    assert.match(await row('Room'), /^Room \d+(\.\d+)? °C$/);
    assert.match(await row('Heating'), /^Heating (on, \d+ W|off)$/);
    await waitFor('slider position', () => held('dash-hc-slider'), (h) => typeof h.payload === 'number');

    // The light: what the server reports.
    await waitFor('the light', () => row('The light says'), (t) => /^The light says (on|off) at /.test(t));
    await page.waitForTimeout(1500); // the chart animations end
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    // The switch follows the light (decoupled): clicked, it sends the opposite, and shows what the light then reports.
    const before = (await row('The light says')).includes(' on ');
    await page.locator('.nrdb-switch .v-switch input').first().click();
    const want = before ? 'off' : 'on';
    await waitFor(`the light ${want}`, () => row('The light says'), (t) => t.startsWith(`The light says ${want} (confirmed)`), 20_000);
    const checked = await page.locator('.nrdb-switch .v-switch input').first().isChecked();
    assert.equal(checked, !before);

    // The setpoint: typed into the slider's field, the heater goes to manual at it and the state is read back.
    const field = page.locator('.nrdb-ui-slider input[type="number"]').first();
    await field.fill('19.5');
    await field.press('Enter');
    await waitFor('manual 19.5', () => held('dash-hc-slider'), (h) => h.payload === 19.5, 20_000);
    await waitFor('mode manual', () => row('Mode'), (t) => t === 'Mode manual', 20_000);
  });
});
