/**
 * The editor as a user reads it, checked from the sources every node set's editor is built from:
 * every visible string of a dialog comes from the en-US catalog, every catalog key the editor asks for
 * exists, every node has help with what it does, its inputs, outputs and an example, and every action
 * node's icon ships.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPABILITIES, DEVICE_LABELS } from '../../src/vendors/thinknx/controllers';
import { DPTS } from '../../src/vendors/thinknx/knx';
import { OPERATIONS, SCOPES } from '../../src/vendors/ems/routes';

const root = join(__dirname, '..', '..');
const NODES = join(root, 'src', 'nodes');
const VENDORS = readdirSync(NODES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'common' && existsSync(join(NODES, d.name, 'editor', 'index.ts')))
  .map((d) => d.name)
  .sort();
const CONFIG_TYPES = ['plugwise-gateway', 'heating-account', 'thinknx-server', 'ems-server'];
const ACTION_TYPES = ['plugwise-in', 'plugwise-control', 'plugwise-history', 'heating-command', 'thinknx-control', 'ems-history'];

type Catalog = Record<string, unknown>;

function catalogOf(vendor: string): Catalog {
  return JSON.parse(readFileSync(join(NODES, vendor, 'locales', 'en-US', `${vendor}.json`), 'utf8')) as Catalog;
}

function lookup(cat: Catalog, key: string): unknown {
  let v: unknown = cat;
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function editorFiles(vendor: string, suffix: string): string[] {
  const dir = join(NODES, vendor, 'editor');
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f));
}

function templates(vendor: string): { type: string; html: string }[] {
  return editorFiles(vendor, '.html')
    .filter((f) => !f.endsWith('.help.html'))
    .map((f) => ({ type: f.replace(/^.*\/|\.html$/g, ''), html: readFileSync(f, 'utf8') }));
}

/** The keys of data-i18n="a.b;[placeholder]c.d". */
function i18nKeys(html: string): string[] {
  const keys: string[] = [];
  for (const m of html.matchAll(/data-i18n="([^"]*)"/g)) for (const part of m[1]!.split(';')) keys.push(part.replace(/^\[[^\]]+\]/, '').trim());
  return keys;
}

describe('editor: en-US catalog and help (all node sets)', () => {
  it('finds the four node sets and their ten node types', () => {
    assert.deepEqual(VENDORS, ['ems', 'heatingcontrol', 'plugwise', 'thinknx']);
    const types = VENDORS.flatMap((v) => templates(v).map((t) => t.type)).sort();
    assert.deepEqual(types, [...CONFIG_TYPES, ...ACTION_TYPES].sort());
  });

  for (const vendor of VENDORS) {
    describe(vendor, () => {
      const cat = catalogOf(vendor);

      it('has the common keys the shared editor helpers use', () => {
        for (const k of ['testConnection', 'testing', 'loading', 'notListed', 'refresh', 'storedSecrets']) assert.equal(typeof lookup(cat, `common.${k}`), 'string', `common.${k}`);
      });

      it('every data-i18n key of every dialog is in the catalog', () => {
        for (const { type, html } of templates(vendor)) {
          const keys = i18nKeys(html);
          assert.ok(keys.length > 3, `${type} uses the catalog`);
          for (const k of keys) assert.equal(typeof lookup(cat, k), 'string', `${type}: ${k}`);
        }
      });

      it('dialogs have no hard-coded text: labels, options and hints all come through data-i18n', () => {
        for (const { type, html } of templates(vendor)) {
          const text = html
            .replace(/<style[\s\S]*?<\/style>/g, '')
            .replace(/<[^>]+>/g, ' ')
            .replace(/&[a-z]+;/g, ' ')
            .trim();
          assert.equal(text, '', `${type} shows text outside the catalog: "${text.slice(0, 80)}"`);
          // A literal placeholder or title is an example value (address, number), never words.
          for (const m of html.matchAll(/\s(placeholder|title)="([^"]*)"/g)) assert.doesNotMatch(m[2]!, /\s/, `${type}: ${m[1]}="${m[2]}" belongs in the catalog`);
        }
      });

      it("every key the editor script asks the catalog for exists", () => {
        const keys: string[] = [];
        const prefixes: string[] = [];
        for (const file of editorFiles(vendor, '.ts')) {
          const src = readFileSync(file, 'utf8');
          for (const m of src.matchAll(/\bt\(\s*'([^']+)'/g)) keys.push(m[1]!);
          for (const m of src.matchAll(/\bt\(\s*(?:this\.[^?]+\?\s*)?'([^']+)'\s*:\s*'([^']+)'/g)) keys.push(m[1]!, m[2]!);
          for (const m of src.matchAll(/\bt(?:\(|, )\s*`([\w.]+)\.\$\{/g)) prefixes.push(m[1]!);
        }
        assert.ok(keys.length > 3, 'the editor script uses the catalog');
        for (const k of keys) assert.equal(typeof lookup(cat, k), 'string', k);
        for (const p of prefixes) assert.equal(typeof lookup(cat, p), 'object', `${p}.* is a group in the catalog`);
      });

      it('palette label, input and output labels come from the catalog', () => {
        const src = readFileSync(join(NODES, vendor, 'editor', 'index.ts'), 'utf8');
        for (const m of src.matchAll(/(paletteLabel|inputLabels|outputLabels):\s*(['"`])/g)) assert.fail(`${m[1]} is a literal string in ${vendor}/editor/index.ts`);
      });
    });
  }

  it('plugwise: every control action has its label', () => {
    for (const a of ['setpoint', 'preset', 'schedule', 'relay', 'lock', 'regulationMode', 'gatewayMode', 'dhwMode', 'maxBoilerTemperature', 'temperatureOffset', 'zoneProfile']) {
      assert.equal(typeof lookup(catalogOf('plugwise'), `control.action.${a}`), 'string', a);
    }
  });

  it('thinknx: every capability, device group and DPT the dialog lists is translated', () => {
    const cat = catalogOf('thinknx');
    for (const c of CAPABILITIES) {
      assert.equal(typeof lookup(cat, `control.capability.${c.name}.label`), 'string', `${c.name} label`);
      assert.equal(typeof lookup(cat, `control.capability.${c.name}.help`), 'string', `${c.name} help`);
    }
    for (const d of Object.keys(DEVICE_LABELS)) assert.equal(typeof lookup(cat, `control.device.${d}`), 'string', d);
    for (const d of DPTS) assert.equal(typeof lookup(cat, `control.dpt.${d.dpt}`), 'string', `DPT ${d.dpt}`);
  });

  it('ems: every operation, scope and output has its label', () => {
    const cat = catalogOf('ems');
    for (const o of OPERATIONS) assert.equal(typeof lookup(cat, `history.operation.${o}`), 'string', o);
    for (const s of SCOPES) assert.equal(typeof lookup(cat, `history.scope.${s}`), 'string', s);
    for (const o of ['single', 'pages']) assert.equal(typeof lookup(cat, `history.outputLabel.${o}`), 'string', o);
  });

  it('every node has help: what it does, and inputs, outputs and an example payload (action nodes) or properties and Test connection (config nodes)', () => {
    for (const vendor of VENDORS) {
      for (const { type } of templates(vendor)) {
        const file = join(NODES, vendor, 'editor', `${type}.help.html`);
        assert.ok(existsSync(file), `${type}.help.html`);
        const help = readFileSync(file, 'utf8');
        assert.match(help, /^<p>[\s\S]{40,}?<\/p>/, `${type}: starts with what it does`);
        if (ACTION_TYPES.includes(type)) {
          assert.match(help, /<h3>Inputs<\/h3>/, `${type}: Inputs`);
          assert.match(help, /<h3>Outputs<\/h3>/, `${type}: Outputs`);
          assert.match(help, /Example[\s\S]*?(<pre>|<code>[[{"\d])/, `${type}: an example payload`);
        } else {
          assert.match(help, /<h3>Properties<\/h3>/, `${type}: Properties`);
          assert.match(help, /Test connection/, `${type}: explains Test connection`);
        }
      }
    }
  });

  it('every action node has an icon that ships, and every config dialog a Test connection button', () => {
    for (const vendor of VENDORS) {
      const src = readFileSync(join(NODES, vendor, 'editor', 'index.ts'), 'utf8');
      const icons = [...src.matchAll(/icon:\s*'([^']+)'/g)].map((m) => m[1]!);
      const actions = templates(vendor).filter((t) => ACTION_TYPES.includes(t.type)).length;
      assert.equal(icons.length, actions, `${vendor}: one icon per action node`);
      for (const icon of icons) {
        const svg = readFileSync(join(root, 'icons', icon), 'utf8');
        assert.match(svg, /^<svg[\s\S]*viewBox="0 0 40 60"[\s\S]*<\/svg>\s*$/, `${icon} is a 40x60 palette icon`);
      }
      for (const { type, html } of templates(vendor).filter((t) => CONFIG_TYPES.includes(t.type))) {
        assert.match(html, /<button[^>]*id="node-config-[\w-]+-test"[\s\S]*?data-i18n="common\.testConnection"/, `${type}: Test connection`);
      }
    }
  });
});
