/**
 * What a Plugwise client sends per update, per hub type: python-plugwise 1.14.1's schedule
 * (smile.py / legacy/smile.py `async_update`, see test/fixtures/plugwise/SOURCE.md "What python-plugwise
 * reads"), one request in flight at a time. A real PlugwiseClient against a small HTTP server that serves a
 * dump's files and counts the requests in flight; the client's clock is set per read.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PlugwiseClient } from '../../src/vendors/plugwise/client';
import { PLUGWISE_DUMP_FILES } from '../simulators/plugwise';

const ROOT = path.join(__dirname, '..', 'fixtures', 'plugwise');
const FILES = PLUGWISE_DUMP_FILES;

interface Hub {
  port: number;
  asked: string[];
  maxInFlight: number;
  close(): Promise<void>;
}

async function serveDump(name: string, delayMs = 5): Promise<Hub> {
  let inFlight = 0;
  const hub = { asked: [] as string[], maxInFlight: 0 } as Hub;
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    hub.maxInFlight = Math.max(hub.maxInFlight, inFlight);
    const p = (req.url ?? '/').split('?')[0];
    hub.asked.push(p);
    const file = FILES[p] && path.join(ROOT, name, FILES[p]);
    setTimeout(() => {
      inFlight -= 1;
      if (file === undefined || !existsSync(file)) {
        res.writeHead(404).end('404: Not Found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/xml' }).end(readFileSync(file, 'utf8'));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.port = (server.address() as AddressInfo).port;
  hub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return hub;
}

const DAY = 86_400_000;
const T0 = Date.parse('2022-05-16T08:00:00Z');

/** connect + first update at T0, a second update a minute later, a third the next day: what each sent. */
async function schedule(name: string, username = 'smile'): Promise<{ updates: string[][]; maxInFlight: number }> {
  const hub = await serveDump(name);
  let now = T0;
  const client = new PlugwiseClient({ host: '127.0.0.1', port: hub.port, username, password: 'abcdefgh', now: () => now });
  const updates: string[][] = [];
  try {
    for (const at of [T0, T0 + 60_000, T0 + DAY]) {
      now = at;
      const before = hub.asked.length;
      const snapshot = await client.read();
      assert.ok(Object.keys(snapshot.entities).length > 0);
      updates.push(hub.asked.slice(before));
    }
    return { updates, maxInFlight: hub.maxInFlight };
  } finally {
    await client.close();
    await hub.close();
  }
}

const DO = '/core/domain_objects';
const LOC = '/core/locations';
const MOD = '/core/modules';
const APP = '/core/appliances';

describe('plugwise polling: what python-plugwise sends per update, one request at a time', () => {
  const cases: Array<{ name: string; hub: string; username?: string; want: string[][] }> = [
    // connect reads domain_objects; the first update uses that body, every later one reads it again
    { name: 'adam_plus_anna_new', hub: 'Adam', want: [[DO], [DO], [DO]] },
    { name: 'anna_v4_dhw', hub: 'Anna', want: [[DO], [DO], [DO]] },
    { name: 'p1v4_442_single', hub: 'Smile P1', want: [[DO], [DO], [DO]] },
    // legacy: connect (domain_objects, /system, locations for the gateway id), a full update, 2 documents
    // the same day, a full update again on the next day
    { name: 'stretch_v31', hub: 'Stretch 3', username: 'stretch', want: [[DO, '/system', LOC, MOD, APP], [DO, APP], [DO, LOC, MOD, APP]] },
    { name: 'stretch_v27_no_domain', hub: 'Stretch 2.7', username: 'stretch', want: [[DO, MOD, '/system', LOC, APP], [DO, APP], [DO, LOC, MOD, APP]] },
    { name: 'legacy_anna', hub: 'Anna 1.8', want: [[DO, '/system', LOC, MOD, APP], [DO, APP], [DO, LOC, MOD, APP]] },
    { name: 'smile_p1_v2', hub: 'Smile P1 2.5', want: [[DO, '/system/status.xml', LOC, MOD], [DO, MOD], [DO, LOC, MOD]] },
  ];
  for (const c of cases) {
    it(`${c.hub} (${c.name}): ${c.want.map((u) => u.length).join(' / ')} requests`, async () => {
      const { updates, maxInFlight } = await schedule(c.name, c.username);
      assert.deepEqual(updates, c.want);
      assert.equal(maxInFlight, 1, 'at most one request in flight to the hub');
    });
  }

  it('concurrent reads still put one request at a time on the wire', async () => {
    const hub = await serveDump('stretch_v31', 10);
    const client = new PlugwiseClient({ host: '127.0.0.1', port: hub.port, username: 'stretch', password: 'abcdefgh', now: () => T0 });
    try {
      await Promise.all([client.read(), client.read(), client.read()]);
      assert.equal(hub.maxInFlight, 1);
    } finally {
      await client.close();
      await hub.close();
    }
  });
});
