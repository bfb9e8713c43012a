/**
 * A resolver for the tests that answers `*.invalid` names itself, as RFC 6761 asks of resolvers: no DNS
 * query leaves the machine. While `up`, `*.fault-matrix.invalid` resolves to 127.0.0.1 (where the
 * simulators listen); otherwise, and for every other `.invalid` name, the answer is NXDOMAIN (ENOTFOUND).
 * Node's net (and so undici) looks names up through dns.lookup on every new connection.
 */
import dns from 'node:dns';

export const FAKE_TLD = '.fault-matrix.invalid';

export interface FakeDns {
  /** While false, every `*.invalid` name is NXDOMAIN; while true, `*.fault-matrix.invalid` is 127.0.0.1. */
  up: boolean;
  lookups: number;
  restore(): void;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;

export function installFakeDns(): FakeDns {
  const original = dns.lookup;
  const state: FakeDns = {
    up: true,
    lookups: 0,
    restore: () => {
      (dns as { lookup: unknown }).lookup = original;
    },
  };
  const fake = function (this: unknown, host: string, options: unknown, callback?: LookupCallback): void {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = (typeof options === 'object' && options ? options : {}) as { all?: boolean };
    if (!String(host).endsWith('.invalid')) {
      (original as (...a: unknown[]) => void).call(this, host, options, callback);
      return;
    }
    state.lookups++;
    if (state.up && host.endsWith(FAKE_TLD)) {
      process.nextTick(() => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
      return;
    }
    const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo' });
    process.nextTick(() => cb(err));
  };
  (dns as { lookup: unknown }).lookup = fake;
  return state;
}
