/**
 * HeatingControl: token requests for 1000 commands within one hour. The account's client (what a
 * heating-account node holds) against the simulator, both on one fake clock that advances 3.5 s per
 * command (1000 commands in 58 min 20 s), commands sent 10 at a time (renewals must not stampede).
 *   npx tsx bench/heating-tokens.ts
 */
import { HeatingClient } from '../src/vendors/heatingcontrol';
import { HeatingSimulator } from '../test/simulators/heatingcontrol';
import { deviceId } from '../test/simulators/heatingcontrol/data';
import { header, main, report } from './lib';

const COMMANDS = 1000;
const AT_ONCE = 10;
const STEP_MS = 3500;
const CREDS = { clientId: 'bench-client', clientSecret: 'bench-secret-1234' };

main(async () => {
  header('heating-tokens', `${COMMANDS} setTemperature commands, ${AT_ONCE} at a time, over ${((COMMANDS * STEP_MS) / 60_000).toFixed(1)} min of fake clock; tokens live 3600 s`, false);
  let clock = Date.UTC(2026, 10, 23, 8);
  const now = (): number => clock;
  const sim = new HeatingSimulator({ ...CREDS, deviceCount: 4, expiresIn: 3600, now });
  await sim.start();
  const client = new HeatingClient({ baseUrl: sim.url, ...CREDS, now });
  const start = clock;
  for (let sent = 0; sent < COMMANDS; sent += AT_ONCE) {
    await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) => client.command(deviceId(1 + ((sent + i) % 4)), 'setTemperature', { temperature: 15 + ((sent + i) % 20) * 0.5 })),
    );
    clock += AT_ONCE * STEP_MS;
  }
  const executed = sim.executed.length;
  const tokens = sim.tokenRequests;
  await client.close();
  await sim.stop();
  if (executed !== COMMANDS) throw new Error(`the simulator executed ${executed} commands, expected ${COMMANDS}`);
  report({
    bench: 'heating-tokens',
    measure: `HeatingControl token requests per ${COMMANDS} commands within one hour`,
    value: String(tokens),
    goal: '1',
    pass: tokens === 1,
    detail: `${executed} commands executed over ${((clock - start) / 60_000).toFixed(1)} min (fake clock), ${client.tokens.renewals} renewal(s)`,
  });
});
