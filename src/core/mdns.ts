/**
 * Finding devices that announce a DNS-SD service over multicast DNS (RFC 6762/6763): asks for the
 * service's instances (PTR), reads each one's SRV (host, port), TXT (properties) and A/AAAA (addresses)
 * from the answers, and stops after `timeoutMs`. multicast-dns is loaded on the first search only, so
 * Node-RED's start and a flow that never searches do not pay for it.
 */
import type { Answer } from 'dns-packet';
import type mDNS from 'multicast-dns';
import { GatewayError } from './errors';
import { NOTHING, onAbort } from './signals';

export interface MdnsService {
  /** The instance name without the service suffix, e.g. `smile123456`. */
  instance: string;
  /** The SRV target host name, e.g. `smile123456.local`. */
  host?: string;
  port?: number;
  /** IPv4 addresses first. */
  addresses: string[];
  /** TXT properties as `key=value` pairs (keys lower-cased). */
  txt: Record<string, string>;
}

export interface MdnsOptions {
  /** How long to listen for answers (ms). */
  timeoutMs: number;
  /** The local interface address to ask on (all when absent). */
  interface?: string;
  /** UDP port (5353: tests use their own). */
  port?: number;
  /** Address the socket binds to (default: multicast-dns's choice; tests bind to the group address). */
  bind?: string;
  signal?: AbortSignal;
}

const RESEND_MS = 1000;

type Factory = (options?: mDNS.Options) => mDNS.MulticastDNS;

/** Instances of `service` (e.g. `_plugwise._tcp.local`) that answered within the time, sorted by name. */
export async function browseMdns(service: string, options: MdnsOptions): Promise<MdnsService[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const make = require('multicast-dns') as Factory;
  const found = new Map<string, MdnsService>();
  const hosts = new Map<string, string[]>();
  const instanceOf = (name: string): string | undefined => (name.toLowerCase().endsWith(`.${service.toLowerCase()}`) ? name.slice(0, -service.length - 1) : undefined);
  const entry = (instance: string): MdnsService => {
    let s = found.get(instance);
    if (!s) {
      s = { instance, addresses: [], txt: {} };
      found.set(instance, s);
    }
    return s;
  };
  const take = (a: Answer): void => {
    if (a.type === 'PTR' && a.name.toLowerCase() === service.toLowerCase() && typeof a.data === 'string') {
      const instance = instanceOf(a.data);
      if (instance) entry(instance);
    } else if (a.type === 'SRV') {
      const instance = instanceOf(a.name);
      if (instance) Object.assign(entry(instance), { host: a.data.target, port: a.data.port });
    } else if (a.type === 'TXT') {
      const instance = instanceOf(a.name);
      if (instance) Object.assign(entry(instance).txt, txtProperties(a.data));
    } else if ((a.type === 'A' || a.type === 'AAAA') && typeof a.data === 'string') {
      const list = hosts.get(a.name.toLowerCase()) ?? [];
      if (!list.includes(a.data)) (a.type === 'A' ? list.unshift(a.data) : list.push(a.data));
      hosts.set(a.name.toLowerCase(), list);
    }
  };

  return new Promise<MdnsService[]>((resolve, reject) => {
    let m: mDNS.MulticastDNS;
    try {
      m = make({ port: options.port, interface: options.interface, bind: options.bind, loopback: true, ttl: 255 } as mDNS.Options);
    } catch (err) {
      reject(new GatewayError('UNREACHABLE', `Multicast DNS could not start: ${err instanceof Error ? err.message : String(err)}.`));
      return;
    }
    let resend: NodeJS.Timeout | undefined;
    let done = false;
    const ask = (): void => m.query({ questions: [{ name: service, type: 'PTR' }] });
    const finish = (err?: GatewayError): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearInterval(resend);
      stopWatching();
      m.destroy();
      if (err) return reject(err);
      for (const s of found.values()) if (s.host) s.addresses = hosts.get(s.host.toLowerCase()) ?? [];
      resolve([...found.values()].sort((a, b) => a.instance.localeCompare(b.instance)));
    };
    const deadline = setTimeout(() => finish(), options.timeoutMs);
    const stopWatching = options.signal ? onAbort(options.signal, () => finish(new GatewayError('TIMEOUT', 'The network search was stopped.'))) : NOTHING;
    m.on('response', (packet) => {
      for (const a of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) take(a);
    });
    m.on('error', (err: Error) => finish(new GatewayError('UNREACHABLE', `Multicast DNS failed: ${err.message} (is another program using UDP port ${options.port ?? 5353} exclusively?).`)));
    // A warning is one bad packet or interface: the search goes on with the rest.
    m.on('warning', NOTHING);
    m.on('ready', () => {
      ask();
      resend = setInterval(ask, RESEND_MS);
    });
  });
}

function txtProperties(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = Array.isArray(data) ? data : [data];
  for (const item of items) {
    const text = Buffer.isBuffer(item) ? item.toString('utf8') : typeof item === 'string' ? item : '';
    const eq = text.indexOf('=');
    if (eq > 0) out[text.slice(0, eq).toLowerCase()] = text.slice(eq + 1);
  }
  return out;
}
