/**
 * core/json.ts: nesting measured on the bytes (chunk by chunk, strings skipped), JSON parsed once, and
 * the reply caps and depth limit of the HTTP layer and of the JSON vendors (issue 13, item 3).
 */
import assert from 'node:assert/strict';
import { HttpClient } from '../../src/core/http';
import { MAX_JSON_DEPTH, JsonGauge, nestingOf, parseJson, tryParseJson } from '../../src/core/json';
import { EmsClient } from '../../src/vendors/ems';
import { MAX_REPLY_BYTES as EMS_MAX_REPLY_BYTES, pageReplyBytes } from '../../src/vendors/ems/client';
import { HeatingClient } from '../../src/vendors/heatingcontrol';
import { MAX_REPLY_BYTES as HC_MAX_REPLY_BYTES } from '../../src/vendors/heatingcontrol/client';
import { SimServer } from '../simulators/base';
import { EmsSimulator } from '../simulators/ems';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { ThinknxSimulator } from '../simulators/thinknx';
import { ThinknxClient, thinknxSettings } from '../../src/vendors/thinknx';
import { isCode } from './rig';

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const nestedObjects = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** A 1000-point EMS history page as the gateway sends it. */
function emsPage(points = 1000): string {
  const rec = (i: number): Record<string, number> => ({ uid: 100 + (i % 7), t: 1700000000 + i * 60, p: 1700000060 + i * 60, v: 12.34 + i, d: 0, max: 12.84, min: 11.84 });
  return JSON.stringify({ history: { '100': Array.from({ length: points }, (_, i) => rec(i)) } });
}

describe('core/json', () => {
  describe('JsonGauge', () => {
    it('measures nesting of arrays and objects, brackets in strings and escaped quotes not counted', () => {
      assert.equal(nestingOf('1'), 0);
      assert.equal(nestingOf('[]'), 1);
      assert.equal(nestingOf('{"a":[1,{"b":[]}],"c":{}}'), 4);
      assert.equal(nestingOf(emsPage()), 4);
      assert.equal(nestingOf('["[[[[[[[[[[", "\\"[[[[[[[[", "\\\\", [1]]'), 2, 'strings skipped, \\" inside, \\\\ before the closing quote');
      assert.equal(nestingOf('{"k\\\\\\"[[[[":"v"}'), 1);
      assert.equal(nestingOf('["é[[[[", "😀{{{", [["ü"]]]'), 3, 'multi-byte characters');
    });

    it('gives the same figure whatever chunk boundaries split the bytes (inside strings, on a backslash)', () => {
      const texts = ['["a\\"[[[", [["\\\\"], {"x": "]]]"}], "\\\\\\"{"]', '{"a":"b\\\\","c":[[[["x"]]]]}', '["😀[[", ["é"]]'];
      for (const text of texts) {
        const bytes = Buffer.from(text, 'utf8');
        const whole = nestingOf(text);
        for (let cut = 0; cut <= bytes.length; cut++) {
          for (const size of [1, 2, 3]) {
            const gauge = new JsonGauge();
            gauge.feed(bytes.subarray(0, cut));
            for (let i = cut; i < bytes.length; i += size) gauge.feed(bytes.subarray(i, i + size));
            assert.equal(gauge.deepest, whole, `${text} cut at ${cut}, then ${size}-byte chunks`);
          }
        }
      }
    });

    it('stops as soon as the nesting passes its limit', () => {
      const gauge = new JsonGauge(64);
      assert.equal(gauge.feed(Buffer.from(deep(64))), true);
      assert.equal(gauge.deepest, 64);
      const over = new JsonGauge(64);
      assert.equal(over.feed(Buffer.from(deep(65))), false);
      assert.equal(over.exceeded, 'depth');
    });

    it('counts arrays and objects, and stops past its budget of them', () => {
      const gauge = new JsonGauge(64, 1003);
      assert.equal(gauge.feed(Buffer.from(emsPage())), true);
      assert.equal(gauge.containers, 1003, 'a 1000-point page: one object a point, three around them');
      const wide = new JsonGauge(64, 1000);
      assert.equal(wide.feed(Buffer.from(`[${'{},'.repeat(1000)}{}]`)), false);
      assert.equal(wide.exceeded, 'containers');
      assert.equal(new JsonGauge(64, 2).feed(Buffer.from('["[{[{", {}]')), true, 'brackets in strings are not counted');
    });

    it('costs a fraction of JSON.parse (figures printed)', () => {
      const page = emsPage();
      const bytes = Buffer.from(page);
      const time = (fn: () => void, rounds: number): number => {
        for (let i = 0; i < 200; i++) fn();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < rounds; i++) fn();
        return Number(process.hrtime.bigint() - t0) / rounds / 1000;
      };
      const gauge = time(() => new JsonGauge().feed(bytes), 2000);
      const parse = time(() => JSON.parse(page), 2000);
      const big = Buffer.from(deep(2_000_000));
      const deepMs = time(() => new JsonGauge().feed(big), 20);
      console.log(`      1000-point EMS page (${(bytes.length / 1024).toFixed(0)} KB): gauge ${gauge.toFixed(0)} us, JSON.parse ${parse.toFixed(0)} us (${((gauge / parse) * 100).toFixed(0)} %); 4 MB of "[": refused after ${deepMs.toFixed(1)} us`);
      // Not a timing assertion on a shared machine: only that it is not an order of magnitude off.
      assert.ok(gauge < parse * 3, `gauge ${gauge} us vs parse ${parse} us`);
    });
  });

  describe('parseJson / tryParseJson', () => {
    it('parses a normal reply, and a large flat one', () => {
      assert.deepEqual(parseJson('{"a":[1,2]}', 'The reply', 'not JSON'), { a: [1, 2] });
      const big = JSON.stringify({ items: Array.from({ length: 50_000 }, (_, i) => ({ id: `d${i}`, name: 'Heater [1]' })) });
      assert.equal((parseJson(big, 'The reply', 'not JSON') as { items: unknown[] }).items.length, 50_000);
      assert.deepEqual(parseJson(nestedObjects(MAX_JSON_DEPTH), 'x', 'y') !== undefined, true, 'exactly the limit is fine');
    });

    it('refuses a deep reply before parsing it (BAD_RESPONSE), and text that is not JSON with the caller\'s message', () => {
      assert.throws(() => parseJson(deep(MAX_JSON_DEPTH + 1), 'The reply to GET /v1/devices', 'not JSON'), isCode('BAD_RESPONSE', /^The reply to GET \/v1\/devices nests JSON deeper than 64 levels/));
      assert.throws(() => parseJson(nestedObjects(10_000), 'The reply', 'not JSON'), isCode('BAD_RESPONSE', /deeper than 64/));
      assert.throws(() => parseJson('<html>', 'The reply', 'The reply is not JSON: check the URL.'), isCode('BAD_RESPONSE', /^The reply is not JSON: check the URL\.$/));
      const t0 = Date.now();
      assert.throws(() => parseJson(deep(5_000_000), 'The reply', 'not JSON'), isCode('BAD_RESPONSE'));
      assert.ok(Date.now() - t0 < 1000, '10 MB of brackets are refused at once');
      assert.equal(tryParseJson(deep(100)), undefined);
      assert.equal(tryParseJson('nope'), undefined);
      assert.deepEqual(tryParseJson('[1]'), [1]);
    });

    it('takes the nesting an HttpResponse was measured at instead of scanning again', () => {
      // A body measured at 70 levels is refused even though its text (as given here) is flat: no second scan.
      assert.throws(() => parseJson({ body: '[1]', nesting: 70 }, 'The reply', 'not JSON'), isCode('BAD_RESPONSE', /deeper than 64/));
      assert.deepEqual(parseJson({ body: '[1]', nesting: 1 }, 'The reply', 'not JSON'), [1]);
    });
  });

  describe('HttpClient with maxJsonDepth', () => {
    let body = '';
    const sim = new SimServer(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body }));
    before(() => sim.start());
    after(() => sim.stop());

    it('refuses a reply nested too deep while it arrives, and measures every other one', async () => {
      const client = new HttpClient({ baseUrl: sim.url, label: 'Peer', timeoutMs: 2000, maxJsonDepth: 64 });
      try {
        body = '{"a":[{"b":1}]}';
        const ok = await client.request({ path: '/x' });
        assert.equal(ok.nesting, 3);
        body = deep(3_000_000);
        await assert.rejects(client.request({ path: '/x' }), isCode('BAD_RESPONSE', /^The reply of Peer to GET \/x nests JSON deeper than 64 levels/));
      } finally {
        await client.close();
      }
    });

    it('applies a per-request size cap over the client\'s', async () => {
      const client = new HttpClient({ baseUrl: sim.url, label: 'Peer', timeoutMs: 2000, maxBodyBytes: 100 });
      try {
        body = JSON.stringify('x'.repeat(200));
        await assert.rejects(client.request({ path: '/x' }), isCode('BAD_RESPONSE', /more than 1 KiB/));
        assert.equal((await client.request({ path: '/x', maxBodyBytes: 1000 })).body, body);
      } finally {
        await client.close();
      }
    });
  });

  describe('vendor reply caps', () => {
    it('HeatingControl: 2 MiB, and a deep reply, are BAD_RESPONSE; a page of 100 devices is far below', async () => {
      const sim = new HeatingSimulator({ clientId: 'id', clientSecret: 'secret-0123', deviceCount: 100 });
      await sim.start();
      const client = new HeatingClient({ baseUrl: sim.url, clientId: 'id', clientSecret: 'secret-0123', retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
      try {
        assert.equal((await client.devices()).items.length, 100);
        const page = sim.server.requests.at(-1);
        assert.ok(page?.path.startsWith('/v1/devices'));
        sim.server.setFault({ path: '/v1/devices', body: JSON.stringify({ items: [{ id: 'x', pad: 'p'.repeat(HC_MAX_REPLY_BYTES) }] }) });
        await assert.rejects(client.devices(), isCode('BAD_RESPONSE', /HeatingControl 127\.0\.0\.1:\d+ sent more than 2 MiB in reply to GET devices/));
        sim.server.setFault({ path: '/v1/devices', body: `{"items":[${deep(100)}]}` });
        await assert.rejects(client.devices(), isCode('BAD_RESPONSE', /deeper than 64 levels/));
        sim.server.setFault({ path: '/v1/devices', body: `{"items":[${'[],'.repeat(1000)}[]]}` });
        await assert.rejects(client.devices(), isCode('BAD_RESPONSE', /an item that is not an object/));
        sim.server.setFault({ path: '/v1/devices', body: `{"items":[${'{},'.repeat(20_000)}{}]}` });
        await assert.rejects(client.devices(), isCode('BAD_RESPONSE', /holds more than 20000 JSON arrays and objects/));
        sim.server.setFault({ path: '/v1/oauth/token', body: `{"access_token":${deep(80)}}` });
        const fresh = new HeatingClient({ baseUrl: sim.url, clientId: 'id', clientSecret: 'secret-0123', retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
        await assert.rejects(fresh.devices(), isCode('BAD_RESPONSE', /deeper than 64 levels/)).finally(() => fresh.close());
      } finally {
        await client.close();
        await sim.stop();
      }
    });

    it('EMS: 4 MiB (or 256 bytes a record of a larger page), and a deep reply, are BAD_RESPONSE', async () => {
      assert.equal(pageReplyBytes(1000), EMS_MAX_REPLY_BYTES);
      assert.equal(pageReplyBytes(100_000), 25_600_000);
      const sim = new EmsSimulator({ username: 'api', password: 'pw-0123' });
      await sim.start();
      const client = new EmsClient({ baseUrl: sim.url, username: 'api', password: 'pw-0123', retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
      try {
        const r = await client.collect({ operation: 'history', scope: 'all', start: Date.now() - 86_400_000, end: Date.now(), pageSize: 1000 });
        assert.ok(r.records > 1000);
        sim.server.setFault({ path: '/v1/history', body: JSON.stringify({ history: { 100: 'x'.repeat(EMS_MAX_REPLY_BYTES) } }) });
        await assert.rejects(client.collect({ operation: 'history', scope: 'all', pageSize: 1000 }), isCode('BAD_RESPONSE', /sent more than 4 MiB in reply to GET \/v1\/history/));
        // A page of 20,000 records may be 5 MB.
        const five = JSON.stringify({ history: { 100: [{ uid: 100, t: 1, p: 60, v: 1, pad: 'x'.repeat(5_000_000) }] } });
        sim.server.setFault({ path: '/v1/history', body: five });
        assert.equal((await client.collect({ operation: 'history', scope: 'all', pageSize: 20_000 })).records, 1);
        const flood = `{"history":{"100":[${'{},'.repeat(60_000)}{}]}}`;
        sim.server.setFault({ path: '/v1/history', body: flood });
        await assert.rejects(client.collect({ operation: 'history', scope: 'all', pageSize: 1000 }), isCode('BAD_RESPONSE', /holds more than 54000 JSON arrays/));
        sim.server.setFault({ path: '/v1/devices', body: `{"devices":${deep(65)}}` });
        await assert.rejects(client.collect({ operation: 'devices', scope: 'all' }), isCode('BAD_RESPONSE', /deeper than 64 levels/));
      } finally {
        await client.close();
        await sim.stop();
      }
    });

    it('Thinknx: a deep reply is BAD_RESPONSE too', async () => {
      const sim = new ThinknxSimulator({ password: 'tk-pass-0123' });
      await sim.start();
      const client = new ThinknxClient({ settings: thinknxSettings({ host: '127.0.0.1', port: sim.port, auth: 'basic', timeout: 2 }), credentials: { username: 'integration', password: 'tk-pass-0123' } });
      try {
        sim.server.setFault({ path: '/api/V1/', body: `{"status":${deep(200)}}` });
        await assert.rejects(client.execute({ capability: 'power', guid: 'kitchen-light', payload: 'get' }), isCode('BAD_RESPONSE', /deeper than 64 levels/));
      } finally {
        await client.close();
        await sim.stop();
      }
    });
  });
});
