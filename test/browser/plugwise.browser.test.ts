import assert from 'node:assert/strict';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { EditorSession, SCREENSHOTS } from './editor';

const SMILE_ID = 'brwsr123';

describe('editor (headless Chromium): Plugwise', function () {
  this.timeout(180_000);
  const editor = new EditorSession();
  let sim: PlugwiseSimulator;
  let reader = '';

  before(async () => {
    sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID });
    await sim.start();
    await editor.start('plugwise');
    console.log(`      screenshots: ${SCREENSHOTS}`);
  });

  after(async () => {
    await editor.stop();
    await sim.stop();
  });

  it('adds a gateway with credentials, tests it, picks an entity, deploys, and the status turns green', async () => {
    const page = editor.page;
    reader = await editor.addNode('plugwise-in', 300, 200);
    await editor.shot('plugwise-01-in-dialog');

    // A new gateway, from the config node's pencil button.
    await editor.addConfigNode('gateway');
    await page.waitForSelector('#node-config-input-host', { state: 'visible' });
    await page.fill('#node-config-input-name', 'Browser Adam');
    await page.fill('#node-config-input-host', '127.0.0.1');
    await page.fill('#node-config-input-port', String(sim.port));
    await page.fill('#node-config-input-password', SMILE_ID);
    await page.click('#node-config-plugwise-test');
    const result = page.locator('#node-config-plugwise-test-result');
    await result.filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /Connected: Adam, firmware 3\.9\.0/);
    await editor.shot('plugwise-02-test-connection');
    await page.click('#node-config-dialog-ok');

    // The entity picker fills from the hub before anything is deployed.
    const zone = 'f2bf9048bef64cc5b6d5110154e33c81';
    await page.waitForSelector(`#node-input-entity option[value="${zone}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-entity', zone);
    await editor.shot('plugwise-03-entity-picked');
    await page.click('#node-dialog-ok');

    await editor.deploy();
    // The node's own poll reads the hub: no inject needed.
    const label = await editor.waitGreen(reader);
    assert.match(label, /Living room/);
    await editor.shot('plugwise-04-deployed-green');
    assert.ok(!editor.log.includes(SMILE_ID), 'the Smile ID is not in the Node-RED log');
  });

  it('reopening the node shows the saved entity, under its name', async () => {
    const page = editor.page;
    const zone = 'f2bf9048bef64cc5b6d5110154e33c81';
    await editor.openNode(reader);
    assert.equal(await page.inputValue('#node-input-entity'), zone);
    assert.match(await page.locator('#node-input-entity option:checked').innerText(), /^Living room/);
    await page.waitForSelector('#node-input-entity option[value="29542b2b6a6a4169acecc15c72a599b8"]', { state: 'attached', timeout: 20_000 });
    assert.equal(await page.inputValue('#node-input-entity'), zone, 'still the saved entity once the list is in');
    await editor.shot('plugwise-04b-reopened');
    await editor.closeDialog(false);
  });

  it('a plugwise-control node offers only the actions of the picked entity, with its bounds', async () => {
    const page = editor.page;
    const control = await editor.addNode('plugwise-control', 300, 320);
    assert.match(String(await page.locator('.red-ui-tray-titlebar').first().textContent()), /plugwise control/);
    // The gateway added (and deployed) above; the entity list comes from it.
    await page.selectOption('#node-input-gateway', { label: 'Browser Adam' });
    const zone = 'f2bf9048bef64cc5b6d5110154e33c81';
    const plug = '29542b2b6a6a4169acecc15c72a599b8';
    await page.waitForSelector(`#node-input-entity option[value="${zone}"]`, { state: 'attached', timeout: 20_000 });
    const actions = (): Promise<string[]> => page.$$eval('#node-input-action option', (os) => os.map((o) => (o as HTMLOptionElement).value));

    await page.selectOption('#node-input-entity', zone);
    assert.deepEqual(await actions(), ['setpoint', 'preset', 'schedule', 'zoneProfile']);
    assert.equal(await page.inputValue('#node-input-action'), 'setpoint');
    assert.match(await page.locator('#node-input-action-hint').innerText(), /from 1 to 35 °C, in steps of 0\.01/);
    await page.selectOption('#node-input-action', 'preset');
    assert.match(await page.locator('#node-input-action-hint').innerText(), /vacation, no_frost, asleep, home, away/);
    await editor.shot('plugwise-05-control-zone-actions');

    await page.selectOption('#node-input-entity', plug);
    assert.deepEqual(await actions(), ['relay', 'lock']);
    assert.equal(await page.inputValue('#node-input-action'), 'relay', 'a new entity starts on its first action');
    await editor.shot('plugwise-06-control-plug-actions');
    await page.click('#node-dialog-ok');
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: 'Plug Thermex Boiler: relay' }).waitFor({ timeout: 5000 });

    // Reopened, it shows the saved entity and action before and after the hub answers.
    await editor.openNode(control);
    assert.equal(await page.inputValue('#node-input-entity'), plug);
    assert.equal(await page.inputValue('#node-input-action'), 'relay');
    await page.waitForSelector(`#node-input-entity option[value="${zone}"]`, { state: 'attached', timeout: 20_000 });
    assert.equal(await page.inputValue('#node-input-entity'), plug);
    assert.deepEqual(await actions(), ['relay', 'lock']);
    assert.equal(await page.inputValue('#node-input-action'), 'relay');
    await editor.closeDialog(false);
  });

  it('after the deploy, Test connection in the reopened gateway uses the stored Smile ID', async () => {
    const page = editor.page;
    await editor.openNode(reader);
    await editor.editConfigNode('gateway');
    // The editor holds a placeholder, not the Smile ID: the server uses the one it stored.
    assert.equal(await page.inputValue('#node-config-input-password'), '__PWRD__');
    await page.click('#node-config-plugwise-test');
    const result = page.locator('#node-config-plugwise-test-result');
    await result.filter({ hasText: /Connected|✗/ }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /Connected: Adam, firmware 3\.9\.0/);
    await page.click('#node-config-dialog-cancel');
    await editor.closeDialog(false);
  });

  it('the help of the three nodes says what they do, their inputs and outputs', async () => {
    assert.match(await editor.showHelp('plugwise-gateway'), /Test connection/);
    assert.match(await editor.showHelp('plugwise-in'), /Inputs[\s\S]*Outputs[\s\S]*Example/);
    assert.match(await editor.showHelp('plugwise-control'), /Inputs[\s\S]*Outputs[\s\S]*Example/);
    await editor.shot('plugwise-07-help');
  });
});
