import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { EmsClient, type EmsClientOptions } from '../../src/vendors/ems';
import { EmsSimulator, type EmsSimOptions } from '../simulators/ems';

/**
 * What the unit tests of the vendor clients share: the error matcher, and the EMS simulator with a client
 * of it on one settable clock.
 */

/** For assert.rejects/throws: a GatewayError with this code, its message matching `pattern` if given. */
export function isCode(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof GatewayError, `a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

export const EMS_USER = 'api-reader';
export const EMS_PASSWORD = 'pw-5e1f-99ac-Zq';
/** Retries of reads, fast enough for a test. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1000 };
const EMS_START = Date.UTC(2025, 5, 1, 12);

/**
 * The EMS simulator and a client of it, both on `clock` (ms epoch, set it to move time); `setup()` starts
 * them for one test, and they are stopped after each. Make one per `describe`.
 */
export class EmsRig {
  sim!: EmsSimulator;
  client!: EmsClient;
  clock = EMS_START;
  readonly now = (): number => this.clock;

  constructor() {
    afterEach(async () => {
      await this.client?.close();
      await this.sim?.stop();
    });
  }

  async setup(simOpts: Partial<EmsSimOptions> = {}, clientOpts: Partial<EmsClientOptions> = {}): Promise<void> {
    this.clock = EMS_START;
    this.sim = new EmsSimulator({ username: EMS_USER, password: EMS_PASSWORD, now: this.now, ...simOpts });
    await this.sim.start();
    this.client = new EmsClient({ baseUrl: this.sim.url, username: EMS_USER, password: EMS_PASSWORD, now: this.now, retry: FAST_RETRY, timeoutMs: 2000, ...clientOpts });
  }
}
