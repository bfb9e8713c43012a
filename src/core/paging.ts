/**
 * The most pages one read follows, whatever the server says about more (HeatingControl cursors, EMS
 * limit/page). A server that always has another page would otherwise be followed until memory runs out;
 * 1000 pages of a vendor's largest page is more than any account or gateway holds for one read.
 * What happens at the ceiling is each vendor's contract: HeatingControl fails with BAD_RESPONSE, EMS stops
 * as `maxRecords` does (msg.truncated and a warning).
 */
export const MAX_PAGES = 1000;
