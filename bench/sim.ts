/**
 * A loopback simulator (test/simulators/*) in a child process of its own, so that its work and memory
 * do not count in the process being measured (and it runs on the other core).
 *   const sim = await simulatorProcess('heatingcontrol', { clientId, clientSecret });
 *   sim.url; await sim.count('/v1/oauth/token', 'POST'); await sim.stop();
 * The child stops with its parent (IPC disconnect).
 */
import { fork, type ChildProcess } from 'node:child_process';

export type Vendor = 'plugwise' | 'heatingcontrol' | 'thinknx' | 'ems';

interface Started {
  start(port?: number): Promise<number>;
  stop(): Promise<void>;
  server: { count(path?: string, method?: string): number };
}

async function construct(vendor: Vendor, options: Record<string, unknown>): Promise<Started> {
  switch (vendor) {
    case 'plugwise':
      return new (await import('../test/simulators/plugwise')).PlugwiseSimulator(options as never);
    case 'heatingcontrol':
      return new (await import('../test/simulators/heatingcontrol')).HeatingSimulator(options as never);
    case 'thinknx':
      return new (await import('../test/simulators/thinknx')).ThinknxSimulator(options as never);
    case 'ems':
      return new (await import('../test/simulators/ems')).EmsSimulator(options as never);
  }
}

interface Ask {
  id: number;
  path?: string;
  method?: string;
}

/** The child: starts the simulator on 127.0.0.1 (port 0), answers `count` questions, stops on disconnect. */
async function child(vendor: Vendor, options: Record<string, unknown>): Promise<void> {
  const sim = await construct(vendor, options);
  const port = await sim.start();
  process.on('message', (m: Ask) => process.send?.({ id: m.id, count: sim.server.count(m.path ?? '', m.method) }));
  process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
  process.send?.({ port });
}

export interface SimProcess {
  url: string;
  port: number;
  /** Requests the simulator received whose path starts with `path` (and of `method`). */
  count(path?: string, method?: string): Promise<number>;
  stop(): Promise<void>;
}

export async function simulatorProcess(vendor: Vendor, options: Record<string, unknown>): Promise<SimProcess> {
  const proc: ChildProcess = fork(__filename, ['--simulator', vendor, JSON.stringify(options)], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { port: number }).port));
    proc.once('exit', (code) => reject(new Error(`the ${vendor} simulator exited with ${code}`)));
  });
  let next = 0;
  const waiting = new Map<number, (n: number) => void>();
  proc.on('message', (m: { id?: number; count?: number }) => {
    if (m.id !== undefined) waiting.get(m.id)?.(m.count ?? NaN);
    if (m.id !== undefined) waiting.delete(m.id);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    count: (path, method) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        proc.send({ id, path, method });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || !proc.connected) return resolve();
        proc.once('exit', () => resolve());
        proc.disconnect();
      }),
  };
}

const at = process.argv.indexOf('--simulator');
if (at > 0) {
  child(process.argv[at + 1] as Vendor, JSON.parse(process.argv[at + 2] ?? '{}') as Record<string, unknown>).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
