/** Safe XML parsing and the hub's error bodies. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../src/core/errors';
import { buildSnapshot, detectHub, parseXml, type HubInfo } from '../../src/vendors/plugwise';

const ROOT = path.join(__dirname, '..', 'fixtures', 'plugwise');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');
const ADAM = read('adam_plus_anna_new', 'core.domain_objects.xml');
const ADAM_TIME = Date.parse('2025-10-12T00:00:01Z');

function only(body: string) {
  return async (p: string): Promise<string> => {
    if (p !== '/core/domain_objects') throw new GatewayError('NOT_FOUND', `no ${p}`);
    return body;
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(Object.prototype.hasOwnProperty.call(err, 'code'));
    if (pattern) assert.match(err.message, pattern);
    return err;
  }
  assert.fail(`expected ${code}`);
}

function throwsWith(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

describe('plugwise XML parsing', () => {
  it('accepts a stray & (names like "Tom & Jerry") and decodes references', () => {
    const doc = parseXml('<a><name>Tom & Jerry</name><b x="1 & 2">&lt;&#65288;&#x41;&apos;&amp;</b></a>') as {
      a: Array<{ name: string[]; b: Array<{ '#text': string; '@': { x: string } }> }>;
    };
    assert.equal(doc.a[0].name[0], 'Tom & Jerry');
    assert.equal(doc.a[0].b[0]['#text'], "<（A'&");
    assert.equal(doc.a[0].b[0]['@'].x, '1 & 2');
  });

  it('keeps a stray & in a real hub body', async () => {
    const body = ADAM.replace('<name>Plug MediaTV</name>', '<name>Tom & Jerry TV</name>');
    const info = await detectHub(only(body));
    const snap = buildSnapshot(info, { '/core/domain_objects': body }, ADAM_TIME);
    assert.equal(snap.entities['2568cc4b9c1e401495d4741a5f89bee1'].name, 'Tom & Jerry TV');
  });

  it('never expands DOCTYPE entities (billion laughs, external entities)', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
      '<lolz><a>&lol9;</a></lolz>',
    ].join('\n');
    const started = Date.now();
    const doc = parseXml(lol) as { lolz: Array<{ a: string[] }> };
    assert.ok(Date.now() - started < 500);
    assert.equal(doc.lolz[0].a[0], '&lol9;');
    assert.ok(JSON.stringify(doc).length < 1000);

    // an external entity is never fetched: left literal or refused as BAD_RESPONSE
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r><b>&xxe;</b></r>';
    try {
      const parsed = parseXml(xxe) as { r: Array<{ b: string[] }> };
      assert.equal(parsed.r[0].b[0], '&xxe;');
    } catch (err) {
      assert.ok(err instanceof GatewayError && err.code === 'BAD_RESPONSE');
    }
  });

  it('rejects truncated or malformed XML with BAD_RESPONSE', async () => {
    for (const bad of [
      ADAM.slice(0, Math.floor(ADAM.length / 2)),
      ADAM.slice(0, ADAM.length - 10),
      '<domain_objects><appliance id="x"><name>a</nam></appliance></domain_objects>',
      '<domain_objects><appliance id="x></domain_objects>',
      '<a></a><b></b>',
      'just text',
      '<!DOCTYPE html><html><body>Hello<br></body></html>',
    ]) {
      throwsWith(() => parseXml(bad), 'BAD_RESPONSE', /XML/);
    }
    await rejectsWith(detectHub(only(ADAM.slice(0, 60_000))), 'BAD_RESPONSE');
    const info = await detectHub(only(ADAM));
    throwsWith(() => buildSnapshot(info, { '/core/domain_objects': ADAM.slice(0, 90_000) }, ADAM_TIME), 'BAD_RESPONSE');
  });

  it('rejects every truncation of a hub body with a GatewayError', async () => {
    const body = read('p1v4_442_single', 'core.domain_objects.xml');
    for (let cut = 1; cut < body.length - 20; cut += 997) {
      const err = await rejectsWith(detectHub(only(body.slice(0, cut))), 'BAD_RESPONSE');
      assert.ok(err.message.length > 0);
    }
  });
});

describe('plugwise hub errors', () => {
  for (const hub of ['adam_plus_anna_new', 'p1v4_442_single']) {
    for (const kind of ['error', 'reboot']) {
      it(`${hub}/${kind}: SERVER_ERROR, will be retried`, async () => {
        const body = read(hub, kind, 'core.domain_objects.xml');
        await rejectsWith(detectHub(only(body)), 'SERVER_ERROR', /restarting or not ready; it will be retried/);
        const info = await detectHub(only(read(hub, 'core.domain_objects.xml')));
        throwsWith(() => buildSnapshot(info, { '/core/domain_objects': body }, ADAM_TIME), 'SERVER_ERROR', /restarting or not ready/);
      });
    }
  }

  it('an empty body is SERVER_ERROR', async () => {
    await rejectsWith(detectHub(only('')), 'SERVER_ERROR');
  });

  it('a non-Plugwise XML document is BAD_RESPONSE', async () => {
    await rejectsWith(detectHub(only('<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>')), 'BAD_RESPONSE', /Plugwise/);
    await rejectsWith(
      detectHub(only('<domain_objects><module id="m"><vendor_name>Acme</vendor_name></module></domain_objects>')),
      'BAD_RESPONSE',
      /Plugwise/,
    );
    await rejectsWith(detectHub(only('<html><body>router login</body></html>')), 'BAD_RESPONSE');
  });

  it('an unsupported or too old Smile is BAD_RESPONSE', async () => {
    const old = ADAM.replace('<firmware_version>3.9.0</firmware_version>', '<firmware_version>2.3.35</firmware_version>');
    await rejectsWith(detectHub(only(old)), 'BAD_RESPONSE', /firmware/);
    const odd = ADAM.replace('<vendor_model>smile_open_therm</vendor_model>', '<vendor_model>smile_toaster</vendor_model>');
    await rejectsWith(detectHub(only(odd)), 'BAD_RESPONSE', /not supported/);
  });

  it('a poll without domain_objects is BAD_RESPONSE', () => {
    const info: HubInfo = { id: 'x', model: 'adam', vendorModel: 'smile_open_therm', firmware: '3.9.0', hostname: '', mac: '', legacy: false };
    throwsWith(() => buildSnapshot(info, {}, ADAM_TIME), 'BAD_RESPONSE');
  });

  it('builds a snapshot from damaged but well-formed XML without crashing', async () => {
    const info = await detectHub(only(ADAM));
    // drop single leaf lines one at a time: the model must degrade, never throw a TypeError
    const lines = ADAM.split('\n');
    for (let i = 0; i < lines.length; i += 29) {
      if (!/^\s*<(\w+)[^>]*>[^<]*<\/\1>\s*$|^\s*<\w+[^>]*\/>\s*$/.test(lines[i])) continue;
      const damaged = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
      try {
        buildSnapshot(info, { '/core/domain_objects': damaged }, ADAM_TIME);
      } catch (err) {
        assert.ok(err instanceof GatewayError, `line ${i + 1} (${lines[i].trim()}): ${String(err)}`);
      }
    }
  });
});
