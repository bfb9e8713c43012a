/**
 * Thinknx Digest: HTTP round trips per command after the first, in a real Node-RED runtime: one
 * thinknx-server (Digest auth) shared by two thinknx-control nodes (a light set and a thermostat read,
 * alternating), against the Thinknx simulator (its own process). The first command pays the challenge
 * (401 + the authorised request); every later one should reuse the nonce: one request each.
 *   npx tsx bench/thinknx-digest.ts
 */
import { header, main, report, requireBuilt } from './lib';
import { counter, sink, startRuntime } from './runtime';
import { simulatorProcess } from './sim';

const COMMANDS = 200;
const PASSWORD = 'bench-Digest-pw1';

main(async () => {
  requireBuilt('thinknx');
  header('thinknx-digest', `${COMMANDS} commands after the first through two thinknx-control nodes on one Digest server (MD5, qop=auth), one at a time`, false);
  const sim = await simulatorProcess('thinknx', { password: PASSWORD, fbDelayMs: 0 });
  const server = { id: 'srv', type: 'thinknx-server', name: 'bench', mode: 'local', host: '127.0.0.1', port: sim.port, tls: false, auth: 'digest', timeout: '5' };
  const control = (id: string, capability: string, guid: string): Record<string, unknown> => ({
    id, type: 'thinknx-control', server: 'srv', capability, guid, feedback: false, group: '', dpt: '', wires: [[`${id}-out`]],
  });
  const rt = await startRuntime(
    [server, control('light', 'power', 'kitchen-light'), sink('light-out'), control('temp', 'setpoint', 'bath-thermostat'), sink('temp-out')],
    { srv: { username: 'integration', password: PASSWORD } },
  );
  const nodes = { light: rt.node('light'), temp: rt.node('temp') };
  const outs = { light: counter(rt, 'light-out'), temp: counter(rt, 'temp-out') };
  const send = async (which: 'light' | 'temp', payload: unknown): Promise<void> => {
    const want = outs[which].count + 1;
    nodes[which].receive({ payload });
    await outs[which].until(want, 10_000);
  };

  await send('light', true);
  const first = await sim.count();
  for (let i = 0; i < COMMANDS; i++) {
    if (i % 2 === 0) await send('light', i % 4 === 0 ? 'off' : 'on');
    else await send('temp', 'get');
  }
  const after = (await sim.count()) - first;
  await rt.stop();
  await sim.stop();
  const perCommand = after / COMMANDS;
  report({
    bench: 'thinknx-digest',
    measure: 'Thinknx Digest round trips per command after the first',
    value: `${perCommand.toFixed(2)}`,
    goal: '1',
    pass: perCommand === 1,
    detail: `first command ${first} round trips (challenge + request), then ${after} for ${COMMANDS} commands`,
  });
});
