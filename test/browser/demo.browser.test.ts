/**
 * `npm start` keeps the user's work (issue 15, item 1): the demo userDir is seeded with the example flows
 * once; a tab the user adds and deploys in the editor is still there after a restart; `--reset` starts
 * over and keeps the user's flows aside.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoFlows } from '../../scripts/demo';
import { prepareDemoUserDir, repoRoot } from '../../scripts/userdir';
import { freePort } from '../node-red-process';
import { EditorSession } from './editor';

const DIR = join(repoRoot, '.browser-test', 'demo-restart');
const examples = demoFlows(join(repoRoot, 'examples'));

interface Workspace {
  id: string;
  label: string;
}

describe('editor (headless Chromium): the demo keeps the user\'s flows across restarts', function () {
  this.timeout(180_000);

  /** Starts the demo's Node-RED on DIR as `npm start` prepares it, with the editor open. */
  async function startDemo(reset = false): Promise<{ editor: EditorSession; seeded: boolean }> {
    const editor = new EditorSession();
    let seeded = false;
    await editor.start('demo-restart', async (red) => {
      const port = await freePort();
      const prepared = prepareDemoUserDir({ dir: DIR, port, flows: examples, logLevel: 'warn', reset });
      seeded = prepared.seeded;
      await red.startIn(DIR, prepared.settings, port);
    });
    return { editor, seeded };
  }

  const workspaces = (editor: EditorSession): Promise<Workspace[]> =>
    editor.page.evaluate(() => {
      const out: { id: string; label: string }[] = [];
      (globalThis as unknown as { RED: { nodes: { eachWorkspace(fn: (ws: { id: string; label: string }) => void): void } } }).RED.nodes.eachWorkspace((ws) => out.push({ id: ws.id, label: ws.label }));
      return out;
    });

  before(() => rmSync(DIR, { recursive: true, force: true }));

  it('a tab added in the editor survives a restart, beside the demo tabs; --reset starts over', async () => {
    const demoTabs = examples.filter((n) => n.type === 'tab').length;

    // First start: the demo is seeded.
    let { editor, seeded } = await startDemo();
    let userTab = '';
    try {
      assert.equal(seeded, true);
      assert.equal((await workspaces(editor)).length, demoTabs);
      await editor.page.click('#red-ui-workspace .red-ui-tab-button.red-ui-tabs-add a');
      await editor.page.waitForFunction((n) => {
        let count = 0;
        (globalThis as unknown as { RED: { nodes: { eachWorkspace(fn: () => void): void } } }).RED.nodes.eachWorkspace(() => (count += 1));
        return count === n;
      }, demoTabs + 1);
      const added = (await workspaces(editor)).find((w) => !examples.some((n) => n.id === w.id));
      assert.ok(added, 'a new tab');
      userTab = added.id;
      await editor.addNode('inject', 200, 150);
      await editor.closeDialog();
      await editor.deploy();
      await editor.shot('demo-01-user-tab');
    } finally {
      await editor.stop();
    }
    const saved = JSON.parse(readFileSync(join(DIR, 'flows.json'), 'utf8')) as { id: string; type: string; z?: string }[];
    assert.ok(saved.some((n) => n.type === 'inject' && n.z === userTab), 'the deploy wrote the user\'s inject node');

    // Second start: the same flows, not the demo's again.
    ({ editor, seeded } = await startDemo());
    try {
      assert.equal(seeded, false);
      const tabs = await workspaces(editor);
      assert.equal(tabs.length, demoTabs + 1);
      assert.ok(tabs.some((w) => w.id === userTab), 'the user\'s tab is back');
      const injects = await editor.page.evaluate((z) => {
        let n = 0;
        (globalThis as unknown as { RED: { nodes: { eachNode(fn: (node: { type: string; z: string }) => void): void } } }).RED.nodes.eachNode((node) => {
          if (node.type === 'inject' && node.z === z) n += 1;
        });
        return n;
      }, userTab);
      assert.equal(injects, 1, 'with its inject node');
    } finally {
      await editor.stop();
    }

    // --reset: the demo again, the user's flows kept aside.
    ({ editor, seeded } = await startDemo(true));
    try {
      assert.equal(seeded, true);
      assert.equal((await workspaces(editor)).length, demoTabs);
      assert.ok(existsSync(join(DIR, 'flows.before-reset.json')));
      assert.ok(readFileSync(join(DIR, 'flows.before-reset.json'), 'utf8').includes(userTab));
    } finally {
      await editor.stop();
    }
  });
});
