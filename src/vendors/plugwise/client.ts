import { GatewayError } from '../../core/errors';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../core/http';
import { SerialQueue } from '../../core/queue';
import { detectHub, PlugwiseModel, type HubInfo, type PlugwiseSnapshot } from './index';
import { hubXml, type HubXml, type LastRead, type WriteRequest } from './controls';
import { historyPath, parseHistory, type HistorySeries, type HistorySource } from './history';

export interface PlugwiseClientOptions {
  host: string;
  port?: number;
  /** `smile` (Adam, Anna, P1) or `stretch`. */
  username?: string;
  /** The 8-character Smile ID printed on the hub. */
  password: string;
  timeoutMs?: number;
  /** Clock used as the model's "now" (tests freeze it). */
  now?: () => number;
}

export const PLUGWISE_DEFAULT_PORT = 80;

/** "smile.local", "http://10.0.0.5:8080/" or "[fe80::1]" -> a base URL. */
export function plugwiseBaseUrl(host: string, port = PLUGWISE_DEFAULT_PORT): string {
  const h = host.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  if (!h) throw new GatewayError('BAD_INPUT', 'The Plugwise gateway has no host: enter the hub\'s IP address or host name.');
  const hasPort = /:\d+$/.test(h) && !/^\[.*\]$/.test(h) && (h.match(/:/g) ?? []).length === 1;
  return `http://${hasPort ? h : `${h}:${port}`}`;
}

/**
 * A Plugwise Smile hub on the local network: Basic auth with the Smile ID, one request at a time
 * (the hubs are small), hub detection on first use, and each read turned into the entity model.
 */
export class PlugwiseClient {
  readonly http: HttpClient;
  readonly queue = new SerialQueue();
  private hub: HubInfo | undefined;
  /** The entity model of this hub: python-plugwise's state between updates and its update schedule. */
  private model: PlugwiseModel | undefined;
  private detecting: Promise<HubInfo> | undefined;
  /** Bodies fetched while detecting, used by the read right after it instead of asking again. */
  private fresh = new Map<string, string>();
  private readonly auth: string;
  private readonly host: string;
  /** The last successful read: its snapshot and bodies (parsed for writes on demand). */
  private last: { info: HubInfo; snapshot: PlugwiseSnapshot; docs: Record<string, string>; xml?: HubXml } | undefined;

  constructor(private readonly options: PlugwiseClientOptions) {
    this.host = options.host.trim();
    const user = options.username?.trim() || 'smile';
    this.auth = `Basic ${Buffer.from(`${user}:${options.password}`).toString('base64')}`;
    this.http = new HttpClient({
      baseUrl: plugwiseBaseUrl(options.host, options.port),
      label: `Smile ${this.host}`,
      timeoutMs: options.timeoutMs ?? 10_000,
      connections: 1,
      secrets: () => [options.password],
    });
  }

  /** The detected hub, once a read or `connect()` has succeeded. */
  get info(): HubInfo | undefined {
    return this.hub;
  }

  /** Detects the hub (once; later calls share the first detection). */
  connect(signal?: AbortSignal): Promise<HubInfo> {
    if (this.hub) return Promise.resolve(this.hub);
    if (!this.detecting) {
      this.fresh.clear();
      this.detecting = detectHub(async (path) => {
        const body = await this.get(path, signal);
        this.fresh.set(path, body);
        return body;
      })
        .then((info) => (this.hub = info))
        .finally(() => (this.detecting = undefined));
    }
    return this.detecting;
  }

  /**
   * One update of the hub, turned into the snapshot: the requests python-plugwise's `async_update` sends
   * (PlugwiseModel.paths: a modern hub 1 document; a legacy hub 4, or 3 for a P1, on its first update of a
   * day and 2 on the others), one at a time. Bodies just fetched by detection are not asked for again.
   */
  async read(signal?: AbortSignal): Promise<PlugwiseSnapshot> {
    const info = await this.connect(signal);
    const model = (this.model ??= new PlugwiseModel(info));
    const now = (this.options.now ?? Date.now)();
    const docs: Record<string, string> = {};
    for (const path of model.paths(now)) {
      const reused = this.fresh.get(path);
      this.fresh.delete(path);
      docs[path] = reused ?? (await this.get(path, signal));
    }
    this.fresh.clear();
    try {
      const snapshot = model.update(docs, now);
      // a legacy hub's same-day update skips documents: writes still see the last of each
      this.last = { info, snapshot, docs: { ...this.last?.docs, ...docs } };
      return snapshot;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('BAD_RESPONSE', `The reply of Smile ${this.host} could not be understood (${(err as Error).message}).`);
    }
  }

  /** What writes are checked against: the last read's snapshot and its XML (undefined before a read). */
  get lastRead(): LastRead | undefined {
    const last = this.last;
    if (last === undefined) return undefined;
    last.xml ??= hubXml(last.info, last.docs);
    return { info: last.info, snapshot: last.snapshot, xml: last.xml };
  }

  /** GET a hub path, through the queue (at most one request in flight to the hub). */
  get(path: string, signal?: AbortSignal): Promise<string> {
    return this.queue.run(async (qsignal) => {
      const req: HttpRequest = { path, headers: { authorization: this.auth, accept: 'application/xml, text/xml' }, signal: qsignal };
      const res = await this.http.request(req, (r, q) => this.statusError(r, q));
      return res.body;
    }, signal);
  }

  /**
   * One ranged read of an element's logs (`@from` / `@to` / `@interval`), through the queue like every
   * read: it waits for a poll in flight, and a poll asked for meanwhile goes before the next range.
   */
  async history(
    source: Pick<HistorySource, 'route' | 'id'>,
    span: { from: number; to: number; interval?: string; logs?: readonly string[] },
    signal?: AbortSignal,
  ): Promise<HistorySeries[]> {
    const body = await this.get(historyPath(source, span.from, span.to, span.interval), signal);
    try {
      return parseHistory(body, source, { logs: span.logs, interval: span.interval });
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('BAD_RESPONSE', `The history reply of Smile ${this.host} could not be understood (${(err as Error).message}).`);
    }
  }

  /** Sends a write (PUT/POST/DELETE) through the queue, exactly once: never retried. */
  async write({ method, path, body }: WriteRequest, signal?: AbortSignal): Promise<HttpResponse> {
    return this.queue.run(async (qsignal) => {
      const req: HttpRequest = {
        method,
        path,
        body: body === '' ? undefined : body,
        // python-plugwise: text/xml on PUT and POST; a DELETE goes without a body.
        headers: method === 'DELETE' ? { authorization: this.auth } : { authorization: this.auth, 'content-type': 'text/xml' },
        signal: qsignal,
        retry: false,
      };
      return this.http.request(req, (r, q) => this.statusError(r, q));
    }, signal);
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.http.close();
  }

  private statusError(res: HttpResponse, req: HttpRequest): GatewayError | undefined {
    if (res.statusCode === 401 || res.statusCode === 403) {
      const user = this.options.username?.trim() || 'smile';
      return new GatewayError(
        'AUTH_FAILED',
        `Smile ${this.host} refused the login (HTTP ${res.statusCode}): check the 8-character Smile ID and the user name ("${user}"; "stretch" for a Stretch).`,
        { statusCode: res.statusCode, statusText: 'Smile ID refused' },
      );
    }
    if (res.statusCode === 404) {
      return new GatewayError('NOT_FOUND', `Smile ${this.host} has no ${this.http.what(req)}: check that the host is a Plugwise hub.`, { statusCode: 404, statusText: 'not found (HTTP 404)' });
    }
    return undefined;
  }
}
