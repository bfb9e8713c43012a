import { badResponse } from '../../core/errors';
import { MAX_PAGES } from '../../core/paging';
import type { Page } from './types';

export { MAX_PAGES };

export interface PagingResult<T> {
  items: T[];
  /** Requests made to collect them. */
  pages: number;
}

/** A list reply as a Page: `items` must be an array; anything else about it is the API's business. */
export function asPage<T>(body: unknown, what: string): Page<T> {
  const items = body && typeof body === 'object' ? (body as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) throw badResponse(`The reply to ${what} has no "items" list: is the base URL that of the HeatingControl External API?`);
  // Homes and devices are objects: anything else in the list is not a page this node can pass on.
  for (const item of items as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw badResponse(`The reply to ${what} lists an item that is not an object: this is not a reply of the HeatingControl External API.`);
  }
  const pagination = (body as { pagination?: unknown }).pagination;
  return { items: items as T[], pagination: pagination && typeof pagination === 'object' ? (pagination as Page<T>['pagination']) : undefined };
}

/** The cursor of the next page, or undefined on the last page. */
export function nextCursor(page: Page<unknown>, what: string): string | undefined {
  const p = page.pagination;
  if (!p) return undefined;
  const next = typeof p.nextCursor === 'string' && p.nextCursor !== '' ? p.nextCursor : undefined;
  // `hasMore` decides when present; an API that only sends `nextCursor` is followed too.
  if (p.hasMore === false) return undefined;
  if (p.hasMore === true && !next) throw badResponse(`The reply to ${what} says more pages follow but gives no cursor to fetch them.`);
  return next;
}

/**
 * Every page of a cursor-paged list. `fetchPage(cursor)` asks for one page (no cursor: the first).
 * A cursor seen before, or more than MAX_PAGES pages, stops with BAD_RESPONSE instead of looping.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  what: string,
  maxPages = MAX_PAGES,
): Promise<PagingResult<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = nextCursor(page, what);
    if (cursor === undefined) return { items, pages };
    if (seen.has(cursor)) throw badResponse(`The API returned the same page cursor twice while listing ${what}: stopped to avoid an endless loop.`);
    seen.add(cursor);
    if (pages >= maxPages) throw badResponse(`Listing ${what} took more than ${maxPages} pages: stopped to protect Node-RED.`);
  }
}
