import { adminPost, autoLabel, catalog, dialogConfig, isHttpUrl, isSeconds, picker, selectOnlyConfigNode, storedConfig, testButton } from '../../common/editor/helpers';
import { paramsForm, paramsProblems, readParams, settingHint, watchParams, type CommandChoice, type SettingChoice } from './params';

const t = catalog('heatingcontrol');
const ACCOUNT_PROPS = ['baseUrl', 'scope', 'clientAuth', 'timeout'];
const OPERATIONS = ['homes', 'devices', 'device', 'rename', 'state', 'settings', 'setSetting', 'commands', 'command'];
/** Which rows of the dialog each operation uses. */
const ROWS: Record<string, string[]> = {
  homes: [],
  devices: ['homeId'],
  device: ['homeId', 'device'],
  rename: ['homeId', 'device'],
  state: ['homeId', 'device'],
  settings: ['homeId', 'device'],
  setSetting: ['homeId', 'device', 'setting'],
  commands: ['homeId', 'device'],
  command: ['homeId', 'device', 'command', 'params'],
};

interface HomeChoice {
  id: string;
  name?: string;
  deviceCount?: number;
}

interface DeviceChoice {
  id: string;
  name?: string;
  type?: string;
  online?: boolean;
}

RED.nodes.registerType('heating-account', {
  category: 'config',
  paletteLabel: () => t('account.paletteLabel'),
  defaults: {
    name: { value: '' },
    baseUrl: { value: '', required: true, validate: (v: unknown) => isHttpUrl(v) },
    scope: { value: '' },
    clientAuth: { value: 'body', validate: (v: unknown) => v === 'body' || v === 'basic' || v === '' || v === undefined },
    timeout: { value: 15, validate: (v: unknown) => isSeconds(v, true) },
  },
  credentials: {
    clientId: { type: 'text', required: true },
    clientSecret: { type: 'password', required: true },
  },
  label: function () {
    return (this.name as string) || `HeatingControl ${String(this.baseUrl || '').replace(/^https?:\/\//, '')}`.trim();
  },
  oneditprepare: function () {
    const id = this.id;
    testButton(t, '#node-config-heatingcontrol-test', '#node-config-heatingcontrol-test-result', async () => {
      const r = await adminPost<{ homes: number; devices: number }>('heatingcontrol/test', dialogConfig(id, ACCOUNT_PROPS, ['clientId', 'clientSecret']));
      return t('account.test.ok', { homes: String(r.homes), devices: String(r.devices) });
    });
  },
});

/** The open heating-command dialog's schema of the shown command (one dialog is open at a time). */
let shownSchema: (() => CommandChoice['params'] | undefined) | undefined;

RED.nodes.registerType('heating-command', {
  category: 'energy gateways',
  color: '#E9967A',
  defaults: {
    account: { value: '', type: 'heating-account', required: true },
    name: { value: '' },
    operation: { value: 'state', required: true, validate: (v: unknown) => OPERATIONS.includes(String(v)) },
    homeId: { value: '' },
    device: { value: '' },
    deviceName: { value: '' },
    command: { value: '' },
    setting: { value: '' },
    params: {
      value: {},
      // Checked against the command's schema stored with the node (paramsSchema): a value outside its
      // limits marks the node invalid (red triangle, Deploy warns), as the config fields do.
      // Two arguments: Node-RED (3.1+) then takes a returned string as "invalid, because ...".
      validate: function (v: unknown, _opt?: unknown) {
        if (this.operation !== 'command') return true;
        const problems = paramsProblems(this.paramsSchema, v);
        return problems.length === 0 || problems.join('; ');
      },
    },
    // The chosen command's parameter schema, as the dialog loaded it (the editor's; the runtime checks
    // the params against the device's own schema before sending).
    paramsSchema: { value: null },
  },
  inputs: 1,
  outputs: 1,
  icon: 'heatingcontrol.svg',
  paletteLabel: () => t('command.paletteLabel'),
  label: function () {
    if (this.name) return this.name as string;
    const op = String(this.operation || 'state');
    const what = op === 'command' ? String(this.command || '') : op === 'setSetting' ? String(this.setting || '') : '';
    // A command is named by its key ("setTemperature"); the other operations by their name.
    const action = op === 'command' && what ? what : [op, what].filter(Boolean).join(' ');
    // "Living room heater: state" once a device is chosen; "heating state" before.
    const device = String(this.deviceName || this.device || '');
    return autoLabel(device ? `${device}: ${action}` : `heating ${action}`);
  },
  inputLabels: () => t('command.inputLabel'),
  outputLabels: () => t('command.outputLabel'),
  oneditprepare: function () {
    const node = this;
    selectOnlyConfigNode(this, 'account', 'heating-account');
    // The selects start empty: each picker is given its saved value, shown until the lists arrive.
    const saved = (prop: string): string => String(node[prop] ?? '');
    const account = (): Record<string, unknown> | undefined => storedConfig($('#node-input-account').val() as string, ACCOUNT_PROPS);
    const withAccount = <T>(path: string, extra: Record<string, unknown>): Promise<T> | undefined => {
      const cfg = account();
      return cfg ? adminPost<T>(path, { ...cfg, ...extra }) : undefined;
    };
    const currentDevice = (): string => String($('#node-input-device').val() || '');
    let commands: CommandChoice[] = [];
    // Read by oneditsave: the schema of the command the form shows (undefined until the list is in).
    shownSchema = (): CommandChoice['params'] | undefined => commands.find((c) => c.key === $('#node-input-command').val())?.params;
    let settings: SettingChoice[] = [];

    const showRows = (): void => {
      const rows = ROWS[String($('#node-input-operation').val())] ?? [];
      for (const r of ['homeId', 'device', 'command', 'params', 'setting']) $(`.hc-row-${r}`).toggle(rows.includes(r));
    };
    const renderParams = (): void => {
      const chosen = commands.find((c) => c.key === $('#node-input-command').val());
      paramsForm(t, '#hc-params', chosen, (node.params as Record<string, unknown>) ?? {});
      watchParams('#hc-params', chosen);
    };

    const homes = picker<HomeChoice>({
      t,
      input: '#node-input-homeId',
      initial: saved('homeId'),
      message: '#node-input-homeId-message',
      emptyLabel: t('command.allHomes'),
      load: () => withAccount<HomeChoice[]>('heatingcontrol/homes', {}),
      value: (h) => h.id,
      label: (h) => `${h.name ?? h.id}${h.deviceCount !== undefined ? ` (${h.deviceCount})` : ''}`,
    });
    const devices = picker<DeviceChoice>({
      t,
      input: '#node-input-device',
      initial: saved('device'),
      initialLabel: saved('deviceName'),
      message: '#node-input-device-message',
      emptyLabel: t('command.fromMsg'),
      load: () => withAccount<DeviceChoice[]>('heatingcontrol/devices', { homeId: $('#node-input-homeId').val() || undefined }),
      value: (d) => d.id,
      label: (d) => `${d.name ?? d.id}${d.online === false ? ` (${t('command.offline')})` : ''}`,
      // Filtered by a home, the list leaves out the other homes' devices: the saved one is just elsewhere.
      notListed: () => ($('#node-input-homeId').val() ? t('command.notInHome') : undefined),
    });
    const commandPicker = picker<CommandChoice>({
      t,
      input: '#node-input-command',
      initial: saved('command'),
      message: '#node-input-command-message',
      emptyLabel: t('command.fromMsg'),
      load: () => (currentDevice() ? withAccount<CommandChoice[]>('heatingcontrol/commands', { device: currentDevice() }) : undefined),
      value: (c) => c.key,
      label: (c) => c.key,
      onLoaded: (items) => {
        commands = items;
        renderParams();
      },
    });
    const settingPicker = picker<SettingChoice>({
      t,
      input: '#node-input-setting',
      initial: saved('setting'),
      message: '#node-input-setting-message',
      emptyLabel: t('command.fromMsg'),
      load: () => (currentDevice() ? withAccount<SettingChoice[]>('heatingcontrol/settings', { device: currentDevice() }) : undefined),
      value: (s) => s.key,
      label: (s) => `${s.label ?? s.key}${s.editable === false ? ` (${t('command.readOnly')})` : ''}`,
      onLoaded: (items) => {
        settings = items;
        settingHint(t, '#hc-setting-hint', settings.find((s) => s.key === $('#node-input-setting').val()));
      },
    });

    const reloadDeviceLists = (): void => {
      const op = String($('#node-input-operation').val());
      if (op === 'command') commandPicker.reload();
      if (op === 'setSetting') settingPicker.reload();
    };
    $('#node-input-operation').on('change', () => {
      showRows();
      reloadDeviceLists();
    });
    $('#node-input-account').on('change', () => {
      homes.reload();
      devices.reload();
    });
    $('#node-input-homeId').on('change', () => devices.reload());
    $('#node-input-device').on('change', reloadDeviceLists);
    $('#node-input-command').on('change', renderParams);
    $('#node-input-setting').on('change', () => settingHint(t, '#hc-setting-hint', settings.find((s) => s.key === $('#node-input-setting').val())));
    $('#node-input-device-refresh').on('click', () => devices.reload());
    $('#node-input-command-refresh').on('click', () => commandPicker.reload());
    $('#node-input-setting-refresh').on('click', () => settingPicker.reload());
    showRows();
    homes.reload();
    devices.reload();
    reloadDeviceLists();
    renderParams();
  },
  oneditsave: function () {
    const selected = $('#node-input-device option:selected');
    this.deviceName = selected.val() ? String(selected.text()).replace(/ \(.*\)$/, '') : '';
    const isCommand = $('#node-input-operation').val() === 'command';
    this.params = isCommand ? readParams('#hc-params', (this.params as Record<string, unknown>) ?? {}) : {};
    // The schema the form showed; kept when the list could not be loaded and the command is unchanged.
    const schema = shownSchema?.();
    if (!isCommand || !$('#node-input-command').val()) this.paramsSchema = null;
    else if (schema) this.paramsSchema = schema;
    else if ($('#node-input-command').val() !== this.command) this.paramsSchema = null;
  },
});
