/**
 * Smiles on the local network: every Plugwise hub announces `_plugwise._tcp` over multicast DNS, with
 * its product and firmware in the TXT record (what Home Assistant's Plugwise integration discovers).
 */
import { browseMdns, type MdnsOptions } from '../../core/mdns';
import type { HubInfo } from './types';

export const PLUGWISE_SERVICE = '_plugwise._tcp.local';

/** The TXT `product` of each hub kind -> our model. */
const PRODUCTS: Record<string, HubInfo['model']> = {
  smile: 'p1',
  smile_thermo: 'anna',
  smile_open_therm: 'adam',
  stretch: 'stretch',
};

const MODEL_NAMES: Record<HubInfo['model'], string> = { adam: 'Adam', anna: 'Anna', p1: 'Smile P1', stretch: 'Stretch' };

export interface FoundHub {
  /** The hub's name on the network, e.g. `smile123456`. */
  name: string;
  /** `adam` | `anna` | `p1` | `stretch`, when the hub says which. */
  model?: HubInfo['model'];
  /** What a user reads: "Adam", "Smile P1" (or the product as announced). */
  label: string;
  firmware?: string;
  /** The address to enter as the gateway's host: its IPv4 address, else its host name. */
  host: string;
  port: number;
}

export async function discoverHubs(options: MdnsOptions): Promise<FoundHub[]> {
  const services = await browseMdns(PLUGWISE_SERVICE, options);
  const hubs: FoundHub[] = [];
  for (const s of services) {
    const host = s.addresses.find((a) => !a.includes(':')) ?? s.host?.replace(/\.$/, '');
    if (!host) continue;
    const product = s.txt.product;
    const model = product === undefined ? undefined : PRODUCTS[product];
    hubs.push({ name: s.instance, model, label: model ? MODEL_NAMES[model] : product ?? 'Plugwise hub', firmware: s.txt.version, host, port: s.port ?? 80 });
  }
  return hubs;
}
