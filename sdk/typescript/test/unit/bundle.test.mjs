// The <script>-tag build (dist/tracetics.iife.js): run as a classic script, it defines exactly one
// global, `Tracetics`, the client class with the package's other exports and its version on it; and
// the copy the service serves (committed under service/src/main/resources) is this build, byte for
// byte, so a stale copy fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { BUILT_BUNDLE, SDK_DIR, SERVICE_BUNDLE } from '../../scripts/paths.mjs';
import { BATCH_URL, ENDPOINT, fakeFetch, TENANT_KEY, APP_KEY } from './fake-fetch.mjs';

const { version } = JSON.parse(readFileSync(`${SDK_DIR}/package.json`, 'utf8'));
const bundle = readFileSync(BUILT_BUNDLE, 'utf8');

/** A fresh script context with what a browser page offers the SDK, and the bundle run in it. */
function page() {
  const window = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    AbortController,
    TextEncoder,
    CompressionStream,
    Response,
    crypto: globalThis.crypto,
  });
  const before = new Set(Object.keys(window));
  vm.runInContext(bundle, window, { filename: 'tracetics.js' });
  return { window, added: Object.keys(window).filter((k) => !before.has(k)) };
}

test('the bundle starts with its license banner and defines one global, Tracetics', () => {
  assert.ok(bundle.startsWith(`/*! tracetics-sdk ${version} | MIT License | Tracetics contributors */\n`));
  const { window, added } = page();
  assert.deepEqual(added, ['Tracetics']);
  const T = window.Tracetics;
  assert.equal(typeof T, 'function');
  assert.equal(T.version, version);
  assert.equal(T.Tracetics, T);
  assert.equal(T.MAX_BATCH_EVENTS, 1000);
  assert.equal(T.ANONYMOUS_ID_KEY, 'tracetics_anonymous_id');
  assert.equal(T.isRetryableStatus(503), true);
  assert.equal(T.parseRetryAfter('7'), 7);
  assert.match(T.uuid(), /^[0-9a-f-]{36}$/);
  assert.equal(typeof T.TraceticsError, 'function');
});

test('new Tracetics({...}) from the global sends events like the module build, gzip included', async () => {
  const { window } = page();
  const f = fakeFetch();
  const errors = [];
  const client = new window.Tracetics({
    tenantKey: TENANT_KEY,
    trackedAppKey: APP_KEY,
    endpoint: ENDPOINT,
    fetch: f,
    storage: null,
    onError: (e) => errors.push(e),
  });
  const small = client.track({ event_name: 'page_view', metadata: { path: '/pricing' } });
  await client.flush();
  const { event_id } = await small;
  assert.equal(f.requests.length, 1);
  assert.equal(f.requests[0].url, BATCH_URL);
  assert.equal(f.requests[0].body.events[0].event_id, event_id);
  assert.equal(f.requests[0].body.events[0].user_identifier, client.anonymousId);

  const large = Array.from({ length: 10 }, (_, i) => client.track({ event_name: 'e', metadata: { text: 'x'.repeat(200), i } }));
  await client.flush();
  await Promise.all(large);
  assert.equal(f.requests[1].headers['Content-Encoding'], 'gzip');
  assert.equal(f.requests[1].body.events.length, 10);

  await assert.rejects(client.track(null), (e) => e instanceof window.Tracetics.TraceticsError && e.code === 'invalid_input');
  assert.equal(errors.length, 1);
  await client.shutdown();
});

test('the service serves this build: its committed copy is up to date', () => {
  const served = readFileSync(SERVICE_BUNDLE, 'utf8');
  assert.ok(
    served === bundle,
    `${SERVICE_BUNDLE} differs from a fresh build of the SDK: run \`npm run bundle:service\` in sdk/typescript and commit it`,
  );
});
