import { GatewayError, badInput } from '../../core/errors';
import type { EmsClient } from '../../vendors/ems/client';
import type { PagePayload, Series } from '../../vendors/ems/normalize';
import type { Truncation } from '../../vendors/ems/paging';
import type { Operation } from '../../vendors/ems/routes';
import { handleInput } from '../common/input';
import { STATUS_EVERY_MS, delivered } from '../common/pages';
import { status } from '../common/status';
import type { Node, NodeAPI, NodeDef, NodeMessage, SendFn } from '../common/red';
import { historyConfig, historyRequest, type EmsHistoryDef, type HistoryRequest } from './request';
import type { EmsServerNode } from './server';

export const HISTORY_TYPE = 'ems-history';

function summary(operation: Operation, payload: PagePayload, records: number): string {
  if (operation === 'history') return `${payload.length} series · ${records} points`;
  return `${records} ${operation === 'last' ? 'values' : operation}`;
}

function truncationWarning(by: Truncation | undefined, max: number, pages: number): string {
  if (by === 'maxPages') {
    return `Stopped after ${pages} pages, the most one read follows, while the gateway had more: raise the page size or shorten the window.`;
  }
  return `Stopped after maxRecords (${max}) records while the gateway had more: raise maxRecords, shorten the window, or use output "pages".`;
}

export function registerEmsHistory(RED: NodeAPI): void {
  function EmsHistory(this: Node, def: EmsHistoryDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const server = def.server ? (RED.nodes.getNode(def.server) as EmsServerNode | null) : null;
    const cfg = historyConfig(def);
    const closing = new AbortController();

    if (!server) {
      status.error(node, 'no server');
      handleInput(node, async () => {
        throw badInput('This node has no EMS server: open it and choose or add one.');
      });
      return;
    }

    const single = async (client: EmsClient, req: HistoryRequest, msg: NodeMessage, send: SendFn): Promise<void> => {
      const result = await client.collect(req.query, closing.signal);
      if (closing.signal.aborted) return;
      msg.topic = req.topic;
      msg.payload = result.payload;
      msg.records = result.records;
      msg.pages = result.pages;
      msg.truncated = result.truncated;
      if (req.window) msg.window = req.window;
      send(msg);
      if (result.truncated) node.warn(truncationWarning(result.truncatedBy, req.query.maxRecords ?? 0, result.pages));
      status.ok(node, summary(req.query.operation, result.payload, result.records));
    };

    const pages = async (client: EmsClient, req: HistoryRequest, msg: NodeMessage, send: SendFn): Promise<void> => {
      // Each page leaves as it arrives and is not kept. The incoming msg, untouched until then, goes out last.
      let shown = 0;
      // The uids seen so far: one entry per signal, not per point.
      const series = new Set<number>();
      for await (const page of client.pages(req.query, closing.signal)) {
        if (closing.signal.aborted) return;
        const m = page.last ? msg : RED.util.cloneMessage(msg);
        m.topic = req.topic;
        m.payload = page.payload;
        m.page = page.page;
        m.records = page.records;
        m.total = page.total;
        m.complete = page.last;
        m.truncated = page.truncated;
        if (req.window) m.window = req.window;
        if (req.query.operation === 'history') for (const s of page.payload as Series[]) series.add(s.uid);
        send(m);
        if (page.truncated) node.warn(truncationWarning(page.truncatedBy, req.query.maxRecords ?? 0, page.page));
        if (page.last) {
          const n = req.query.operation === 'history' ? `${series.size} series · ${page.total} points` : `${page.total} ${req.query.operation}`;
          status.ok(node, `${page.page} page${page.page === 1 ? '' : 's'} · ${n}`);
        } else if (Date.now() - shown >= STATUS_EVERY_MS) {
          shown = Date.now();
          status.connecting(node, `page ${page.page} · ${page.total} records`);
        }
        await delivered();
      }
    };

    handleInput(
      node,
      async (msg, send) => {
        const client = server.getClient();
        const req = historyRequest(msg, cfg, Date.now());
        status.connecting(node, 'reading');
        try {
          await (req.output === 'pages' ? pages : single)(client, req, msg, send);
        } catch (err) {
          // After a redeploy the aborted read is nobody's failure: the node is gone.
          if (closing.signal.aborted) return;
          throw err;
        }
      },
      { secrets: () => server.secrets(), misconfigured: cfg.misconfigured },
    );

    node.on('close', (_removed, done) => {
      closing.abort(new GatewayError('UNREACHABLE', 'The EMS history node was stopped (redeploy or shutdown).'));
      done();
    });
  }
  RED.nodes.registerType(HISTORY_TYPE, EmsHistory as unknown as (this: Node, def: NodeDef) => void);
}
