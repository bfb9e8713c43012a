/**
 * The fault matrix: each fault x each vendor's action nodes, through the built node sets in Node-RED,
 * against the simulators (the data and the runner: fault-matrix.ts, fault-profiles.ts). It prints the
 * matrix (code / requests) at the end:
 *   node scripts/build.mjs && npx mocha 'test/reliability/**\/*.test.ts'
 *
 * The codes, and why. "n" is the number of requests on the faulted path (client attempts for refused
 * and DNS, where nothing reaches the simulator); a read's "3" is the first try and two retries with
 * backoff (0.5 s, 1 s; Retry-After when the server gives one). Columns: plugwise-in read, plugwise-control
 * write, heating-command state (read), heating-command command, thinknx-control get, thinknx-control
 * set, ems-history history.
 *
 * | fault (how it is made)                  | code           | pw-in | pw-ctl | hc-read | hc-cmd | tnx-get | tnx-set | ems |
 * |-----------------------------------------|----------------|-------|--------|---------|--------|---------|---------|-----|
 * | connection refused (simulator stopped)  | UNREACHABLE    | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | DNS failure (`*.invalid`, NXDOMAIN)     | UNREACHABLE    | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | headers timeout (never answered)        | TIMEOUT        | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | body timeout (body stalls)              | TIMEOUT        | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | connection dropped (no reply)           | UNREACHABLE    | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | HTTP 500, 502, 503                      | SERVER_ERROR   | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | HTTP 504 (the upstream timed out)       | TIMEOUT        | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | 429 with Retry-After: 1 / without       | RATE_LIMITED   | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | 401 mid-session (token/nonce expired)   | renewed, OK    | -     | -      | 2       | 2      | 2       | 2       | 2   |
 * | 401 mid-session, Plugwise (no session)  | AUTH_FAILED    | 1     | 1      |         |        |         |         |     |
 * | 401 credentials refused (every request) | AUTH_FAILED    | 1     | 1      | 2       | 2      | 1       | 1       | 2   |
 * | malformed body (200)                    | BAD_RESPONSE   | 1     | OK 1   | 1       | 1      | 1       | 1       | 1   |
 * | truncated body (200, half the document) | BAD_RESPONSE   | 1     | OK 1   | 1       | 1      | 1       | 1       | 1   |
 * | HTML error page (502 + HTML)            | SERVER_ERROR   | 3     | 1      | 3       | 1      | 3       | 1       | 3   |
 * | HTML page with 200 (another service)    | BAD_RESPONSE   | 1     | OK 1   | 1       | 1      | 1       | 1       | 1   |
 * | empty body (200)                        | BAD_RESPONSE   | SERVER_ERROR 1 | OK 1 | 1 | 1      | 1       | 1       | 1   |
 * | reply 10x larger (valid, padded)        | OK             | 1     | 1      | 1       | 1      | 1       | 1       | 1   |
 *
 * - Transport failures and 5xx/429 are transient: reads retry them; commands never (a timeout or a 5xx
 *   may come after the device acted: sending again could act twice). 504 is TIMEOUT, like a timeout of
 *   our own: the gateway behind the server did not answer in time.
 * - 401 on a session (HeatingControl token, EMS JWT, Thinknx Digest nonce): renewed once, the request sent
 *   once more (a 401 executed nothing), one renewal; a second 401 is AUTH_FAILED. Plugwise sends Basic
 *   credentials with every request: a 401 means the Smile ID is refused, AUTH_FAILED at once.
 * - A body that is not what the API documents is BAD_RESPONSE and is not retried (asking again gets the
 *   same). Plugwise: an empty document is what a Smile serves while it restarts, SERVER_ERROR; a write's
 *   reply body is not read (the hub answers writes with none; the entity is read back), so body faults on
 *   a write succeed, and its body timeout is made with a body to stall.
 * - A 10x larger but valid reply succeeds (the body limits are far above it).
 */
import { Collector, helper, loadNodeSet, onTab, statuses } from '../nodes/harness';
import { FAKE_TLD, installFakeDns, type FakeDns } from './fake-dns';
import { FAULTS, describeOutcome, expectSuccess, outcomeOf, printRows, runCell, type Rig } from './fault-matrix';
import { PROFILES } from './fault-profiles';

describe('fault matrix (built node sets, against the simulators)', function () {
  this.timeout(30_000);
  let dns: FakeDns;

  before(() => {
    dns = installFakeDns();
  });

  after(() => {
    dns.restore();
    printRows();
  });

  for (const make of PROFILES) {
    const profile = make();
    describe(profile.vendor, function () {
      let rig: Rig;

      before(async () => {
        const sim = await profile.startSim();
        await helper.startServer();
        const nodes = profile.flow(`${profile.vendor}${FAKE_TLD}`, sim.port);
        const flow = [
          ...nodes,
          ...profile.ops.map((op) => ({ id: `${op.node}-out`, type: 'helper' })),
          { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
          { id: 'caught', type: 'helper' },
        ];
        await helper.load(loadNodeSet(profile.vendor), onTab(flow), profile.credentials);
        profile.afterLoad?.((id) => helper.getNode(id));
        rig = {
          profile,
          sim,
          dns,
          caught: new Collector('caught'),
          outs: new Map(profile.ops.map((op) => [op.node, new Collector(`${op.node}-out`)])),
          statuses: new Map(profile.ops.map((op) => [op.node, statuses(op.node)])),
          inputs: 0,
        };
        // Warm: a session, a detected hub, cached schemas; the faults then hit a running installation.
        for (const op of profile.ops) await expectSuccess(rig, op, 'warm-up');
      });

      after(async () => {
        await helper.unload();
        await helper.stopServer();
        await rig?.sim.stop();
      });

      for (const op of profile.ops) {
        for (const fault of FAULTS) {
          it(`${op.title}: ${fault.title} -> ${describeOutcome(outcomeOf(op, fault))}, then recovers`, () => runCell(rig, op, fault));
        }
      }
    });
  }
});
