export * from './types';
export { HeatingClient, heatingBaseUrl, DEFAULT_PAGE_SIZE, SCHEMA_MAX_AGE_MS, type HeatingClientOptions } from './client';
export { envelopeError, parseEnvelope, codeFor, VENDOR_CODES } from './errors';
export { collectPages, nextCursor, asPage, MAX_PAGES, type PagingResult } from './paging';
export { validateParams, validateSetting, commandSchema, checkValue, optionsOf, findSettingKey } from './schema';
export { commandOutcome, normalizeState, settingValues } from './normalize';
export { parseToken, basicClientAuth, TOKEN_PATH } from './oauth';
