import { adminPost, autoLabel, catalog, dialogConfig, isHttpUrl, isPort, isSeconds, selectOnlyConfigNode, testButton, translated, validateValue, validateValueType, valueInput, valueLabel, type AdminError } from '../../common/editor/helpers';
import { CAPABILITIES, DEVICE_LABELS, findCapability, type Field } from '../../../vendors/thinknx/controllers';
import { DPTS, groupAddressProblem } from '../../../vendors/thinknx/knx';
import { WATCH_SECONDS, canWatch, watchProblem } from '../../../vendors/thinknx/watch';

const t = catalog('thinknx');
const SERVER_PROPS = ['mode', 'host', 'port', 'tls', 'allowSelfSigned', 'auth', 'cloudUrl', 'timeout'];
const FIELDS: readonly Field[] = ['guid', 'feedback', 'group', 'dpt'];
const GUID = /^[A-Za-z0-9._~+/=-]{1,100}$/;

interface TestResult {
  label: string;
  version: string | null;
  connectedClients: number | null;
}

RED.nodes.registerType('thinknx-server', {
  category: 'config',
  paletteLabel: () => t('server.paletteLabel'),
  defaults: {
    name: { value: '' },
    mode: { value: 'local', required: true, validate: (v: unknown) => v === 'local' || v === 'cloud' },
    host: {
      value: '',
      validate: function (v: unknown) {
        return this.mode === 'cloud' || (typeof v === 'string' && /^[^\s/]+$/.test(v.trim()));
      },
    },
    port: { value: 5051, validate: (v: unknown) => isPort(v, true) },
    tls: { value: false },
    allowSelfSigned: { value: false },
    auth: {
      value: 'digest',
      validate: function (v: unknown) {
        return (v === 'digest' || v === 'basic' || v === 'query') && !(v === 'query' && this.tls === true && this.mode !== 'cloud');
      },
    },
    cloudUrl: {
      value: 'https://data.thinknx.eu',
      validate: function (v: unknown) {
        return this.mode !== 'cloud' || isHttpUrl(v);
      },
    },
    timeout: { value: 10, validate: (v: unknown) => isSeconds(v, true) },
  },
  credentials: {
    username: { type: 'text' },
    password: { type: 'password' },
    key: { type: 'password' },
  },
  label: function () {
    if (this.name) return this.name as string;
    return this.mode === 'cloud' ? 'Thinknx cloud' : `Thinknx ${(this.host as string) || ''}`.trim();
  },
  oneditprepare: function () {
    const id = this.id;
    const sync = (): void => {
      const cloud = $('#node-config-input-mode').val() === 'cloud';
      const tls = $('#node-config-input-tls').is(':checked');
      $('.thinknx-local').toggle(!cloud);
      $('.thinknx-cloud').toggle(cloud);
      $('.thinknx-tls').toggle(!cloud && tls);
      $('#node-config-thinknx-query-row').toggle(!cloud && $('#node-config-input-auth').val() === 'query');
    };
    $('#node-config-input-mode, #node-config-input-tls, #node-config-input-auth').on('change', sync);
    sync();
    testButton(t, '#node-config-thinknx-test', '#node-config-thinknx-test-result', async () => {
      const r = await adminPost<TestResult>('thinknx/test', dialogConfig(id, SERVER_PROPS, ['username', 'password', 'key']));
      return t('server.test.ok', { label: r.label, version: r.version ?? '?', clients: String(r.connectedClients ?? '?') });
    });
  },
});

RED.nodes.registerType('thinknx-control', {
  category: 'energy gateways',
  color: '#C0DEED',
  defaults: {
    server: { value: '', type: 'thinknx-server', required: true },
    name: { value: '' },
    capability: { value: 'power', required: true, validate: (v: unknown) => findCapability(v) !== undefined },
    guid: {
      value: '',
      // Empty is allowed: msg.guid can give it.
      validate: (v: unknown) => v === '' || v === undefined || (typeof v === 'string' && GUID.test(v.trim())),
    },
    feedback: { value: false },
    group: {
      value: '',
      validate: (v: unknown) => v === '' || v === undefined || groupAddressProblem(v) === undefined,
    },
    dpt: { value: '1', validate: (v: unknown) => v === '' || v === undefined || DPTS.some((d) => String(d.dpt) === String(v)) },
    // Seconds between polls of the status (sent when it changes); empty: off. Checked as the runtime reads it.
    watch: {
      value: '',
      validate: function (v: unknown, _opt?: unknown) {
        if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return true;
        const problem = watchProblem(v, this.capability, this.guid);
        return problem === undefined ? true : `Watch ${problem}`;
      },
    },
    // The node's own value, sent when a msg has no payload (msg.payload wins when present).
    value: { value: '', validate: validateValue },
    valueType: { value: 'str', validate: validateValueType },
  },
  inputs: 1,
  outputs: 1,
  icon: 'thinknx.svg',
  paletteLabel: () => t('control.paletteLabel'),
  label: function () {
    if (this.name) return this.name as string;
    const cap = findCapability(this.capability);
    const target = cap?.codec === 'knx' ? (this.group as string) : (this.guid as string);
    const value = valueLabel(this);
    const watch = this.watch !== undefined && String(this.watch).trim() !== '' ? ` ↻ ${String(this.watch).trim()} s` : '';
    return autoLabel(`${cap?.name ?? 'thinknx'}${target ? ` ${target}` : ''}${value ? ` ${cap?.codec === 'knx' ? '← ' : ''}${value}` : ''}${watch}`);
  },
  inputLabels: () => t('control.inputLabel'),
  outputLabels: () => t('control.outputLabel'),
  oneditprepare: function () {
    selectOnlyConfigNode(this, 'server', 'thinknx-server');
    valueInput();
    const select = $('#node-input-capability');
    select.empty();
    for (const device of Object.keys(DEVICE_LABELS) as (keyof typeof DEVICE_LABELS)[]) {
      const group = $('<optgroup>').attr('label', translated(t, `control.device.${device}`, DEVICE_LABELS[device]));
      for (const cap of CAPABILITIES.filter((c) => c.device === device)) group.append($('<option>').val(cap.name).text(translated(t, `control.capability.${cap.name}.label`, cap.label)));
      select.append(group);
    }
    select.val((this.capability as string) || 'power');
    const dpt = $('#node-input-dpt');
    dpt.empty();
    for (const d of DPTS) dpt.append($('<option>').val(String(d.dpt)).text(translated(t, `control.dpt.${d.dpt}`, d.label)));
    dpt.val(String(this.dpt ?? '1'));

    const sync = (): void => {
      const cap = findCapability(select.val());
      for (const f of FIELDS) {
        let show = cap?.fields.includes(f) ?? false;
        if (f === 'feedback') show = show && cap?.set?.feedback === true;
        $(`#node-input-row-${f}`).toggle(show);
      }
      // Only a capability with a status can be watched: the others do not show the field.
      $('#node-input-row-watch').toggle(canWatch(cap));
      const help = $('#node-input-capability-help');
      help.empty();
      if (!cap) return;
      help.append($('<p>').text(translated(t, `control.capability.${cap.name}.help`, cap.help)));
      const parts: string[] = [];
      if (cap.set) parts.push(`${t('control.sends')}: ${cap.set.controller}${cap.set.param === 'val' ? ' (val)' : ''}`);
      if (cap.get) parts.push(`${t('control.reads')}: ${cap.get.controller}`);
      if (cap.example !== undefined) parts.push(`${t('control.example')}: msg.payload = ${JSON.stringify(cap.example)}`);
      for (const part of parts) help.append($('<div>').append($('<code>').css('white-space', 'normal').text(part)));
    };
    $('#node-input-watch').attr({ min: WATCH_SECONDS.min, max: WATCH_SECONDS.max, step: 'any' });
    select.on('change', sync);
    sync();
  },
  oneditsave: function () {
    // A watch hidden with its capability (one without status) is not kept: it would only make the node invalid.
    if (!canWatch(findCapability($('#node-input-capability').val()))) $('#node-input-watch').val('');
  },
});

export type { AdminError };
