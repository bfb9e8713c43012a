/**
 * A Node-RED userDir with this package installed (linked) and offline editor settings: used by the
 * demo (`npm start`) and the browser test. The demo's userDir also links FlowFuse Dashboard 2.0 (a
 * devDependency, never a runtime one) when it is installed, for the dashboard at /dashboard.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const repoRoot = join(__dirname, '..');

export const DASHBOARD_PACKAGE = '@flowfuse/node-red-dashboard';

/** Where FlowFuse Dashboard 2.0 is installed beside this repo (a devDependency), or undefined. */
export function dashboardDir(): string | undefined {
  try {
    return dirname(require.resolve(`${DASHBOARD_PACKAGE}/package.json`, { paths: [repoRoot] }));
  } catch {
    return undefined;
  }
}

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
  /** Link FlowFuse Dashboard 2.0 into node_modules too, when it is installed (the demo; default false). */
  linkDashboard?: boolean;
}

export function makeUserDir(opts: UserDirOptions): string {
  rmSync(opts.dir, { recursive: true, force: true });
  writeFlows(opts);
  return writeSettings(opts);
}

export interface DemoDirOptions extends UserDirOptions {
  /** Start over from the demo flows (the user's flows are kept aside in flows.before-reset.json). */
  reset?: boolean;
}

/**
 * The demo's userDir: the demo flows are written only when there are no flows yet (or on `reset`), so
 * whatever the user built or changed in the editor is still there at the next `npm start`. The settings,
 * package.json and the package link are written every time (the port may have changed).
 */
export function prepareDemoUserDir(opts: DemoDirOptions): { settings: string; seeded: boolean } {
  const flowsFile = join(opts.dir, 'flows.json');
  const present = hasFlows(flowsFile);
  if (present && opts.reset) {
    renameSync(flowsFile, join(opts.dir, 'flows.before-reset.json'));
    const creds = join(opts.dir, 'flows_cred.json');
    if (existsSync(creds)) renameSync(creds, join(opts.dir, 'flows_cred.before-reset.json'));
  }
  const seeded = !present || opts.reset === true;
  if (seeded) writeFlows(opts);
  return { settings: writeSettings({ linkDashboard: true, ...opts }), seeded };
}

function hasFlows(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const flows = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(flows) ? flows.length > 0 : true;
  } catch {
    // A flows file Node-RED cannot read either: keep it for the user to look at, do not overwrite it.
    return true;
  }
}

function writeFlows(opts: UserDirOptions): void {
  mkdirSync(opts.dir, { recursive: true });
  writeFileSync(join(opts.dir, 'flows.json'), JSON.stringify(opts.flows ?? [], null, 2));
  if (opts.credentials) writeFileSync(join(opts.dir, 'flows_cred.json'), JSON.stringify(opts.credentials, null, 2));
}

function writeSettings(opts: UserDirOptions): string {
  mkdirSync(join(opts.dir, 'node_modules'), { recursive: true });
  const link = join(opts.dir, 'node_modules', 'node-red-contrib-energy-gateways');
  if (opts.linkPackage !== false && !isLink(link)) symlinkSync(repoRoot, link, 'dir');
  const dependencies: Record<string, string> = { 'node-red-contrib-energy-gateways': '*' };
  const dashboardLink = join(opts.dir, 'node_modules', ...DASHBOARD_PACKAGE.split('/'));
  const dashboard = opts.linkDashboard ? dashboardDir() : undefined;
  // A link left by an earlier start whose target has gone (Dashboard uninstalled) would fail Node-RED's scan.
  if (isSymlink(dashboardLink) && (!dashboard || !existsSync(dashboardLink))) unlinkSync(dashboardLink);
  if (dashboard) {
    mkdirSync(dirname(dashboardLink), { recursive: true });
    if (!isLink(dashboardLink)) symlinkSync(dashboard, dashboardLink, 'dir');
    dependencies[DASHBOARD_PACKAGE] = '*';
  }
  writeFileSync(join(opts.dir, 'package.json'), JSON.stringify({ name: 'energy-gateways-userdir', private: true, dependencies }));
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

function isLink(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function nodeRedScript(pkg = 'node-red'): string {
  return join(repoRoot, 'node_modules', pkg, 'red.js');
}
