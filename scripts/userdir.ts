/**
 * A Node-RED userDir with this package installed (linked) and offline editor settings: used by the
 * demo (`npm start`) and the browser test.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..');

export interface UserDirOptions {
  dir: string;
  port: number;
  flows?: object[];
  credentials?: Record<string, Record<string, string>>;
  logLevel?: string;
  /** Extra settings.js properties, as JavaScript source (e.g. adminAuth). */
  extraSettings?: string;
  /** Encrypt flows_cred.json with this key (default: stored unencrypted, as the demo does). */
  credentialSecret?: string;
  /** Link this repo into node_modules (default true); false when the package is npm-installed (install test). */
  linkPackage?: boolean;
}

export function makeUserDir(opts: UserDirOptions): string {
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(join(opts.dir, 'node_modules'), { recursive: true });
  const link = join(opts.dir, 'node_modules', 'node-red-contrib-energy-gateways');
  if (opts.linkPackage !== false && !existsSync(link)) symlinkSync(repoRoot, link, 'dir');
  writeFileSync(
    join(opts.dir, 'package.json'),
    JSON.stringify({ name: 'energy-gateways-userdir', private: true, dependencies: { 'node-red-contrib-energy-gateways': '*' } }),
  );
  writeFileSync(join(opts.dir, 'flows.json'), JSON.stringify(opts.flows ?? [], null, 2));
  if (opts.credentials) writeFileSync(join(opts.dir, 'flows_cred.json'), JSON.stringify(opts.credentials, null, 2));
  const settings = join(opts.dir, 'settings.js');
  writeFileSync(
    settings,
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${opts.port},
  flowFile: 'flows.json',
  credentialSecret: ${opts.credentialSecret ? JSON.stringify(opts.credentialSecret) : 'false'},
  editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  logging: { console: { level: '${opts.logLevel ?? 'info'}' } },
${opts.extraSettings ?? ''}
};
`,
  );
  return settings;
}

export function nodeRedScript(pkg = 'node-red'): string {
  return join(repoRoot, 'node_modules', pkg, 'red.js');
}
