/**
 * The plugwise-gateway dialog's "Search the network" (issue 15, item 9): the hubs a multicast DNS responder
 * announces are listed with model, firmware and address; a click fills in the host and port.
 */
import assert from 'node:assert/strict';
import { MDNS_GROUP, loopbackMulticast, startMdnsResponder, type MdnsResponder } from '../simulators/mdns';
import { EditorSession } from './editor';

const PORT = 16353 + (process.pid % 1000);

describe('editor (headless Chromium): Plugwise network search', function () {
  this.timeout(120_000);
  const editor = new EditorSession();
  let responder: MdnsResponder | undefined;

  before(async function () {
    if (!loopbackMulticast()) {
      console.log('      not run: loopback multicast is off and cannot be switched on here (needs root: ip link set lo multicast on)');
      this.skip();
    }
    responder = await startMdnsResponder(PORT, [
      { name: 'smile0a1b2c', product: 'smile_open_therm', version: '3.7.8', address: '127.0.0.1', port: 8081 },
      { name: 'smile9f8e7d', product: 'smile_thermo', version: '4.0.15', address: '127.0.0.2' },
    ]);
    await editor.start('plugwise-discover', (red) =>
      red.start('plugwise-discover', { logLevel: 'warn', extraSettings: `  plugwiseDiscovery: { interface: '127.0.0.1', port: ${PORT}, bind: '${MDNS_GROUP}' },` }),
    );
  });

  after(async () => {
    await editor.stop();
    await responder?.stop();
  });

  it('lists the hubs that answer and fills in the one clicked', async () => {
    const page = editor.page;
    await editor.addNode('plugwise-in', 300, 200);
    await editor.addConfigNode('gateway');
    await page.click('#node-config-plugwise-discover');
    const found = page.locator('#node-config-plugwise-discover-result .eg-found-hub');
    await found.first().waitFor({ timeout: 15_000 });
    const texts = await found.allInnerTexts();
    assert.deepEqual(texts, ['Adam smile0a1b2c, firmware 3.7.8 — 127.0.0.1:8081', 'Anna smile9f8e7d, firmware 4.0.15 — 127.0.0.2']);
    await editor.shot('plugwise-05-network-search');
    await found.first().click();
    assert.equal(await page.inputValue('#node-config-input-host'), '127.0.0.1');
    assert.equal(await page.inputValue('#node-config-input-port'), '8081');
    assert.equal(await page.inputValue('#node-config-input-name'), 'Adam smile0a1b2c');
    assert.ok(responder!.queries() >= 1);
  });
});
