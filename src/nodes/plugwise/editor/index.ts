import { adminPost, catalog, dialogConfig, picker, storedConfig, testButton, type AdminError } from '../../common/editor/helpers';

const t = catalog('plugwise');
const GATEWAY_PROPS = ['host', 'port', 'pollInterval', 'timeout'];

interface EntityChoice {
  id: string;
  name?: string;
  devClass?: string;
  model?: string;
}

interface TestResult {
  model: string;
  vendorModel: string;
  firmware: string;
  hostname: string;
  entities: number;
}

RED.nodes.registerType('plugwise-gateway', {
  category: 'config',
  defaults: {
    name: { value: '' },
    host: { value: '', required: true },
    port: { value: 80, required: true, validate: RED.validators.number() },
    pollInterval: { value: '', validate: RED.validators.number(true) },
    timeout: { value: 10, required: true, validate: RED.validators.number() },
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
    testButton(t, '#node-config-plugwise-test', '#node-config-plugwise-test-result', async () => {
      const r = await adminPost<TestResult>('plugwise/test', dialogConfig(id, GATEWAY_PROPS, ['username', 'password']));
      return t('gateway.test.ok', { model: r.vendorModel, firmware: r.firmware, entities: String(r.entities) });
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
    poll: { value: true },
  },
  inputs: 1,
  outputs: 1,
  icon: 'plugwise.svg',
  paletteLabel: 'plugwise in',
  label: function () {
    return (this.name as string) || (this.entityName as string) || 'plugwise in';
  },
  inputLabels: 'trigger a read',
  outputLabels: function () {
    return this.output === 'snapshot' ? 'snapshot' : 'one msg per entity';
  },
  oneditprepare: function () {
    const entity = picker<EntityChoice>({
      t,
      input: '#node-input-entity',
      message: '#node-input-entity-message',
      emptyLabel: t('in.allEntities'),
      load: () => {
        const cfg = storedConfig($('#node-input-gateway').val() as string, GATEWAY_PROPS);
        return cfg ? adminPost<EntityChoice[]>('plugwise/entities', cfg) : undefined;
      },
      value: (e) => e.id,
      label: (e) => `${e.name ?? e.id} (${e.devClass ?? e.model ?? 'entity'})`,
    });
    $('#node-input-gateway').on('change', () => entity.reload());
    $('#node-input-entity-refresh').on('click', () => entity.reload());
    entity.reload();
  },
  oneditsave: function () {
    const selected = $('#node-input-entity option:selected');
    this.entityName = selected.val() ? String(selected.text()).replace(/ \(.*\)$/, '') : '';
  },
});

export type { AdminError };
