import assert from 'node:assert/strict';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { EditorSession, SCREENSHOTS } from './editor';

const CREDS = { clientId: 'browser-client', clientSecret: 'Brwsr-Secret-8841' };

describe('editor (headless Chromium): HeatingControl', function () {
  this.timeout(180_000);
  const editor = new EditorSession();
  let sim: HeatingSimulator;
  let command = '';

  before(async () => {
    sim = new HeatingSimulator({ ...CREDS, homeCount: 2, deviceCount: 4 });
    await sim.start();
    await editor.start('heatingcontrol');
    console.log(`      screenshots: ${SCREENSHOTS}`);
  });

  after(async () => {
    await editor.stop();
    await sim.stop();
  });

  it('adds an account with credentials, tests it, picks a home and a heater, deploys, and an inject turns the node green', async () => {
    const page = editor.page;
    const home = sim.homes[0]!;
    const heater = sim.devices.find((d) => d.info.homeId === home.id)!;
    const inject = await editor.addNode('inject', 150, 120);
    await editor.closeDialog();
    command = await editor.addNode('heating-command', 420, 120);
    assert.equal(await page.inputValue('#node-input-operation'), 'state');
    await editor.shot('heatingcontrol-01-command-dialog');

    await editor.addConfigNode('account');
    await page.waitForSelector('#node-config-input-baseUrl', { state: 'visible' });
    await page.fill('#node-config-input-name', 'Browser heaters');
    await page.fill('#node-config-input-baseUrl', sim.url);
    await page.fill('#node-config-input-clientId', CREDS.clientId);
    await page.fill('#node-config-input-clientSecret', CREDS.clientSecret);
    await page.click('#node-config-heatingcontrol-test');
    const result = page.locator('#node-config-heatingcontrol-test-result');
    await result.filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /2 home\(s\), 4 device\(s\)/);
    await editor.shot('heatingcontrol-02-account-test-connection');
    await page.click('#node-config-dialog-ok');

    // Homes and heaters come from the account before anything is deployed; a home filters the heaters.
    await page.waitForSelector(`#node-input-homeId option[value="${home.id}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-homeId', home.id);
    const listed = async (): Promise<string[]> => page.$$eval('#node-input-device option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const inHome = sim.devices.filter((d) => d.info.homeId === home.id).map((d) => d.info.id).sort();
    for (let i = 0; i < 100 && JSON.stringify((await listed()).sort()) !== JSON.stringify(inHome); i++) await page.waitForTimeout(100);
    assert.deepEqual((await listed()).sort(), inHome, 'only the heaters of the chosen home');
    await page.selectOption('#node-input-device', heater.info.id);
    await editor.shot('heatingcontrol-03-heater-picked');
    await editor.closeDialog();
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: `${heater.info.name}: state` }).waitFor({ timeout: 5000 });

    await editor.wire(inject, command);
    await editor.deploy();
    await editor.clickInject(inject);
    const text = await editor.waitGreen(command);
    assert.match(text, /°C/, 'the status shows the heater temperature');
    await editor.shot('heatingcontrol-04-deployed-green');
    assert.ok(!editor.log.includes(CREDS.clientSecret), 'the client secret is not in the Node-RED log');
  });

  it('reopening the node shows the saved home and heater', async () => {
    const page = editor.page;
    const heater = sim.devices[0]!;
    await editor.openNode(command);
    assert.equal(await page.inputValue('#node-input-homeId'), sim.homes[0]!.id);
    assert.equal(await page.inputValue('#node-input-device'), heater.info.id);
    // Once the list is in, the saved heater is still chosen, under its name.
    await page.waitForSelector(`#node-input-device option[value="${heater.info.id}"]`, { state: 'attached' });
    await page.locator('#node-input-device-message').filter({ hasText: /^$/ }).waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await page.inputValue('#node-input-device'), heater.info.id);
    assert.equal(await page.locator('#node-input-device option:checked').innerText(), String(heater.info.name));
    await editor.shot('heatingcontrol-05-reopened');
    await editor.closeDialog(false);
  });

  it('filtering by another home keeps the saved heater under its name, "(not in this home)", not "not listed by the account"', async () => {
    const page = editor.page;
    const heater = sim.devices[0]!;
    const other = sim.homes.find((h) => h.id !== heater.info.homeId)!;
    await editor.openNode(command);
    await page.waitForSelector(`#node-input-homeId option[value="${other.id}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-homeId', other.id);
    const chosen = page.locator('#node-input-device option:checked');
    await chosen.filter({ hasText: 'not in this home' }).waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await chosen.innerText(), `${heater.info.name} (not in this home)`);
    assert.equal(await page.inputValue('#node-input-device'), heater.info.id, 'the saved heater stays chosen');
    await editor.shot('heatingcontrol-05b-other-home');
    // All homes: the heater is listed again, under its name alone.
    await page.selectOption('#node-input-homeId', '');
    await chosen.filter({ hasNotText: 'not in this home' }).waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await chosen.innerText(), String(heater.info.name));
    await editor.closeDialog(false);
  });

  it("the command and setting pickers list the heater's own, and the params form follows the command schema", async () => {
    const page = editor.page;
    await editor.openNode(command);
    await page.selectOption('#node-input-operation', 'command');
    await page.waitForSelector('#node-input-command option[value="setMode"]', { state: 'attached', timeout: 20_000 });
    const commands = await page.$$eval('#node-input-command option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    assert.deepEqual(commands.sort(), ['boost', 'identify', 'setMode', 'setTemperature']);
    await page.selectOption('#node-input-command', 'setMode');
    const mode = page.locator('#hc-params select[data-param="mode"]');
    await mode.waitFor();
    assert.deepEqual(await mode.locator('option').allInnerTexts(), ['(not set)', 'auto', 'manual', 'off']);
    const temperature = page.locator('#hc-params input[data-param="temperature"]');
    assert.equal(await temperature.getAttribute('min'), '5');
    assert.equal(await temperature.getAttribute('max'), '35');
    assert.equal(await temperature.getAttribute('step'), '0.5');
    await editor.shot('heatingcontrol-06-command-params');

    await page.selectOption('#node-input-operation', 'setSetting');
    await page.waitForSelector('#node-input-setting option[value="keyboard_locked"]', { state: 'attached', timeout: 20_000 });
    await page.selectOption('#node-input-setting', 'keyboard_locked');
    assert.match(await page.locator('#hc-setting-hint').innerText(), /boolean/);
    await editor.shot('heatingcontrol-07-setting-picker');
    await editor.closeDialog(false);
  });

  it('after the deploy, Test connection in the reopened config node uses the stored password', async () => {
    const page = editor.page;
    await editor.openNode(command);
    await editor.editConfigNode('account');
    // The editor holds a placeholder, not the password: the server uses the one it stored.
    assert.equal(await page.inputValue('#node-config-input-clientSecret'), '__PWRD__');
    await page.click('#node-config-heatingcontrol-test');
    const result = page.locator('#node-config-heatingcontrol-test-result');
    await result.filter({ hasText: /Connected|✗/ }).waitFor({ timeout: 20_000 });
    assert.match(await result.innerText(), /2 home\(s\)/);
    await page.click('#node-config-dialog-cancel');
    await editor.closeDialog(false);
  });

  it('the help of both nodes says what they do, their inputs and outputs', async () => {
    const account = await editor.showHelp('heating-account');
    assert.match(account, /Test connection/);
    const help = await editor.showHelp('heating-command');
    assert.match(help, /Inputs[\s\S]*Outputs[\s\S]*Example/);
    await editor.shot('heatingcontrol-08-help');
  });
});
