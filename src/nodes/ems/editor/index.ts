import { adminPost, autoLabel, catalog, dialogConfig, isSeconds, picker, selectOnlyConfigNode, storedConfig, testButton, type AdminError } from '../../common/editor/helpers';
import { OPERATIONS, scopesOf, type Operation } from '../../../vendors/ems/routes';
import { isRange } from '../../../vendors/ems/time';

const t = catalog('ems');
const SERVER_PROPS = ['baseUrl', 'allowSelfSigned', 'timeout'];

interface Choice {
  uid: number;
  label: string;
}

/** The list a scope picks from. */
const KIND_OF_SCOPE: Record<string, string> = { signal: 'signals', load: 'loads', device: 'devices' };

RED.nodes.registerType('ems-server', {
  category: 'config',
  paletteLabel: () => t('server.paletteLabel'),
  defaults: {
    name: { value: '' },
    baseUrl: { value: '', required: true, validate: RED.validators.regex(/^https?:\/\/[^\s/]+/i) },
    allowSelfSigned: { value: false },
    timeout: { value: 20, validate: (v: unknown) => isSeconds(v, true) },
  },
  credentials: {
    username: { type: 'text', required: true },
    password: { type: 'password', required: true },
  },
  label: function () {
    return (this.name as string) || `EMS ${String(this.baseUrl || '').replace(/^https?:\/\//, '')}`.trim();
  },
  oneditprepare: function () {
    const id = this.id;
    testButton(t, '#node-config-ems-test', '#node-config-ems-test-result', async () => {
      const r = await adminPost<{ version: string; devices: number }>('ems/test', dialogConfig(id, SERVER_PROPS, ['username', 'password']));
      return t('server.test.ok', { version: r.version, devices: String(r.devices) });
    });
  },
});

RED.nodes.registerType('ems-history', {
  category: 'energy gateways',
  color: '#f0b400',
  defaults: {
    server: { value: '', type: 'ems-server', required: true },
    name: { value: '' },
    operation: { value: 'history', required: true, validate: (v: unknown) => (OPERATIONS as readonly unknown[]).includes(v) },
    scope: {
      value: 'all',
      required: true,
      validate: function (v: unknown) {
        return scopesOf((this.operation as Operation) || 'history').includes(v as never);
      },
    },
    uid: {
      value: '',
      validate: function (v: unknown) {
        return this.scope === 'all' || !this.scope || /^0*[1-9]\d*$/.test(String(v ?? '').trim());
      },
    },
    // The picked resource's label, for the node's label (the runtime does not use it).
    uidLabel: { value: '' },
    uids: { value: '', validate: RED.validators.regex(/^\s*(0*[1-9]\d*\s*(,\s*0*[1-9]\d*\s*)*)?$/) },
    range: { value: '24h', validate: (v: unknown) => v === '' || isRange(v) },
    pageSize: { value: 1000, required: true, validate: (v: unknown) => /^\s*[1-9]\d*\s*$/.test(String(v)) && Number(v) <= 100000 },
    maxRecords: { value: 100000, required: true, validate: (v: unknown) => /^\s*\d+\s*$/.test(String(v)) },
    output: { value: 'single', required: true, validate: (v: unknown) => v === 'single' || v === 'pages' },
  },
  inputs: 1,
  outputs: 1,
  icon: 'ems.svg',
  paletteLabel: () => t('history.paletteLabel'),
  label: function () {
    if (this.name) return this.name as string;
    const op = String(this.operation || 'history');
    // One resource: "history Heat pump"; all: "ems history".
    return autoLabel(this.scope && this.scope !== 'all' ? `${op} ${String(this.uidLabel || `uid ${String(this.uid ?? '')}`)}` : `ems ${op}`);
  },
  inputLabels: () => t('history.inputLabel'),
  outputLabels: function () {
    return t(this.output === 'pages' ? 'history.outputLabel.pages' : 'history.outputLabel.single');
  },
  oneditprepare: function () {
    selectOnlyConfigNode(this, 'server', 'ems-server');
    const scopeSelect = $('#node-input-scope');
    const fillScopes = (): void => {
      const op = ($('#node-input-operation').val() as Operation) || 'history';
      const current = String(scopeSelect.val() || this.scope || 'all');
      scopeSelect.empty();
      for (const s of scopesOf(op)) scopeSelect.append($('<option>').val(s).text(t(`history.scope.${s}`)));
      scopeSelect.val(scopesOf(op).includes(current as never) ? current : 'all');
    };
    const uidPicker = picker<Choice>({
      t,
      input: '#node-input-uid',
      initial: String(this.uid ?? ''),
      initialLabel: String(this.uidLabel || ''),
      message: '#node-input-uid-message',
      load: () => {
        const kind = KIND_OF_SCOPE[String(scopeSelect.val())];
        const cfg = storedConfig($('#node-input-server').val() as string, SERVER_PROPS);
        return kind && cfg ? adminPost<Choice[]>('ems/resources', { ...cfg, kind }) : undefined;
      },
      value: (c) => String(c.uid),
      label: (c) => `${c.label} (uid ${c.uid})`,
      // After a scope change nothing is chosen yet: take the first one listed.
      onLoaded: (items) => {
        if (!$('#node-input-uid').val() && items[0]) $('#node-input-uid').val(String(items[0].uid));
      },
    });
    const refresh = (): void => {
      const op = String($('#node-input-operation').val());
      const scope = String(scopeSelect.val());
      $('.ems-row-uid').toggle(scope !== 'all');
      $('.ems-row-history').toggle(op === 'history');
      $('.ems-row-paged').toggle(['history', 'last', 'realtime', 'signals'].includes(op));
      if (scope !== 'all') uidPicker.reload();
    };
    fillScopes();
    $('#node-input-operation').on('change', () => {
      fillScopes();
      scopeSelect.trigger('change');
    });
    let shownScope = String(scopeSelect.val());
    scopeSelect.on('change', () => {
      // A uid of another kind means nothing here: the list of the new scope replaces it.
      if (String(scopeSelect.val()) !== shownScope) $('#node-input-uid').empty();
      shownScope = String(scopeSelect.val());
      refresh();
    });
    $('#node-input-server').on('change', refresh);
    $('#node-input-uid-refresh').on('click', () => uidPicker.reload());
    refresh();
  },
  oneditsave: function () {
    const selected = $('#node-input-uid option:selected');
    this.uidLabel = $('#node-input-scope').val() !== 'all' && selected.val() ? String(selected.text()).replace(/ \([^)]*\)$/, '').replace(/ · now [^·]*?(?= ·|$)/, '') : '';
  },
});

export type { AdminError };
