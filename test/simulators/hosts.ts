/**
 * Hosts an attacker would name in an editor call: one that records whatever reaches it (to prove no
 * stored secret was sent), and one that accepts connections and never answers (to prove editor calls
 * end and let their sockets go). Both listen on 127.0.0.1 and close every socket on stop().
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestHost {
  port: number;
  url: string;
  /** Sockets open right now. */
  openSockets(): number;
  /** Connections accepted since start. */
  connections(): number;
  stop(): Promise<void>;
}

export interface RecordingHost extends TestHost {
  /** Every request received, whole (answered with 404). */
  received: Recorded[];
  /** Everything received as one text, for secret searches. */
  text(): string;
}

function track(server: Server, sockets: Set<Socket>, counter: { n: number }): void {
  server.on('connection', (s: Socket) => {
    counter.n += 1;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
}

async function listen(server: Server, sockets: Set<Socket>, counter: { n: number }): Promise<TestHost> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // Stops by itself if a test forgets to.
  const guard = setTimeout(() => server.close(), 10 * 60_000);
  guard.unref();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    openSockets: () => sockets.size,
    connections: () => counter.n,
    stop: async () => {
      clearTimeout(guard);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startRecordingHost(): Promise<RecordingHost> {
  const received: Recorded[] = [];
  const sockets = new Set<Socket>();
  const counter = { n: 0 };
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = 404;
      res.end();
    });
  });
  track(server, sockets, counter);
  const host = await listen(server, sockets, counter);
  return { ...host, received, text: () => received.map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n') };
}

export async function startSilentHost(): Promise<TestHost> {
  const sockets = new Set<Socket>();
  const counter = { n: 0 };
  // Reads (and drops) what arrives, so that a client closing its end is seen at once.
  const server = createNetServer((s) => s.resume());
  track(server, sockets, counter);
  return listen(server, sockets, counter);
}
