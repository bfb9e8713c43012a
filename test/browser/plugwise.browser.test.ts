import assert from 'node:assert/strict';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { EditorSession, SCREENSHOTS } from './editor';

const SMILE_ID = 'brwsr123';

describe('editor (headless Chromium): Plugwise', function () {
  this.timeout(180_000);
  const editor = new EditorSession();
  let sim: PlugwiseSimulator;

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
    await editor.addNode('plugwise-in', 300, 200);
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
    assert.match(await result.innerText(), /smile_open_therm.*3\.9\.0/);
    await editor.shot('plugwise-02-test-connection');
    await page.click('#node-config-dialog-ok');

    // The entity picker fills from the hub before anything is deployed.
    const zone = 'f2bf9048bef64cc5b6d5110154e33c81';
    await page.waitForSelector(`#node-input-entity option[value="${zone}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-entity', zone);
    await editor.shot('plugwise-03-entity-picked');
    await page.click('#node-dialog-ok');

    await editor.deploy();
    const green = page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-dot-green');
    await green.first().waitFor({ timeout: 30_000 });
    const label = await page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label').first().textContent();
    assert.match(String(label), /Living room/);
    await editor.shot('plugwise-04-deployed-green');
    assert.ok(!editor.log.includes(SMILE_ID), 'the Smile ID is not in the Node-RED log');
  });
});
