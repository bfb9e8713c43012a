/**
 * A Plugwise Smile hub: serves a fixture's XML over HTTP with Basic auth, like the real hub does.
 *   new PlugwiseSimulator({fixture: 'adam_plus_anna_new', password: 'abcdefgh'}).start()
 * Fault switches come from SimServer (delay, status, malformed/truncated bodies, drops); `variant`
 * switches to the fixture's updated/, error/ or reboot/ XML.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimServer, type RecordedRequest, type SimReply } from './base';

export const PLUGWISE_FIXTURES = join(__dirname, '..', 'fixtures', 'plugwise');

/** Fixture file name -> the hub path that serves it. */
export function fixturePath(file: string): string | undefined {
  if (file === 'system_status_xml.xml') return '/system/status.xml';
  const m = /^core\.([a-z_]+)\.xml$/.exec(file);
  return m ? `/core/${m[1]}` : undefined;
}

export interface PlugwiseSimOptions {
  fixture: string;
  username?: string;
  password: string;
  /** Stop after this long without a request (ms; 0 never). */
  maxIdleMs?: number;
}

export type PlugwiseVariant = 'normal' | 'updated' | 'error' | 'reboot';

export class PlugwiseSimulator {
  readonly server: SimServer;
  variant: PlugwiseVariant = 'normal';
  private readonly docs = new Map<PlugwiseVariant, Map<string, string>>();

  constructor(private readonly options: PlugwiseSimOptions) {
    const dir = join(PLUGWISE_FIXTURES, options.fixture);
    if (!existsSync(dir)) throw new Error(`No Plugwise fixture "${options.fixture}" in ${PLUGWISE_FIXTURES}`);
    this.docs.set('normal', loadDocs(dir));
    for (const v of ['updated', 'error', 'reboot'] as const) {
      if (existsSync(join(dir, v))) this.docs.set(v, loadDocs(join(dir, v)));
    }
    this.server = new SimServer((req) => this.handle(req), options.maxIdleMs ?? 0);
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  start(port = 0): Promise<number> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Requests that carried a path (e.g. '/core/domain_objects'). */
  count(path = '', method?: string): number {
    return this.server.count(path, method);
  }

  private handle(req: RecordedRequest): SimReply {
    const expected = `Basic ${Buffer.from(`${this.options.username ?? 'smile'}:${this.options.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return { status: 401, headers: { 'www-authenticate': 'Basic realm="Smile"' }, body: 'Unauthorized' };
    }
    const path = req.path.split('?')[0] ?? '/';
    const variantDocs = this.docs.get(this.variant);
    const body = variantDocs?.get(path) ?? this.docs.get('normal')?.get(path);
    if (body === undefined) return { status: 404, body: 'Not found' };
    return { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body };
  }
}

function loadDocs(dir: string): Map<string, string> {
  const docs = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const path = fixturePath(file);
    if (path) docs.set(path, readFileSync(join(dir, file), 'utf8'));
  }
  return docs;
}

/** `npm start`: an Adam with two zones on 127.0.0.1:18081 (the examples point there). */
export const PLUGWISE_DEMO_PORT = 18081;
export const demo = {
  configType: 'plugwise-gateway',
  credentials: { username: 'smile', password: 'demo1234' },
  async start(): Promise<() => Promise<void>> {
    const sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: 'demo1234' });
    await sim.start(PLUGWISE_DEMO_PORT);
    return () => sim.stop();
  },
};
