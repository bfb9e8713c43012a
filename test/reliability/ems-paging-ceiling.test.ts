/**
 * EMS paging against a gateway whose history pages are always full (issue 13, item 4), in a real Node-RED
 * with adminAuth: an ems-history node with maxRecords 0, and one whose msg sets maxRecords 0, stop at the
 * page ceiling (1000 pages) with msg.truncated = true, msg.pages = 1000 and a warning naming the ceiling,
 * after 1001 requests, instead of paging until memory runs out. `output: pages` stops the same way.
 */
import assert from 'node:assert/strict';
import { EMS_DEMO_CREDENTIALS, EmsSimulator } from '../simulators/ems';
import { RedProbe, describeFigures } from './red-probe';
import { startSecuredRed, type SecuredRed } from './secured-red';

describe('EMS paging ceiling, in a real Node-RED', function () {
  this.timeout(300_000);
  let sr: SecuredRed;
  let probe: RedProbe;
  const ems = new EmsSimulator({ ...EMS_DEMO_CREDENTIALS });

  before(async () => {
    await ems.start();
    ems.endlessHistory = true;
    sr = await startSecuredRed('ems-paging-ceiling', { nodeArgs: ['--max-old-space-size=256'] });
    probe = new RedProbe(sr);
    const tab = 'pc-tab';
    const history = (id: string, extra: object): object[] => [
      { id: `${id}-inject`, type: 'inject', z: tab, props: [{ p: 'payload' }, { p: 'maxRecords', v: '0', vt: 'num' }], payload: '', payloadType: 'str', wires: [[id]] },
      { id, type: 'ems-history', z: tab, server: 'pc-server', operation: 'history', scope: 'all', uid: '', uids: '', range: '24h', pageSize: 10, maxRecords: 0, output: 'single', wires: [[`${id}-sum`]], ...extra },
      // What the msg says about the read, on one log line (the payload itself is not printed).
      { id: `${id}-sum`, type: 'function', z: tab, func: 'msg.payload = `page=${msg.page} pages=${msg.pages} records=${msg.records} total=${msg.total} complete=${msg.complete} truncated=${msg.truncated}`; return msg;', outputs: 1, wires: [[`${id}-out`]] },
      { id: `${id}-out`, type: 'debug', z: tab, active: true, tosidebar: false, console: true, complete: 'payload', targetType: 'msg', wires: [] },
    ];
    await sr.deploy([
      { id: tab, type: 'tab', label: 'paging ceiling' },
      { id: 'pc-server', type: 'ems-server', name: 'ems', baseUrl: ems.url, allowSelfSigned: false, credentials: EMS_DEMO_CREDENTIALS },
      // maxRecords 0 in the node; the msg sets it to 0 as well (a msg override wins).
      ...history('pc-single', { maxRecords: 100000 }),
      ...history('pc-pages', { output: 'pages' }),
    ]);
    await probe.started();
  });

  after(async () => {
    await sr?.stop();
    await ems.stop();
  });

  it('maxRecords 0 (set by the msg): one msg of 1000 pages, truncated, with a warning', async () => {
    const before = ems.count('/v1/history?');
    const from = probe.log.length;
    let summary = '';
    const f = await probe.measure(async () => {
      await probe.inject('pc-single-inject');
      summary = await probe.waitLog(/\[debug:pc-single-out\] [^\n]*/, from, 120_000);
    });
    const requests = ems.count('/v1/history?') - before;
    const warning = await probe.waitLog(/\[warn\] \[ems-history:pc-single\] [^\n]*/, from);
    console.log(`      ${requests} requests; ${warning.replace(/^.*\] /, '')}; ${describeFigures(f)}`);
    assert.match(summary, /pages=1000 records=10000 .*truncated=true/);
    assert.equal(requests, 1001, 'the ceiling, and the page after it that shows there was more');
    assert.match(warning, /Stopped after 1000 pages, the most one read follows/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(ems.count('/v1/history?') - before, 1001, 'nothing more is asked afterwards');
  });

  it('output pages: the 1000th msg is the last, complete and truncated', async () => {
    const before = ems.count('/v1/history?');
    const from = probe.log.length;
    await probe.inject('pc-pages-inject');
    const last = await probe.waitLog(/\[debug:pc-pages-out\] page=1000 [^\n]*/, from, 120_000);
    assert.match(last, /total=10000 complete=true truncated=true/);
    assert.doesNotMatch(probe.log.slice(from), /\[debug:pc-pages-out\] page=\d+ [^\n]*(?:complete=true|truncated=true)[^\n]*\n[\s\S]*\[debug:pc-pages-out\] page=1000/, 'no page before it says complete or truncated');
    await probe.waitLog(/\[warn\] \[ems-history:pc-pages\] Stopped after 1000 pages/, from);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(ems.count('/v1/history?') - before, 1001);
    assert.equal(sr.red.child?.exitCode, null);
  });
});
