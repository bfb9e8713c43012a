import { GatewayError, badInput } from '../../core/errors';
import { StoredSettings, type Misconfigured } from '../../core/settings';
import { parseRange, resolveWindow } from '../../core/window';
import { checkEntityId, checkRange, countPoints, mergeSeries, parseInterval, parseLogNames, type HistorySeries } from '../../vendors/plugwise/history';
import { handleInput } from '../common/input';
import { override, stringOverride } from '../common/overrides';
import { STATUS_EVERY_MS, delivered } from '../common/pages';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef, NodeMessage, SendFn } from '../common/red';
import type { HistoryRequest, PlugwiseGatewayNode } from './gateway';

export const HISTORY_TYPE = 'plugwise-history';

type OutputMode = 'single' | 'pages';
const OUTPUTS: readonly OutputMode[] = ['single', 'pages'];

interface PlugwiseHistoryDef extends NodeDef {
  gateway?: string;
  entity?: string;
  logs?: string;
  range?: string;
  interval?: string;
  output?: string;
}

interface HistoryConfig {
  entity: string | undefined;
  logs: string[] | undefined;
  range: string;
  interval: string | undefined;
  output: OutputMode;
  misconfigured?: Misconfigured;
}

function historyConfig(def: PlugwiseHistoryDef): HistoryConfig {
  const stored = new StoredSettings(def);
  const entity = stored.raw('entity');
  const cfg: HistoryConfig = {
    entity: typeof entity === 'string' ? entity.trim() : undefined,
    logs: stored.parsed('logs', (v) => parseLogNames(v), undefined),
    range: stored.parsed('range', (v) => (parseRange(v), String(v)), '24h'),
    interval: stored.parsed('interval', (v) => parseInterval(v), undefined),
    output: stored.choice('output', OUTPUTS, 'single'),
  };
  const misconfigured = stored.misconfigured('This plugwise-history node');
  if (misconfigured) cfg.misconfigured = misconfigured;
  return cfg;
}

/** The read of one input: the node's settings with the msg's overrides, all checked before anything is sent. */
function historyRequest(msg: NodeMessage, cfg: HistoryConfig, now: number): HistoryRequest {
  const entity = stringOverride(msg, 'entity', cfg.entity);
  if (!entity) throw badInput('No entity: pick a location, appliance or module with logs in the node, or set msg.entity.');
  const logs = Object.prototype.hasOwnProperty.call(msg, 'logs') ? parseLogNames(override(msg, 'logs', cfg.logs), 'msg.logs') : cfg.logs;
  const interval = Object.prototype.hasOwnProperty.call(msg, 'interval') ? parseInterval(override(msg, 'interval', cfg.interval)) : cfg.interval;
  const { start, end } = resolveWindow({ start: msg.start, end: msg.end, range: override(msg, 'range', cfg.range) }, now);
  checkRange(start, end, interval);
  return { entity: checkEntityId(entity), logs, start, end, interval };
}

/**
 * plugwise-history: an entity's logs over a window, from the hub's own history (`@from` / `@to` /
 * `@interval`), as series in ms. A long window is read in several requests through the gateway's queue
 * (polls go in between); `output: pages` sends each as it arrives.
 */
export function registerPlugwiseHistory(RED: NodeAPI): void {
  function PlugwiseHistory(this: Node, def: PlugwiseHistoryDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const gateway = def.gateway ? (RED.nodes.getNode(def.gateway) as PlugwiseGatewayNode | null) : null;
    const cfg = historyConfig(def);
    const closing = new AbortController();

    if (!gateway) {
      status.error(node, 'no gateway');
      handleInput(node, async () => {
        throw badInput('This node has no Plugwise gateway: open it and choose or add one.');
      });
      return;
    }

    const onStage = (stage: 'reading' | 'history'): void => status.connecting(node, stage === 'reading' ? 'reading the hub' : 'reading history');

    const single = async (req: HistoryRequest, msg: NodeMessage, send: SendFn): Promise<void> => {
      let series: HistorySeries[] = [];
      let pages = 0;
      let shown = 0;
      for await (const page of gateway.history(req, { signal: closing.signal, onStage })) {
        series = mergeSeries(series, page.series);
        pages = page.pages;
        if (!page.last && Date.now() - shown >= STATUS_EVERY_MS) {
          shown = Date.now();
          status.connecting(node, `request ${page.page}/${page.pages}`);
        }
      }
      if (closing.signal.aborted) return;
      const points = countPoints(series);
      msg.topic = `plugwise/history/${req.entity}`;
      msg.payload = series;
      msg.records = points;
      msg.pages = pages;
      msg.window = { start: req.start, end: req.end };
      send(msg);
      status.ok(node, `${series.length} series · ${points} points`);
    };

    const paged = async (req: HistoryRequest, msg: NodeMessage, send: SendFn): Promise<void> => {
      // Each request's series leave as they arrive and are not kept; the incoming msg goes out last.
      let total = 0;
      let shown = 0;
      for await (const page of gateway.history(req, { signal: closing.signal, onStage })) {
        if (closing.signal.aborted) return;
        const m = page.last ? msg : RED.util.cloneMessage(msg);
        const records = countPoints(page.series);
        total += records;
        m.topic = `plugwise/history/${req.entity}`;
        m.payload = page.series;
        m.page = page.page;
        m.pages = page.pages;
        m.records = records;
        m.total = total;
        m.complete = page.last;
        m.span = { start: page.from, end: page.to };
        m.window = { start: req.start, end: req.end };
        send(m);
        if (page.last) status.ok(node, `${page.pages} page${page.pages === 1 ? '' : 's'} · ${total} points`);
        else if (Date.now() - shown >= STATUS_EVERY_MS) {
          shown = Date.now();
          status.connecting(node, `page ${page.page}/${page.pages} · ${total} points`);
        }
        await delivered();
      }
    };

    handleInput(
      node,
      async (msg, send) => {
        const req = historyRequest(msg, cfg, Date.now());
        status.connecting(node, 'reading history');
        try {
          await (cfg.output === 'pages' ? paged : single)(req, msg, send);
        } catch (err) {
          if (closing.signal.aborted) return; // stopped mid-read: the node is gone
          throw err;
        }
      },
      { secrets: () => gateway.secrets(), misconfigured: cfg.misconfigured },
    );

    node.on('close', (_removed, done) => {
      closing.abort(new GatewayError('UNREACHABLE', 'The plugwise-history node was stopped (redeploy or shutdown).'));
      done();
    });
  }
  RED.nodes.registerType(HISTORY_TYPE, PlugwiseHistory as unknown as (this: Node, def: NodeDef) => void);
}
