/**
 * The common part of every gateway simulator: a node:http server on 127.0.0.1 that records requests,
 * tracks its sockets, and applies fault switches before the vendor's own handler answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Fault {
  /** Wait this long before answering (ms). */
  delayMs?: number;
  /** Answer with this HTTP status (and `body`, or a short text). */
  status?: number;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Replace the body: malformed, truncated (half the real body), html error page, empty, huge (10x). */
  body?: 'malformed' | 'truncated' | 'html' | 'empty' | 'huge' | string;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Never answer (until the client gives up). */
  hang?: boolean;
  /** Send the headers, then stall the body. */
  stallBody?: boolean;
  /** Send the body chunked, without a content-length (the client learns its size only by reading it). */
  chunked?: boolean;
  /** Apply to this many requests, then clear (default: until cleared). */
  times?: number;
  /** Apply only to requests whose path starts with this. */
  path?: string;
  /** Answer with the fault without running the vendor's handler (a refusal such as 401 or 429 executes nothing). */
  refuse?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  time: number;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export type SimHandler = (req: RecordedRequest) => SimReply | Promise<SimReply>;

export class SimServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private fault: Fault | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  port = 0;
  /** Connections accepted since start (keep-alive reuse shows as fewer connections than requests). */
  connections = 0;

  /** `maxIdleMs`: the server stops by itself after this long without a request (0: never). */
  constructor(private readonly handler: SimHandler, private readonly maxIdleMs = 0) {}

  get openSockets(): number {
    return this.sockets.size;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  count(pathPrefix = '', method?: string): number {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix) && (!method || r.method === method)).length;
  }

  setFault(fault: Fault | undefined): void {
    this.fault = fault ? { ...fault } : undefined;
  }

  async start(port = 0): Promise<number> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.unref();
    this.server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.touch();
    return this.port;
  }

  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private touch(): void {
    if (!this.maxIdleMs) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stop(), this.maxIdleMs);
    this.idleTimer.unref();
  }

  private activeFault(path: string): Fault | undefined {
    const f = this.fault;
    if (!f || (f.path && !path.startsWith(f.path))) return undefined;
    if (f.times !== undefined) {
      f.times--;
      if (f.times <= 0) this.fault = undefined;
    }
    return f;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.touch();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      time: Date.now(),
    };
    this.requests.push(rec);
    const fault = this.activeFault(rec.path);
    try {
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs).unref());
      if (fault?.drop) {
        req.socket.destroy();
        return;
      }
      if (fault?.hang) return; // the client's timeout ends it; stop() destroys the socket
      let reply = fault?.refuse ? { status: 200, body: '' } : await this.handler(rec);
      if (fault) reply = applyFault(reply, fault);
      res.writeHead(reply.status, fault?.chunked ? { ...reply.headers } : { 'content-length': Buffer.byteLength(reply.body), ...reply.headers });
      if (fault?.stallBody) {
        res.write(reply.body.slice(0, 10));
        return;
      }
      if (fault?.chunked) await writeChunked(res, reply.body);
      else res.end(reply.body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  }
}

/** 64 KiB at a time, as the client takes them; stops when the client hangs up. */
async function writeChunked(res: ServerResponse, body: string): Promise<void> {
  const bytes = Buffer.from(body, 'utf8');
  for (let i = 0; i < bytes.length && !res.destroyed; i += 65536) {
    if (!res.write(bytes.subarray(i, i + 65536))) {
      await new Promise<void>((resolve) => {
        const go = (): void => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
  }
  if (!res.destroyed) res.end();
}

function applyFault(reply: SimReply, fault: Fault): SimReply {
  const out: SimReply = { ...reply, headers: { ...reply.headers, ...fault.headers } };
  if (fault.status !== undefined) {
    out.status = fault.status;
    out.body = `status ${fault.status}`;
  }
  switch (fault.body) {
    case undefined:
      break;
    case 'malformed':
      out.body = '<domain_objects><gateway id="x"><unclosed></domain_objects> {"not": ';
      break;
    case 'truncated':
      out.body = reply.body.slice(0, Math.floor(reply.body.length / 2));
      break;
    case 'html':
      out.body = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
      out.headers = { ...out.headers, 'content-type': 'text/html' };
      break;
    case 'empty':
      out.body = '';
      break;
    case 'huge':
      out.body = reply.body + ' '.repeat(reply.body.length * 9);
      break;
    default:
      out.body = fault.body;
  }
  return out;
}

/** What every gateway simulator offers around its SimServer: address, start/stop, request counts. */
export abstract class Simulator {
  abstract readonly server: SimServer;

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

  /** Requests whose path starts with `path` (and of `method`, when given). */
  count(path = '', method?: string): number {
    return this.server.count(path, method);
  }
}
