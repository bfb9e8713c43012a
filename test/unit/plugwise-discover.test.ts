/**
 * "Search the network" (issue 15, item 9): Smiles announcing `_plugwise._tcp` over multicast DNS are found
 * with their model, firmware and address; other services and silence give nothing; a stopped search ends.
 */
import assert from 'node:assert/strict';
import { discoverHubs } from '../../src/vendors/plugwise/discover';
import { MDNS_GROUP, loopbackMulticast, startMdnsResponder, type MdnsResponder } from '../simulators/mdns';

const PORT = 15353 + (process.pid % 1000);
const on = { port: PORT, interface: '127.0.0.1', bind: MDNS_GROUP };

describe('Plugwise hubs found over multicast DNS', function () {
  this.timeout(20_000);
  const responders: MdnsResponder[] = [];

  before(function () {
    if (!loopbackMulticast()) {
      console.log('      not run: loopback multicast is off and cannot be switched on here (needs root: ip link set lo multicast on)');
      this.skip();
    }
  });
  afterEach(async () => {
    await Promise.all(responders.splice(0).map((r) => r.stop()));
  });

  it('lists each hub with its model, firmware, address and port', async () => {
    responders.push(
      await startMdnsResponder(PORT, [
        { name: 'smile123456', product: 'smile_open_therm', version: '3.7.8', address: '127.0.0.1' },
        { name: 'smile654321', product: 'smile', version: '4.4.2', address: '127.0.0.2', port: 8080 },
        { name: 'stretch000111', product: 'stretch', version: '3.1.11', address: '127.0.0.3' },
      ]),
    );
    const hubs = await discoverHubs({ ...on, timeoutMs: 1500 });
    assert.deepEqual(hubs, [
      { name: 'smile123456', model: 'adam', label: 'Adam', firmware: '3.7.8', host: '127.0.0.1', port: 80 },
      { name: 'smile654321', model: 'p1', label: 'Smile P1', firmware: '4.4.2', host: '127.0.0.2', port: 8080 },
      { name: 'stretch000111', model: 'stretch', label: 'Stretch', firmware: '3.1.11', host: '127.0.0.3', port: 80 },
    ]);
    assert.ok(responders[0]!.queries() >= 1);
  });

  it('ignores other services, and finds nothing when nothing answers', async () => {
    responders.push(await startMdnsResponder(PORT, [{ name: 'printer', product: 'smile', version: '1', address: '127.0.0.9' }], '_ipp._tcp.local'));
    const started = Date.now();
    assert.deepEqual(await discoverHubs({ ...on, timeoutMs: 800 }), []);
    assert.ok(Date.now() - started < 3000, 'the search ends at its time');
  });

  it('a stopped search ends at once with TIMEOUT', async () => {
    const controller = new AbortController();
    const search = discoverHubs({ ...on, timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await assert.rejects(search, (err: { code?: string }) => err.code === 'TIMEOUT');
    assert.ok(Date.now() - started < 2000);
  });
});
