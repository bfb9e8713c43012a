import { badResponse } from '../../core/errors';
import { MAX_PAGES } from '../../core/paging';
import { countRecords, limitPage, type NormalizedPage, type PagePayload } from './normalize';
import type { Operation } from './routes';

/** One reply: its normalized records and a fingerprint of its body (to notice a server that ignores `page`). */
export interface FetchedPage extends NormalizedPage {
  fingerprint: string;
}

/** Fetches page `page` (1-based) of `limit` records; `undefined` for a route without paging. */
export type PageFetcher = (page: number | undefined) => Promise<FetchedPage>;

export interface PagingOptions {
  operation: Operation;
  /** The route documents `limit`/`page`. */
  paged: boolean;
  /** The API's `limit`. */
  pageSize: number;
  /** Stop after this many records (0: no limit). */
  maxRecords: number;
  /** Stop after this many pages (MAX_PAGES): the ceiling that holds whatever maxRecords says. */
  maxPages?: number;
}

/** What stopped a read while the gateway had more: `maxRecords`, or the page ceiling. */
export type Truncation = 'maxRecords' | 'maxPages';

export interface EmsPage {
  /** 1-based number of this page. */
  page: number;
  payload: PagePayload;
  /** Records in this page (history: points). */
  records: number;
  /** Records in this page and all before it. */
  total: number;
  /** Nothing follows. */
  last: boolean;
  /** `maxRecords` or the page ceiling stopped the read while the gateway had more. */
  truncated: boolean;
  /** Which of the two, when truncated. */
  truncatedBy?: Truncation;
}

/** A cheap identity of a reply body: a repeat of the previous page means the server ignores `page`. */
export function fingerprint(body: string): string {
  return `${body.length}:${body.slice(0, 256)}:${body.slice(-256)}`;
}

/**
 * Follows pages until one holds fewer records than `pageSize`, or `maxRecords` records or `maxPages` pages
 * were read (then the last page handed out says `truncated`), holding at most the page being handed out
 * and the one after it (read ahead so the last page is known to be last). Nothing is accumulated: a
 * consumer that drops each page keeps memory flat, and the next request goes out only when the consumer
 * asks for the next page (backpressure).
 */
export async function* pageThrough(fetch: PageFetcher, o: PagingOptions): AsyncGenerator<EmsPage, void, undefined> {
  const max = o.maxRecords > 0 ? o.maxRecords : Infinity;
  const maxPages = o.maxPages ?? MAX_PAGES;
  let page = 1;
  let current = await fetch(o.paged ? 1 : undefined);
  let total = 0;
  for (;;) {
    const count = countRecords(o.operation, current.payload);
    const left = max - total;
    if (count > left) {
      const payload = limitPage(o.operation, current.payload, left);
      yield { page, payload, records: left, total: max, last: true, truncated: true, truncatedBy: 'maxRecords' };
      return;
    }
    let next: FetchedPage | undefined;
    if (o.paged && current.received >= o.pageSize) {
      next = await fetch(page + 1);
      if (next.received > 0 && next.fingerprint === current.fingerprint) {
        throw badResponse(`The EMS gateway answered page ${page + 1} with the same records as page ${page}: it seems to ignore the page parameter; raise the page size or check the route table.`);
      }
    }
    const more = next !== undefined && next.received > 0;
    total += count;
    const truncatedBy: Truncation | undefined = !more ? undefined : total >= max ? 'maxRecords' : page >= maxPages ? 'maxPages' : undefined;
    const truncated = truncatedBy !== undefined;
    yield { page, payload: current.payload, records: count, total, last: !more || truncated, truncated, ...(truncatedBy ? { truncatedBy } : {}) };
    if (!more || truncated || !next) return;
    current = next;
    page++;
  }
}
