/**
 * What a newcomer sees in the dialogs (issue 15, items 3, 5 and 7), all four vendors in one editor with
 * one deployed config node each: the only config node is chosen for a new node; heating-command params
 * outside their limits make the node invalid; picker and Test connection texts; placeholders; labels,
 * icons and colours (screenshots under test-output/browser); a value held by the node, sent by an inject
 * without payload, and the status saying what happened.
 */
import assert from 'node:assert/strict';
import { EmsSimulator } from '../simulators/ems';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { ThinknxSimulator } from '../simulators/thinknx';
import { EditorSession, SCREENSHOTS } from './editor';

const SMILE_ID = 'dlgs1234';
const HEAT = { clientId: 'dialog-client', clientSecret: 'Dlg-Secret-4471' };
const KNX = { username: 'dialogs', password: 'Knx-Dlg-Pass-19' };
const EMS = { username: 'dialog-api', password: 'Ems-Dlg-Pass-28' };

type Page = EditorSession['page'];

/** The editor's RED, inside page.evaluate. */
interface PageRED {
  nodes: { node(id: string): Record<string, unknown> | null; eachNode(fn: (n: Record<string, unknown>) => void): void };
  view: { importNodes(nodes: object[], options?: object): void };
}

describe('editor (headless Chromium): dialogs, labels and values', function () {
  this.timeout(240_000);
  const editor = new EditorSession();
  const sims = {
    plugwise: new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID }),
    heating: new HeatingSimulator({ ...HEAT, homeCount: 1, deviceCount: 2 }),
    thinknx: new ThinknxSimulator(KNX),
    ems: new EmsSimulator(EMS),
  };

  before(async () => {
    await Promise.all(Object.values(sims).map((s) => s.start()));
    const flows = [
      { id: 'tab1', type: 'tab', label: 'Flow 1' },
      { id: 'cfg-pw', type: 'plugwise-gateway', name: 'Test Adam', host: '127.0.0.1', port: sims.plugwise.port, pollInterval: '', timeout: 10 },
      { id: 'cfg-hc', type: 'heating-account', name: 'Test heaters', baseUrl: sims.heating.url, scope: '', clientAuth: 'body', timeout: '' },
      { id: 'cfg-tx', type: 'thinknx-server', name: 'Test Thinknx', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, tls: false, auth: 'digest', timeout: '' },
      { id: 'cfg-ems', type: 'ems-server', name: 'Test EMS', baseUrl: sims.ems.url, allowSelfSigned: false, timeout: '' },
    ];
    const credentials = { 'cfg-pw': { username: 'smile', password: SMILE_ID }, 'cfg-hc': HEAT, 'cfg-tx': KNX, 'cfg-ems': EMS };
    await editor.start('dialogs', (r) => r.start('dialogs', { flows, credentials, logLevel: 'warn' }));
    console.log(`      screenshots: ${SCREENSHOTS}`);
  });

  after(async () => {
    await editor.stop();
    await Promise.all(Object.values(sims).map((s) => s.stop()));
  });

  const CONFIG_OF: [type: string, property: string, config: string][] = [
    ['plugwise-in', 'gateway', 'cfg-pw'],
    ['plugwise-control', 'gateway', 'cfg-pw'],
    ['plugwise-history', 'gateway', 'cfg-pw'],
    ['heating-command', 'account', 'cfg-hc'],
    ['thinknx-control', 'server', 'cfg-tx'],
    ['ems-history', 'server', 'cfg-ems'],
  ];
  const added: Record<string, string> = {};

  it('a new action node of each type takes the only config node of its type', async () => {
    const page = editor.page;
    for (const [i, [type, property, config]] of CONFIG_OF.entries()) {
      added[type] = await editor.addNode(type, 180 + (i % 2) * 330, 70 + i * 60);
      assert.equal(await page.inputValue(`#node-input-${property}`), config, `${type}: ${property}`);
      if (i === 0) await editor.shot('dialogs-01-only-gateway-chosen');
      await editor.closeDialog();
    }
  });

  it('Test connection names the hub as a user knows it: "Adam, firmware 3.9.0"', async () => {
    const page = editor.page;
    await editor.openNode(added['plugwise-in']!);
    await editor.editConfigNode('gateway');
    await page.click('#node-config-plugwise-test');
    const result = page.locator('#node-config-plugwise-test-result');
    await result.filter({ hasText: /Connected|✗/ }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /Connected: Adam, firmware 3\.9\.0/);
    // The poll placeholder is shown whole, and the timeout shows its default.
    assert.equal(await page.getAttribute('#node-config-input-timeout', 'placeholder'), '10');
    const poll = await page.$eval('#node-config-input-pollInterval', (el) => {
      const input = el as HTMLInputElement;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(input).font;
      probe.textContent = input.placeholder;
      document.body.appendChild(probe);
      const text = probe.getBoundingClientRect().width;
      probe.remove();
      return { text, room: input.clientWidth - parseFloat(getComputedStyle(input).paddingLeft) - parseFloat(getComputedStyle(input).paddingRight) };
    });
    assert.ok(poll.text <= poll.room, `the "Poll every" placeholder fits (${poll.text} px in ${poll.room} px)`);
    await editor.shot('dialogs-02-plugwise-gateway-test');
    await page.click('#node-config-dialog-cancel');
    await editor.closeDialog(false);
  });

  /** Labels of a dialog that wrap onto a second line. */
  const wrapped = (page: Page): Promise<string[]> =>
    page.$$eval('.red-ui-tray:last-of-type .form-row > label:visible, .red-ui-tray .form-row > label', (labels) =>
      labels
        .filter((l) => (l as HTMLElement).offsetParent !== null && (l.textContent ?? '').trim())
        .filter((l) => {
          const lh = parseFloat(getComputedStyle(l).lineHeight) || 20;
          return l.getBoundingClientRect().height > lh * 1.5;
        })
        .map((l) => (l.textContent ?? '').trim()),
    );

  it('config dialogs show the default timeout when it is left blank, and no label wraps', async () => {
    const page = editor.page;
    for (const [type, property, placeholder] of [['heating-command', 'account', '15'], ['thinknx-control', 'server', '10'], ['ems-history', 'server', '20']] as const) {
      await editor.openNode(added[type]!);
      assert.deepEqual(await wrapped(page), [], `${type}: labels on one line`);
      await editor.editConfigNode(property);
      assert.equal(await page.inputValue('#node-config-input-timeout'), '');
      assert.equal(await page.getAttribute('#node-config-input-timeout', 'placeholder'), placeholder, `${type}'s config node`);
      assert.deepEqual(await wrapped(page), [], `${type}'s config node: labels on one line`);
      await editor.shot(`dialogs-03-${type}-config`);
      await page.click('#node-config-dialog-cancel');
      await editor.closeDialog(false);
    }
  });

  it('EMS signal picker entries say what the signal measures: its load, its index and its latest value', async () => {
    const page = editor.page;
    await editor.openNode(added['ems-history']!);
    await page.selectOption('#node-input-scope', 'signal');
    await page.waitForSelector('#node-input-uid option[value="100"]', { state: 'attached', timeout: 20_000 });
    assert.match(await page.locator('#node-input-uid option[value="100"]').innerText(), /^Main · signal 29 · now 2\d\d(\.\d+)? \(uid 100\)$/);
    assert.match(await page.locator('#node-input-uid option[value="106"]').innerText(), /^PV inverter · signal 30 · now [\d.]+ · disabled \(uid 106\)$/);
    await page.selectOption('#node-input-uid', '103');
    await editor.shot('dialogs-04-ems-signals');
    await editor.closeDialog();
    // The label keeps what the signal is, not a reading that will be stale.
    const label = await page.locator(`[id="${added['ems-history']!}"] .red-ui-flow-node-label`).textContent();
    assert.equal(label, 'history Heat pump · signal 29');
  });

  it('heating-command: a param outside its limits turns red in the dialog, marks the node invalid and Deploy warns; fixed, it is valid', async () => {
    const page = editor.page;
    const id = added['heating-command']!;
    const heater = sims.heating.devices[0]!;
    await editor.openNode(id);
    await page.waitForSelector(`#node-input-device option[value="${heater.info.id}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-device', heater.info.id);
    await page.selectOption('#node-input-operation', 'command');
    await page.waitForSelector('#node-input-command option[value="setTemperature"]', { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-command', 'setTemperature');
    const temperature = page.locator('#hc-params input[data-param="temperature"]');
    await temperature.fill('40');
    await temperature.blur();
    await page.locator('#hc-params input[data-param="temperature"].input-error').waitFor({ timeout: 5000 });
    assert.match(await page.locator('#hc-params .hc-problem').first().innerText(), /temperature 40 is above the maximum 35/);
    await editor.shot('dialogs-05-heating-param-out-of-range');
    await editor.closeDialog();

    // The node is labelled with the heater's name, and is invalid: the red triangle, and Deploy warns.
    const node = page.locator(`[id="${id}"]`);
    assert.equal(await node.locator('.red-ui-flow-node-label').textContent(), `${heater.info.name}: setTemperature`);
    await node.locator('.red-ui-flow-node-error:not(.hide)').waitFor({ state: 'attached', timeout: 5000 });
    assert.equal(await page.evaluate((nid) => (globalThis as unknown as { RED: PageRED }).RED.nodes.node(nid)?.valid, id), false);
    await page.click('#red-ui-header-button-deploy');
    const warning = page.locator('.red-ui-notification').filter({ hasText: /not properly configured|invalid/i });
    await warning.waitFor({ timeout: 10_000 });
    await editor.shot('dialogs-06-deploy-warns');
    await warning.locator('button', { hasText: /cancel/i }).first().click();

    await editor.openNode(id);
    await page.waitForSelector('#hc-params input[data-param="temperature"]', { timeout: 20_000 });
    assert.equal(await temperature.inputValue(), '40', 'the stored value is shown again');
    await temperature.fill('21.5');
    await temperature.blur();
    await page.locator('#hc-params input[data-param="temperature"]:not(.input-error)').waitFor({ timeout: 5000 });
    await editor.closeDialog();
    assert.equal(await page.evaluate((nid) => (globalThis as unknown as { RED: PageRED }).RED.nodes.node(nid)?.valid, id), true);
    await node.locator('.red-ui-flow-node-error.hide').waitFor({ state: 'attached', timeout: 5000 });
  });

  it('a value in thinknx-control: an inject without payload switches the light on, and the status says so', async () => {
    const page = editor.page;
    await page.evaluate(() =>
      (globalThis as unknown as { RED: PageRED }).RED.view.importNodes([
        { id: 'inj-v', type: 'inject', z: 'tab1', name: 'button', props: [{ p: 'topic', vt: 'str' }], topic: 'button', repeat: '', once: false, x: 160, y: 480, wires: [['knx-v']] },
        { id: 'knx-v', type: 'thinknx-control', z: 'tab1', server: 'cfg-tx', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1', value: 'true', valueType: 'bool', x: 420, y: 480, wires: [[]] },
        { id: 'knx-long', type: 'thinknx-control', z: 'tab1', server: 'cfg-tx', capability: 'heightlevel', guid: 'blind-in-the-first-floor-guest-bathroom-north-window', value: '40', valueType: 'num', x: 420, y: 560, wires: [[]] },
      ], { generateIds: false, touchImport: true }),
    );
    const [ids] = await page.evaluate(() => {
      const out: string[] = [];
      (globalThis as unknown as { RED: PageRED }).RED.nodes.eachNode((n) => {
        if (n.type === 'inject' || String(n.type).startsWith('thinknx-control')) out.push(String(n.id));
      });
      return [out];
    });
    assert.ok(ids.length >= 3);
    await editor.openNode('knx-v');
    assert.equal(await page.inputValue('#node-input-valueType'), 'bool');
    await editor.shot('dialogs-07-thinknx-value');
    const typed = page.locator('.form-row:has(#node-input-value) .red-ui-typedInput-container');
    assert.equal(await typed.isVisible(), true, 'the value is a typed input');
    assert.match(await typed.innerText(), /true/);
    await editor.closeDialog();
    assert.equal(await page.locator('[id="knx-v"] .red-ui-flow-node-label').textContent(), 'power kitchen-light true');
    // A long automatic label ends in an ellipsis instead of running over the wires.
    const long = String(await page.locator('[id="knx-long"] .red-ui-flow-node-label').textContent());
    assert.ok(long.length <= 36 && long.endsWith('…'), long);

    await editor.deploy();
    await page.locator('.red-ui-notification', { hasText: /not properly configured|invalid/i }).waitFor({ state: 'detached', timeout: 2000 }).catch(() => undefined);
    await editor.clickInject('inj-v');
    const text = await editor.waitGreen('knx-v');
    assert.match(text, /^switched on · \d\d:\d\d:\d\d$/);
    assert.equal(sims.thinknx.device('kitchen-light').state.power, 1);
    await editor.shot('dialogs-08-thinknx-switched-on');
  });

  it('palette and workspace: one clear colour per vendor, plugwise-control\'s icon on the left', async () => {
    const page = editor.page;
    const fills = await page.evaluate(() => {
      const out: Record<string, string[]> = {};
      document.querySelectorAll('#red-ui-palette-container .red-ui-palette-node').forEach((el) => {
        const type = el.getAttribute('data-palette-type') ?? '';
        if (!/^(plugwise|heating|thinknx|ems)-/.test(type)) return;
        (out[type] ??= []).push(getComputedStyle(el).backgroundColor);
      });
      return out;
    });
    const vendorOf = (type: string): string => type.split('-')[0]!;
    const colours: Record<string, Set<string>> = {};
    for (const [type, [c]] of Object.entries(fills)) (colours[vendorOf(type)] ??= new Set()).add(String(c));
    for (const [vendor, set] of Object.entries(colours)) assert.equal(set.size, 1, `${vendor}: one colour (${[...set].join(', ')})`);
    const rgb = (c: string): number[] => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    const vendors = Object.keys(colours);
    assert.equal(vendors.length, 4);
    for (let a = 0; a < vendors.length; a++) {
      for (let b = a + 1; b < vendors.length; b++) {
        const [x, y] = [rgb([...colours[vendors[a]!]!][0]!), rgb([...colours[vendors[b]!]!][0]!)];
        const distance = Math.hypot(x[0]! - y[0]!, x[1]! - y[1]!, x[2]! - y[2]!);
        assert.ok(distance > 60, `${vendors[a]} and ${vendors[b]} are told apart (distance ${Math.round(distance)})`);
      }
    }
    const control = page.locator(`[id="${added['plugwise-control']!}"]`);
    assert.equal(await control.locator('.red-ui-flow-node-icon-group-right').count(), 0, 'icon on the left');
    await page.locator('#red-ui-palette-container').screenshot({ path: `${SCREENSHOTS}/dialogs-09-palette.png` });
    await editor.shot('dialogs-10-workspace');
  });

  it('the help shows its code whole', async () => {
    const page = editor.page;
    for (const type of ['thinknx-control', 'plugwise-control', 'heating-command', 'ems-history']) {
      await editor.showHelp(type);
      const cut = await page.$$eval('.red-ui-help pre, .red-ui-help code', (els) =>
        els.filter((e) => (e as HTMLElement).offsetParent !== null && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible').map((e) => (e.textContent ?? '').slice(0, 40)),
      );
      assert.ok((await page.locator('.red-ui-help pre:visible, .red-ui-help code:visible').count()) > 0, `${type}: its help has code`);
      assert.deepEqual(cut, [], `${type}: no code line cut off`);
      await editor.shot(`dialogs-11-help-${type}`);
    }
  });
});
