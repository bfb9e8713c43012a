import assert from 'node:assert/strict';
import { EmsSimulator } from '../simulators/ems';
import { EditorSession, SCREENSHOTS } from './editor';

const USER = 'browser-api';
const PASSWORD = 'Ems-Brwsr-Pass-63';

describe('editor (headless Chromium): EMS', function () {
  this.timeout(180_000);
  const editor = new EditorSession();
  let sim: EmsSimulator;
  let history = '';

  before(async () => {
    sim = new EmsSimulator({ username: USER, password: PASSWORD });
    await sim.start();
    await editor.start('ems');
    console.log(`      screenshots: ${SCREENSHOTS}`);
  });

  after(async () => {
    await editor.stop();
    await sim.stop();
  });

  const options = (select: string): Promise<string[]> =>
    editor.page.$$eval(`${select} option`, (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));

  it('adds a server with credentials, tests it, picks a signal, deploys, and an inject turns the node green', async () => {
    const page = editor.page;
    const inject = await editor.addNode('inject', 150, 120);
    await editor.closeDialog();
    history = await editor.addNode('ems-history', 420, 120);
    assert.equal(await page.inputValue('#node-input-operation'), 'history');
    assert.equal(await page.inputValue('#node-input-scope'), 'all');
    assert.equal(await page.locator('#node-input-uid').isVisible(), false, 'no resource to pick for scope all');
    await editor.shot('ems-01-history-dialog');

    await editor.addConfigNode('server');
    await page.waitForSelector('#node-config-input-baseUrl', { state: 'visible' });
    await page.fill('#node-config-input-name', 'Browser EMS');
    await page.fill('#node-config-input-baseUrl', sim.url);
    await page.fill('#node-config-input-username', USER);
    await page.fill('#node-config-input-password', PASSWORD);
    await page.click('#node-config-ems-test');
    const result = page.locator('#node-config-ems-test-result');
    await result.filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /EMS Webapi 1\.8\.2, logged in, 2 devices/);
    await editor.shot('ems-02-server-test-connection');
    await page.click('#node-config-dialog-ok');

    // Scope "one load": the loads come from the gateway; "one signal": its signals.
    await page.selectOption('#node-input-scope', 'load');
    await page.waitForSelector('#node-input-uid option[value="3"]', { state: 'attached', timeout: 20_000 });
    assert.deepEqual(await options('#node-input-uid'), ['2', '3', '60']);
    assert.match(await page.locator('#node-input-uid option[value="3"]').innerText(), /Heat pump/);
    await page.selectOption('#node-input-scope', 'signal');
    await page.waitForSelector('#node-input-uid option[value="105"]', { state: 'attached', timeout: 20_000 });
    assert.deepEqual(await options('#node-input-uid'), ['100', '101', '102', '103', '104', '105', '106']);
    await page.selectOption('#node-input-uid', '103');
    await page.fill('#node-input-range', '6h');
    await editor.shot('ems-03-signal-picked');
    await editor.closeDialog();

    await editor.wire(inject, history);
    await editor.deploy();
    await editor.clickInject(inject);
    const text = await editor.waitGreen(history);
    // 6 hours of one signal at one record a minute.
    assert.match(text, /^1 series · 36[01] points/);
    await editor.shot('ems-04-deployed-green');
    assert.ok(!editor.log.includes(PASSWORD), 'the password is not in the Node-RED log');
  });

  it('reopening the node shows the saved scope and signal', async () => {
    const page = editor.page;
    await editor.openNode(history);
    assert.equal(await page.inputValue('#node-input-scope'), 'signal');
    assert.equal(await page.inputValue('#node-input-uid'), '103');
    await page.waitForSelector('#node-input-uid option[value="105"]', { state: 'attached', timeout: 20_000 });
    assert.equal(await page.inputValue('#node-input-uid'), '103', 'still the saved signal once the list is in');
    assert.equal(await page.inputValue('#node-input-range'), '6h');
    await editor.shot('ems-05-reopened');
    await editor.closeDialog(false);
  });

  it('refuses a bad range and uid filter in the dialog', async () => {
    const page = editor.page;
    await editor.openNode(history);
    await page.fill('#node-input-range', 'yesterday');
    await page.fill('#node-input-uids', '100, abc');
    await page.locator('#node-input-name').focus();
    await page.locator('#node-input-range.input-error').waitFor({ timeout: 5000 });
    await page.locator('#node-input-uids.input-error').waitFor({ timeout: 5000 });
    await editor.shot('ems-06-validation');
    await editor.closeDialog(false);
  });

  it('after the deploy, Test connection in the reopened config node uses the stored password', async () => {
    const page = editor.page;
    await editor.openNode(history);
    await editor.editConfigNode('server');
    // The editor holds a placeholder, not the password: the server uses the one it stored.
    assert.equal(await page.inputValue('#node-config-input-password'), '__PWRD__');
    await page.click('#node-config-ems-test');
    const result = page.locator('#node-config-ems-test-result');
    await result.filter({ hasText: /Connected|✗/ }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /EMS Webapi 1\.8\.2/);
    await page.click('#node-config-dialog-cancel');
    await editor.closeDialog(false);
  });

  it('the help of both nodes says what they do, their inputs and outputs', async () => {
    assert.match(await editor.showHelp('ems-server'), /Test connection/);
    assert.match(await editor.showHelp('ems-history'), /Inputs[\s\S]*Outputs[\s\S]*Example/);
    await editor.shot('ems-07-help');
  });
});
