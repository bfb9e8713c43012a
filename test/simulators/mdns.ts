/**
 * A multicast DNS responder that answers `_plugwise._tcp` queries as Smiles do (PTR, SRV, TXT with product
 * and version, A), for the network search's tests. It listens on the loopback interface only: the socket
 * is bound to the mDNS group address on a port of the test's choosing, and multicast goes out on lo.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import makeMdns from 'multicast-dns';

export const MDNS_GROUP = '224.0.0.251';

export interface AnnouncedHub {
  name: string;
  product: string;
  version: string;
  address: string;
  port?: number;
}

export interface MdnsResponder {
  port: number;
  queries(): number;
  stop(): Promise<void>;
}

/**
 * Loopback multicast, as these tests need it: Linux's lo often comes without the MULTICAST flag; as root
 * it is switched on (harmless: only this machine's own traffic uses lo). False when it cannot be.
 */
export function loopbackMulticast(): boolean {
  const flags = (): number => {
    try {
      return Number(readFileSync('/sys/class/net/lo/flags', 'utf8').trim());
    } catch {
      return 0;
    }
  };
  const IFF_MULTICAST = 0x1000;
  if (flags() & IFF_MULTICAST) return true;
  try {
    execFileSync('ip', ['link', 'set', 'lo', 'multicast', 'on'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return (flags() & IFF_MULTICAST) !== 0;
}

export async function startMdnsResponder(port: number, hubs: AnnouncedHub[], service = '_plugwise._tcp.local'): Promise<MdnsResponder> {
  const m = makeMdns({ port, interface: '127.0.0.1', bind: MDNS_GROUP, loopback: true, ttl: 1 } as Parameters<typeof makeMdns>[0]);
  let queries = 0;
  m.on('query', (q) => {
    if (!q.questions.some((x) => x.name.toLowerCase() === service.toLowerCase() && x.type === 'PTR')) return;
    queries += 1;
    for (const hub of hubs) {
      const instance = `${hub.name}.${service}`;
      const host = `${hub.name}.local`;
      m.respond({
        answers: [{ name: service, type: 'PTR', ttl: 120, data: instance }],
        additionals: [
          { name: instance, type: 'SRV', ttl: 120, data: { port: hub.port ?? 80, target: host, priority: 0, weight: 0 } },
          { name: instance, type: 'TXT', ttl: 120, data: [`product=${hub.product}`, `version=${hub.version}`] },
          { name: host, type: 'A', ttl: 120, data: hub.address },
        ],
      });
    }
  });
  m.on('error', () => undefined);
  m.on('warning', () => undefined);
  await new Promise<void>((resolve) => m.once('ready', () => resolve()));
  // Stops by itself if a test forgets to.
  const guard = setTimeout(() => m.destroy(), 10 * 60_000);
  guard.unref();
  return {
    port,
    queries: () => queries,
    stop: () =>
      new Promise<void>((resolve) => {
        clearTimeout(guard);
        m.destroy(() => resolve());
      }),
  };
}
