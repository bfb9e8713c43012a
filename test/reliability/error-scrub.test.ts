/**
 * Every string of an error is scrubbed (issue 13, item 5), in a real Node-RED with adminAuth: a
 * HeatingControl API whose error envelope echoes the token request in `requestId` (client secret
 * included) refuses the token request and an API call. Node-RED hands a custom logger the Error object
 * itself (log event `msg`); the one in settings.js here prints it whole with util.inspect, as a logger
 * that prints error objects does. A Catch node's msg.error goes to a debug node too, and the read-only user
 * exports the flows: the secret is in none of it, while the request id is kept on the error, scrubbed.
 */
import assert from 'node:assert/strict';
import { HEATINGCONTROL_DEMO_CREDENTIALS, HeatingSimulator } from '../simulators/heatingcontrol';
import { RedProbe } from './red-probe';
import { startSecuredRed, type SecuredRed } from './secured-red';

const SECRET = HEATINGCONTROL_DEMO_CREDENTIALS.clientSecret;

describe('error objects carry no secret, in a real Node-RED', function () {
  this.timeout(120_000);
  let sr: SecuredRed;
  let probe: RedProbe;
  const hc = new HeatingSimulator({ ...HEATINGCONTROL_DEMO_CREDENTIALS, deviceCount: 4 });

  before(async () => {
    await hc.start();
    sr = await startSecuredRed('error-scrub', {
      extraSettings: `  logging: {
    console: { level: 'info' },
    objects: { level: 'error', handler: () => (event) => {
      if (event.msg instanceof Error) console.log('ERROR OBJECT ' + require('util').inspect(event.msg, { depth: 6 }));
    } },
  },`,
    });
    probe = new RedProbe(sr);
    const tab = 'es-tab';
    await sr.deploy([
      { id: tab, type: 'tab', label: 'error scrub' },
      { id: 'es-account', type: 'heating-account', name: 'hc', baseUrl: hc.url, scope: '', clientAuth: 'body', credentials: HEATINGCONTROL_DEMO_CREDENTIALS },
      // An error a Catch node handles is not logged: es-cmd's goes to the loggers, es-caught's to a Catch node.
      { id: 'es-inject', type: 'inject', z: tab, props: [{ p: 'payload' }], payload: '', payloadType: 'str', wires: [['es-cmd', 'es-caught']] },
      { id: 'es-cmd', type: 'heating-command', z: tab, account: 'es-account', operation: 'homes', device: '', command: '', setting: '', wires: [[]] },
      { id: 'es-caught', type: 'heating-command', z: tab, account: 'es-account', operation: 'homes', device: '', command: '', setting: '', wires: [[]] },
      { id: 'es-catch', type: 'catch', z: tab, scope: ['es-caught'], uncaught: false, wires: [['es-out']] },
      { id: 'es-out', type: 'debug', z: tab, active: true, tosidebar: false, console: true, complete: 'true', targetType: 'full', wires: [] },
    ]);
    await probe.started();
  });

  after(async () => {
    await sr?.stop();
    await hc.stop();
  });

  const echo = (what: string): string => `${what}?grant_type=client_credentials&client_id=${HEATINGCONTROL_DEMO_CREDENTIALS.clientId}&client_secret=${SECRET} ${SECRET}`;

  for (const [name, path, status, code, times] of [
    ['the token request', '/v1/oauth/token', 400, 'INVALID_REQUEST', 1],
    ['an API call', '/v1/homes', 409, 'CONFLICT', 2],
  ] as const) {
    it(`a requestId echoing ${name} is scrubbed on the Error a logger prints; no secret in the log, Catch msg or export`, async () => {
      // The two nodes share one token request; each makes its own API call.
      hc.refuse({ path, status, code, requestId: echo(path), times });
      const from = probe.log.length;
      await probe.inject('es-inject');
      const caught = await probe.waitLog(/\[debug:es-out\][\s\S]*?\n\}/, from);
      const logged = await probe.waitLog(/ERROR OBJECT [\s\S]*?\n\}/, from);
      const requestId = /requestId: '([^']*)'/.exec(logged)?.[1];
      console.log(`      the Error object as the logger printed it has requestId: '${requestId}'`);
      assert.match(String(requestId), new RegExp(`^${path}\\?.*client_secret=\\*\\*\\*`), 'the request id is kept, scrubbed');
      assert.match(logged, /code: 'REJECTED'/);
      assert.match(caught, /code: 'REJECTED'/);
      const exported = await (await sr.api('flows', {}, 'reader')).text();
      const places = { log: probe.log, 'flows exported by the reader': exported };
      for (const [place, text] of Object.entries(places)) {
        assert.ok(!text.includes(SECRET), `the client secret is in the ${place}`);
        assert.ok(!text.includes(Buffer.from(SECRET).toString('base64').replace(/=+$/, '')), `the Base64 secret is in the ${place}`);
      }
    });
  }
});
