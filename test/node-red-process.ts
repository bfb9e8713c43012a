/**
 * A real Node-RED 4 process with this package linked into a fresh userDir (scripts/userdir.ts), on a free
 * loopback port: for tests that need what Node-RED itself writes (log, flows file, admin API, editor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeUserDir, nodeRedScript, repoRoot, type UserDirOptions } from '../scripts/userdir';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class NodeRedProcess {
  url = '';
  dir = '';
  /** Everything the process printed (its log). */
  log = '';
  /** The Node-RED process (its pid, for RSS readings). */
  child: ChildProcess | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  /** `nodeArgs`: options for node itself, before Node-RED's script (e.g. `--max-old-space-size=256`). */
  async start(name: string, options: Omit<UserDirOptions, 'dir' | 'port'> & { nodeArgs?: string[] } = {}): Promise<void> {
    const port = await freePort();
    const dir = join(repoRoot, '.browser-test', name);
    const { nodeArgs = [], ...userDir } = options;
    const settings = makeUserDir({ logLevel: 'info', ...userDir, dir, port });
    await this.startIn(dir, settings, port, nodeArgs);
  }

  /** Starts Node-RED on a userDir prepared by the caller (its settings.js listening on `port`). */
  async startIn(dir: string, settings: string, port: number, nodeArgs: string[] = []): Promise<void> {
    this.dir = dir;
    this.log = '';
    this.child = spawn(process.execPath, [...nodeArgs, nodeRedScript(), '--userDir', this.dir, '--settings', settings], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    // Stops by itself whatever happens to the test.
    this.killTimer = setTimeout(() => this.child?.kill('SIGKILL'), 10 * 60_000);
    this.killTimer.unref();
    this.url = `http://127.0.0.1:${port}/`;
    await waitForHttp(this.url, 60_000);
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child?.once('exit', r));
      this.child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    if (this.killTimer) clearTimeout(this.killTimer);
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`Node-RED did not start at ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
