/**
 * The package as it ships: `npm pack --dry-run --json` (what the tarball holds) and the runtime
 * dependency closure from package-lock.json. Used by package-size.ts, and by nodered-start.ts to
 * install the package into a userDir as npm would (a copy of the packed files, dependencies beside it),
 * not as a link to this repository (whose node_modules Node-RED would scan too).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './lib';

export interface Packed {
  name: string;
  /** Tarball size, bytes. */
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** What `npm pack` would put in the tarball (scripts not run: build first). */
export function packed(): Packed {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [first] = JSON.parse(out) as Packed[];
  if (!first) throw new Error('npm pack --dry-run gave no package');
  return first;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
}

/** Every package installed with this one in production (package-lock.json, dev dependencies left out). */
export function runtimeClosure(): { name: string; version: string }[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const out: { name: string; version: string }[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.dev || entry.devOptional) continue;
    out.push({ name: path.slice('node_modules/'.length), version: entry.version ?? '?' });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A copy of the packed files in a temporary folder (made once per benchmark run). */
export function packedCopy(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pkg-'));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  return dir;
}

/** Installs the packed copy into `nodeModules` (a real folder) and links its runtime dependencies beside it. */
export function install(copy: string, nodeModules: string, name: string): void {
  cpSync(copy, join(nodeModules, name), { recursive: true });
  for (const dep of runtimeClosure()) {
    const target = join(nodeModules, dep.name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep.name), target, 'dir');
  }
}
