/**
 * Preloaded (`node --require`) into the node-red-dev process by scripts/validate.mjs, so that
 * `node-red-dev validate` runs without the internet and without patching node_modules:
 *
 * - node-red-dev's own axios (hard-coded https://catalogue.nodered.org and https://registry.npmjs.org)
 *   gets a request interceptor that sends those URLs to the loopback server of validate.mjs
 *   (VALIDATE_LOCAL_BASE); any other URL is refused.
 * - npm-remote-ls (check D02) reads the registry from npm's config: validate.mjs sets
 *   npm_registry (rc's name for it) to the loopback server, which answers from package-lock.json.
 * - npm-check (check D03, "dependencies are at their latest version") asks the registry through the
 *   `package-json` module: offline it gets an error saying the check needs the live registry (there is no
 *   honest offline answer to "what is the latest version").
 * - Every DNS lookup of a name other than localhost fails, so nothing can reach the network unnoticed.
 *
 * VALIDATE_LIVE_REGISTRY=1 keeps the registry calls live (only the catalogue is served locally).
 */
'use strict';
const dns = require('node:dns');
const Module = require('node:module');
const path = require('node:path');

const base = process.env.VALIDATE_LOCAL_BASE;
const live = process.env.VALIDATE_LIVE_REGISTRY === '1';
if (!base) throw new Error('offline-hook: VALIDATE_LOCAL_BASE is not set (run scripts/validate.mjs)');

const devRequire = Module.createRequire(require.resolve('node-red-dev/src/commands/validate.js'));
const axios = devRequire('axios');

const CATALOGUE = 'https://catalogue.nodered.org/';
const REGISTRY = 'https://registry.npmjs.org/';

axios.interceptors.request.use((config) => {
  const url = String(config.url);
  if (url.startsWith(CATALOGUE)) return { ...config, url: `${base}/catalogue/${url.slice(CATALOGUE.length)}` };
  if (url.startsWith(REGISTRY)) {
    if (live) return config;
    return { ...config, url: `${base}/registry/${url.slice(REGISTRY.length)}` };
  }
  if (url.startsWith(`${base}/`)) return config;
  throw new Error(`offline validate: refusing to fetch ${url}`);
});

if (!live) {
  // npm-check -> package-json: answer "not available offline" for every package.
  const checkDir = path.dirname(devRequire.resolve('npm-check/package.json'));
  const latestModule = path.join(checkDir, 'lib', 'in', 'get-latest-from-registry.js');
  const pkgJsonPath = Module.createRequire(latestModule).resolve('package-json');
  const stub = new Module(pkgJsonPath);
  stub.filename = pkgJsonPath;
  stub.loaded = true;
  stub.exports = (name) => Promise.reject(new Error(`${name}: the latest version needs the live npm registry (offline run)`));
  require.cache[pkgJsonPath] = stub;

  const lookup = dns.lookup;
  dns.lookup = function offlineLookup(host, ...rest) {
    if (host === 'localhost' || host === '127.0.0.1' || host === '::1') return lookup.call(this, host, ...rest);
    const callback = rest[rest.length - 1];
    const err = Object.assign(new Error(`offline validate: blocked a lookup of ${host}`), { code: 'EOFFLINE' });
    if (typeof callback === 'function') process.nextTick(callback, err);
    return {};
  };
}
