import { adminPost, autoLabel, catalog, dialogConfig, isPort, isSeconds, picker, selectOnlyConfigNode, storedConfig, testButton, translated, validateValue, validateValueType, valueInput, valueLabel, type AdminError } from '../../common/editor/helpers';
import { accepts } from '../../../core/settings';
import { isRange } from '../../../core/window';
import { CONTROL_ACTIONS, isControlAction } from '../../../vendors/plugwise/control-actions';
import { isHistoryInterval, parseLogNames } from '../../../vendors/plugwise/history-options';

const t = catalog('plugwise');
const GATEWAY_PROPS = ['host', 'port', 'pollInterval', 'timeout'];

interface EntityChoice {
  id: string;
  name?: string;
  devClass?: string;
  model?: string;
}

interface FoundHub {
  name: string;
  label: string;
  firmware?: string;
  host: string;
  port: number;
}

/** "Search the network": lists the hubs that answer over mDNS; a click fills in host and port. */
function discoverButton(): void {
  const box = $('#node-config-plugwise-discover-result');
  $('#node-config-plugwise-discover').on('click', () => {
    const button = $('#node-config-plugwise-discover');
    button.prop('disabled', true);
    box.removeClass('eg-ok eg-error').text(t('gateway.discover.searching')).show();
    adminPost<FoundHub[]>('plugwise/discover', {})
      .then((hubs) => {
        box.empty();
        if (hubs.length === 0) return void box.addClass('eg-error').text(t('gateway.discover.none'));
        box.append($('<div>').text(t('gateway.discover.found')));
        for (const hub of hubs) {
          const text = `${hub.label} ${hub.name}${hub.firmware ? `, firmware ${hub.firmware}` : ''} — ${hub.host}${hub.port === 80 ? '' : `:${hub.port}`}`;
          $('<a href="#" class="eg-found-hub" style="display: block;">')
            .text(text)
            .attr('data-host', hub.host)
            .on('click', (e: { preventDefault(): void }) => {
              e.preventDefault();
              $('#node-config-input-host').val(hub.host).trigger('change');
              $('#node-config-input-port').val(String(hub.port)).trigger('change');
              if (!$('#node-config-input-name').val()) $('#node-config-input-name').val(`${hub.label} ${hub.name}`);
            })
            .appendTo(box);
        }
      })
      .catch((err: AdminError) => box.addClass('eg-error').text(t('gateway.discover.failed', { message: `${err.code}: ${err.message}` })))
      .finally(() => button.prop('disabled', false));
  });
}

interface TestResult {
  model: string;
  vendorModel: string;
  firmware: string;
  hostname: string;
  entities: number;
}

/**
 * The entity picker of plugwise-in and plugwise-control: filled from the gateway chosen in the dialog
 * (`path` is the admin endpoint), keeping the saved entity, reloaded when the gateway changes or on demand.
 */
function entityPicker<T extends EntityChoice>(node: EditorNode, path: string, emptyLabel: string, onLoaded?: (items: T[]) => void): { reload: () => void } {
  const entity = picker<T>({
    t,
    input: '#node-input-entity',
    initial: node.entity as string,
    initialLabel: node.entityName as string,
    message: '#node-input-entity-message',
    emptyLabel,
    load: () => {
      const cfg = storedConfig($('#node-input-gateway').val() as string, GATEWAY_PROPS);
      return cfg ? adminPost<T[]>(path, cfg) : undefined;
    },
    value: (e) => e.id,
    label: (e) => `${e.name ?? e.id} (${e.devClass ?? e.model ?? 'entity'})`,
    onLoaded,
  });
  $('#node-input-gateway').on('change', () => entity.reload());
  $('#node-input-entity-refresh').on('click', () => entity.reload());
  return entity;
}

RED.nodes.registerType('plugwise-gateway', {
  category: 'config',
  paletteLabel: () => t('gateway.paletteLabel'),
  defaults: {
    name: { value: '' },
    host: { value: '', required: true, validate: (v: unknown) => typeof v === 'string' && /^[^\s/]+$/.test(v.trim()) },
    port: { value: 80, required: true, validate: (v: unknown) => isPort(v) },
    pollInterval: { value: '', validate: (v: unknown) => isSeconds(v, true) },
    // Empty: 10 s, as the runtime reads it (the dialog shows it as the placeholder).
    timeout: { value: 10, validate: (v: unknown) => isSeconds(v, true) },
  },
  credentials: {
    username: { type: 'text', value: 'smile' },
    password: { type: 'password', required: true },
  },
  label: function () {
    return (this.name as string) || `Smile ${(this.host as string) || ''}`.trim();
  },
  oneditprepare: function () {
    const id = this.id;
    if (!$('#node-config-input-username').val()) $('#node-config-input-username').val('smile');
    discoverButton();
    testButton(t, '#node-config-plugwise-test', '#node-config-plugwise-test-result', async () => {
      const r = await adminPost<TestResult>('plugwise/test', dialogConfig(id, GATEWAY_PROPS, ['username', 'password']));
      // "Adam", not the hub's product code (smile_open_therm).
      return t('gateway.test.ok', { model: translated(t, `gateway.model.${r.model}`, r.vendorModel), firmware: r.firmware, entities: String(r.entities) });
    });
  },
});

RED.nodes.registerType('plugwise-in', {
  category: 'energy gateways',
  color: '#8dc63f',
  defaults: {
    gateway: { value: '', type: 'plugwise-gateway', required: true },
    name: { value: '' },
    output: { value: 'snapshot', required: true, validate: (v: unknown) => v === 'snapshot' || v === 'entities' || v === 'changes' },
    entity: { value: '' },
    // The picked entity's name, for the node's label (the runtime does not use it).
    entityName: { value: '' },
    poll: { value: true },
  },
  inputs: 1,
  outputs: 1,
  icon: 'plugwise.svg',
  paletteLabel: () => t('in.paletteLabel'),
  label: function () {
    return (this.name as string) || autoLabel(String(this.entityName || '')) || t('in.paletteLabel');
  },
  inputLabels: () => t('in.inputLabel'),
  outputLabels: function () {
    return t(`in.output.${this.output === 'snapshot' ? 'snapshot' : 'entities'}`);
  },
  oneditprepare: function () {
    selectOnlyConfigNode(this, 'gateway', 'plugwise-gateway');
    const entity = entityPicker<EntityChoice>(this, 'plugwise/entities', t('in.allEntities'));
    entity.reload();
  },
  oneditsave: function () {
    const selected = $('#node-input-entity option:selected');
    this.entityName = selected.val() ? String(selected.text()).replace(/ \(.*\)$/, '') : '';
  },
});

interface ActionChoice {
  action: string;
  kind: 'number' | 'option' | 'boolean' | 'command';
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
  current?: unknown;
  blocked?: string;
}

interface ControlEntity extends EntityChoice {
  actions: ActionChoice[];
}

/** What msg.payload this action takes on this entity, with the hub's bounds and options. */
function actionHint(a: ActionChoice | undefined): string {
  if (!a) return t('control.hint.unknown');
  const now = a.current === undefined || a.current === null ? '-' : typeof a.current === 'boolean' ? t(a.current ? 'control.hint.on' : 'control.hint.off') : String(a.current);
  let hint: string;
  if (a.kind === 'number') hint = t('control.hint.number', { min: String(a.min ?? '-'), max: String(a.max ?? '-'), step: String(a.step ?? '-'), current: now });
  else if (a.kind === 'boolean') hint = t('control.hint.boolean', { current: now });
  else if (a.kind === 'command') hint = t(`control.hint.${a.action}`);
  else hint = t(a.action === 'schedule' ? 'control.hint.schedule' : 'control.hint.option', { options: (a.options ?? []).join(', '), current: now });
  return a.blocked ? `${hint} ${t('control.hint.blocked', { reason: a.blocked })}` : hint;
}

RED.nodes.registerType('plugwise-control', {
  category: 'energy gateways',
  color: '#8dc63f',
  defaults: {
    gateway: { value: '', type: 'plugwise-gateway', required: true },
    name: { value: '' },
    entity: { value: '' },
    entityName: { value: '' },
    action: { value: 'setpoint', required: true, validate: (v: unknown) => isControlAction(v) },
    // The node's own value, sent when a msg has no payload (msg.payload wins when present).
    value: { value: '', validate: validateValue },
    valueType: { value: 'str', validate: validateValueType },
  },
  inputs: 1,
  outputs: 1,
  icon: 'plugwise.svg',
  paletteLabel: () => t('control.paletteLabel'),
  label: function () {
    if (this.name) return this.name as string;
    const value = valueLabel(this);
    return this.entityName ? autoLabel(`${this.entityName as string}: ${this.action as string}${value ? ` ${value}` : ''}`) : t('control.paletteLabel');
  },
  inputLabels: () => t('control.inputLabel'),
  outputLabels: () => t('control.outputLabel'),
  oneditprepare: function () {
    selectOnlyConfigNode(this, 'gateway', 'plugwise-gateway');
    valueInput();
    let entities: ControlEntity[] = [];
    const entityInput = $('#node-input-entity');
    const actionInput = $('#node-input-action');
    // The selects start empty: put the stored values in so nothing is lost before the gateway answers.
    if (this.entity) entityInput.append($('<option>').val(this.entity).text(String(this.entityName || this.entity))).val(this.entity);
    let wanted = String(this.action || 'setpoint');
    const showActions = (pickFirst: boolean): void => {
      const entity = entities.find((e) => e.id === entityInput.val());
      const choices: string[] = entity ? entity.actions.map((a) => a.action) : [...CONTROL_ACTIONS];
      const current = String(actionInput.val() || wanted);
      actionInput.empty();
      for (const a of choices) actionInput.append($('<option>').val(a).text(t(`control.action.${a}`)));
      let value = current;
      if (!choices.includes(current)) {
        if (pickFirst && choices.length > 0) value = choices[0];
        else actionInput.append($('<option>').val(current).text(`${t(`control.action.${current}`)} (${t('control.hint.notSupported')})`));
      }
      actionInput.val(value);
      $('#node-input-action-hint').text(actionHint(entity?.actions.find((a) => a.action === value)));
    };
    showActions(false);
    const entity = entityPicker<ControlEntity>(this, 'plugwise/actions', t('control.chooseEntity'), (items) => {
      entities = items;
      showActions(false);
    });
    entityInput.on('change', (_e: unknown, initial?: boolean) => showActions(initial !== true));
    actionInput.on('change', () => {
      wanted = String(actionInput.val() || wanted);
      const e = entities.find((x) => x.id === entityInput.val());
      $('#node-input-action-hint').text(actionHint(e?.actions.find((a) => a.action === wanted)));
    });
    entity.reload();
  },
  oneditsave: function () {
    const selected = $('#node-input-entity option:selected');
    this.entityName = selected.val() ? String(selected.text()).replace(/ \(.*\)$/, '') : '';
  },
});

interface HistoryLog {
  log: string;
  kind: 'point' | 'interval' | 'cumulative';
  unit: string;
  tariffs: string[];
}

interface HistoryChoice extends EntityChoice {
  route: 'locations' | 'appliances' | 'modules';
  type?: string;
  logs: HistoryLog[];
}

/** "electricity_consumed (W value, Wh per interval, kWh meter reading; nl_offpeak, nl_peak), ..." */
function logsHint(item: HistoryChoice | undefined): string {
  if (!item) return t('history.hint.choose');
  const byLog = new Map<string, HistoryLog[]>();
  for (const l of item.logs) byLog.set(l.log, [...(byLog.get(l.log) ?? []), l]);
  const parts = [...byLog].map(([log, kinds]) => {
    const units = kinds.map((k) => `${k.unit ? `${k.unit} ` : ''}${t(`history.hint.kind.${k.kind}`)}`).join(', ');
    const tariffs = [...new Set(kinds.flatMap((k) => k.tariffs))];
    return `${log} (${units}${tariffs.length ? `; ${tariffs.join(', ')}` : ''})`;
  });
  return t('history.hint.keeps', { logs: parts.join(', ') });
}

/** The logs field: empty, or log type names separated by commas (what the runtime takes). */
function isLogList(v: unknown): boolean {
  return accepts(parseLogNames, v);
}

RED.nodes.registerType('plugwise-history', {
  category: 'energy gateways',
  color: '#8dc63f',
  defaults: {
    gateway: { value: '', type: 'plugwise-gateway', required: true },
    name: { value: '' },
    entity: { value: '', validate: (v: unknown) => v === '' || (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v.trim())) },
    entityName: { value: '' },
    logs: { value: '', validate: (v: unknown) => isLogList(v) },
    range: { value: '24h', validate: (v: unknown) => v === '' || isRange(v) },
    interval: { value: '', validate: (v: unknown) => isHistoryInterval(v) },
    output: { value: 'single', required: true, validate: (v: unknown) => v === 'single' || v === 'pages' },
  },
  inputs: 1,
  outputs: 1,
  icon: 'plugwise.svg',
  paletteLabel: () => t('history.paletteLabel'),
  label: function () {
    if (this.name) return this.name as string;
    return this.entityName ? autoLabel(`${this.entityName as string} ${t('history.paletteLabel')}`) : t('history.paletteLabel');
  },
  inputLabels: () => t('history.inputLabel'),
  outputLabels: function () {
    return t(this.output === 'pages' ? 'history.outputLabel.pages' : 'history.outputLabel.single');
  },
  oneditprepare: function () {
    selectOnlyConfigNode(this, 'gateway', 'plugwise-gateway');
    let items: HistoryChoice[] = [];
    const showHint = (): void => {
      $('#node-input-logs-hint').text(logsHint(items.find((i) => i.id === $('#node-input-entity').val())));
    };
    const entity = entityPicker<HistoryChoice>(this, 'plugwise/history', t('history.chooseEntity'), (loaded) => {
      items = loaded;
      showHint();
    });
    $('#node-input-entity').on('change', showHint);
    showHint();
    entity.reload();
  },
  oneditsave: function () {
    const selected = $('#node-input-entity option:selected');
    this.entityName = selected.val() ? String(selected.text()).replace(/ \(.*\)$/, '') : '';
  },
});

export type { AdminError };
