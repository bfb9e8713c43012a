import assert from 'node:assert/strict';
import { ThinknxSimulator } from '../simulators/thinknx';
import { EditorSession, SCREENSHOTS } from './editor';

const USER = 'browser';
const PASSWORD = 'Knx-Brwsr-Pass-72';
const KEY = 'BRWSRKEY7731thinknx';

describe('editor (headless Chromium): Thinknx', function () {
  this.timeout(180_000);
  const editor = new EditorSession();
  let sim: ThinknxSimulator;
  let control = '';

  before(async () => {
    sim = new ThinknxSimulator({ username: USER, password: PASSWORD, keys: [KEY] });
    await sim.start();
    await editor.start('thinknx');
    console.log(`      screenshots: ${SCREENSHOTS}`);
  });

  after(async () => {
    await editor.stop();
    await sim.stop();
  });

  const visible = (row: string): Promise<boolean> => editor.page.locator(`#node-input-row-${row}`).isVisible();

  it('adds a server with credentials, tests it, picks a capability, deploys, and an inject turns the node green', async () => {
    const page = editor.page;
    const inject = await editor.addNode('inject', 150, 120);
    await editor.closeDialog();
    control = await editor.addNode('thinknx-control', 420, 120);
    assert.equal(await page.inputValue('#node-input-capability'), 'power');
    assert.match(await page.locator('#node-input-capability-help').innerText(), /on or off/);
    await editor.shot('thinknx-01-control-dialog');

    await editor.addConfigNode('server');
    await page.waitForSelector('#node-config-input-host', { state: 'visible' });
    // Cloud mode swaps the host fields for the cloud URL and the Integration Kit key.
    await page.selectOption('#node-config-input-mode', 'cloud');
    assert.equal(await page.locator('#node-config-input-key').isVisible(), true);
    assert.equal(await page.locator('#node-config-input-host').isVisible(), false);
    await editor.shot('thinknx-02-server-cloud-mode');
    await page.selectOption('#node-config-input-mode', 'local');
    await page.fill('#node-config-input-name', 'Browser Thinknx');
    await page.fill('#node-config-input-host', '127.0.0.1');
    await page.fill('#node-config-input-port', String(sim.port));
    assert.equal(await page.inputValue('#node-config-input-auth'), 'digest');
    await page.fill('#node-config-input-username', USER);
    await page.fill('#node-config-input-password', PASSWORD);
    await page.click('#node-config-thinknx-test');
    const result = page.locator('#node-config-thinknx-test-result');
    await result.filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /firmware 6\.2\.1\.4, 3 clients/);
    await editor.shot('thinknx-03-server-test-connection');
    await page.click('#node-config-dialog-ok');

    // The capability decides which fields the dialog asks for.
    await page.selectOption('#node-input-capability', 'knx');
    assert.deepEqual([await visible('guid'), await visible('group'), await visible('dpt')], [false, true, true]);
    await page.selectOption('#node-input-capability', 'temperature');
    assert.deepEqual([await visible('guid'), await visible('feedback'), await visible('group')], [true, false, false]);
    assert.match(await page.locator('#node-input-capability-help').innerText(), /get: actualtemp/);
    await page.fill('#node-input-guid', 'bath-thermostat');
    await editor.shot('thinknx-04-capability-picked');
    await editor.closeDialog();
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: 'temperature bath-thermostat' }).waitFor({ timeout: 5000 });

    await editor.wire(inject, control);
    await editor.deploy();
    await editor.clickInject(inject);
    const text = await editor.waitGreen(control);
    assert.match(text, /^[\d.]+ ?°C/);
    await editor.shot('thinknx-05-deployed-green');
    assert.ok(!editor.log.includes(PASSWORD), 'the password is not in the Node-RED log');
  });

  it('reopening the node shows the saved capability and GUID', async () => {
    const page = editor.page;
    await editor.openNode(control);
    assert.equal(await page.inputValue('#node-input-capability'), 'temperature');
    assert.equal(await page.inputValue('#node-input-guid'), 'bath-thermostat');
    assert.equal(await visible('feedback'), false);
    await editor.shot('thinknx-06-reopened');
    await editor.closeDialog(false);
  });

  it('refuses a bad group address in the dialog', async () => {
    const page = editor.page;
    await editor.openNode(control);
    await page.selectOption('#node-input-capability', 'knx');
    await page.fill('#node-input-group', '32/0/1');
    await page.locator('#node-input-group').blur();
    await page.locator('#node-input-group.input-error').waitFor({ timeout: 5000 });
    await page.fill('#node-input-group', '1/2/3');
    await page.locator('#node-input-group').blur();
    await page.locator('#node-input-group:not(.input-error)').waitFor({ timeout: 5000 });
    await editor.shot('thinknx-07-knx-group');
    await editor.closeDialog(false);
  });

  it('after the deploy, Test connection in the reopened config node uses the stored password', async () => {
    const page = editor.page;
    await editor.openNode(control);
    await editor.editConfigNode('server');
    // The editor holds a placeholder, not the password: the server uses the one it stored.
    assert.equal(await page.inputValue('#node-config-input-password'), '__PWRD__');
    await page.click('#node-config-thinknx-test');
    const result = page.locator('#node-config-thinknx-test-result');
    await result.filter({ hasText: /Connected|✗/ }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /firmware 6\.2\.1\.4/);
    await page.click('#node-config-dialog-cancel');
    await editor.closeDialog(false);
  });

  it('watch: shown only for a capability with a status, refused under 1 s, and a deployed watch turns green and follows the light', async () => {
    const page = editor.page;
    await editor.openNode(control);
    assert.equal(await visible('watch'), true, 'temperature has a status');
    for (const [cap, shown] of [['stop', false], ['knx', false], ['trigger', false], ['serverStatus', true], ['power', true]] as const) {
      await page.selectOption('#node-input-capability', cap);
      assert.equal(await visible('watch'), shown, cap);
    }
    await page.fill('#node-input-guid', 'kitchen-light');
    assert.equal(await page.getAttribute('#node-input-watch', 'placeholder'), 'off');
    await page.fill('#node-input-watch', '0.5');
    await page.locator('#node-input-watch').blur();
    await page.locator('#node-input-watch.input-error').waitFor({ timeout: 5000 });
    await page.fill('#node-input-watch', '1');
    await page.locator('#node-input-watch').blur();
    await page.locator('#node-input-watch:not(.input-error)').waitFor({ timeout: 5000 });
    await editor.shot('thinknx-08-watch');
    await editor.closeDialog();
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: 'power kitchen-light ↻ 1 s' }).waitFor({ timeout: 5000 });
    sim.device('kitchen-light').state.power = 0;
    await editor.deploy();
    // No inject pressed: the watch reads at deploy, then follows the light.
    const label = page.locator(`[id="${control}"] .red-ui-flow-node-status-label`);
    await label.filter({ hasText: /^off · / }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator(`[id="${control}"] .red-ui-flow-node-status-dot-green`).count(), 1);
    sim.device('kitchen-light').state.power = 1;
    await label.filter({ hasText: /^on · / }).waitFor({ timeout: 5000 });
    await editor.shot('thinknx-09-watch-deployed');
    // A capability without status: the hidden watch is not kept, so the node stays valid.
    await editor.openNode(control);
    await page.selectOption('#node-input-capability', 'stop');
    await editor.closeDialog();
    const saved = await page.evaluate((id) => {
      const n = (globalThis as unknown as { RED: { nodes: { node(id: string): { watch?: unknown; valid?: boolean } } } }).RED.nodes.node(id);
      return { watch: n.watch, valid: n.valid };
    }, control);
    assert.deepEqual(saved, { watch: '', valid: true });
  });

  it('the help of both nodes says what they do, their inputs and outputs', async () => {
    assert.match(await editor.showHelp('thinknx-server'), /Test connection/);
    assert.match(await editor.showHelp('thinknx-control'), /Inputs[\s\S]*Outputs[\s\S]*Example/);
    await editor.shot('thinknx-10-help');
  });
});
