// Unit tests of request compression: batch bodies of 1 KB or more go gzipped with
// `Content-Encoding: gzip` (CompressionStream), smaller ones, page-hide (keepalive) requests and
// clients with `compress: false` as plain JSON. Real timers: compression runs on Node's thread pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Tracetics } from 'tracetics-sdk';
import { fakeFetch, HEADERS, options } from './fake-fetch.mjs';

const GZIP_MAGIC = [0x1f, 0x8b];
const big = (i) => ({ event_name: 'viewed', user_identifier: `u${i}`, metadata: { path: `/docs/${'section/'.repeat(40)}${i}` } });

test('a batch of 1 KB or more is sent as gzip with Content-Encoding: gzip; the server gets the same JSON', async () => {
  const f = fakeFetch();
  const client = new Tracetics(options(f, { compress: undefined, flushIntervalMs: 60_000 }).options);
  const tracked = Array.from({ length: 20 }, (_, i) => client.track(big(i)));
  await client.flush();
  await Promise.all(tracked);
  assert.equal(f.requests.length, 1);
  const [r] = f.requests;
  assert.deepEqual(r.headers, { ...HEADERS, 'Content-Encoding': 'gzip' });
  assert.ok(r.raw instanceof Uint8Array, 'a byte array, so fetch sends a Content-Length');
  assert.deepEqual([...r.raw.subarray(0, 2)], GZIP_MAGIC);
  const json = gunzipSync(r.raw).toString('utf8');
  assert.ok(r.raw.length < json.length / 4, `${r.raw.length} gzip bytes for ${json.length} of JSON`);
  assert.deepEqual(
    r.body.events.map((e) => e.metadata.path),
    tracked.map((_, i) => big(i).metadata.path),
  );
  await client.shutdown();
});

test('a batch under 1 KB is sent as plain JSON, without Content-Encoding', async () => {
  const f = fakeFetch();
  const client = new Tracetics(options(f, { compress: undefined }).options);
  const done = client.track({ event_name: 'signup', user_identifier: 'u1' });
  await client.flush();
  await done;
  assert.deepEqual(f.requests[0].headers, HEADERS);
  assert.equal(typeof f.requests[0].raw, 'string');
  assert.ok(f.requests[0].raw.length < 1024);
  await client.shutdown();
});

test('the threshold counts UTF-8 bytes: 400 three-byte characters (1,200 bytes) are compressed', async () => {
  const f = fakeFetch();
  const client = new Tracetics(options(f, { compress: undefined }).options);
  const done = client.track({ event_name: 'e', user_identifier: 'u', metadata: { text: '€'.repeat(400) } });
  await client.flush();
  await done;
  assert.equal(f.requests[0].headers['Content-Encoding'], 'gzip');
  assert.equal(f.requests[0].body.events[0].metadata.text, '€'.repeat(400));
  await client.shutdown();
});

test('compress: false sends large batches as plain JSON', async () => {
  const f = fakeFetch();
  const client = new Tracetics(options(f, { compress: false }).options);
  const tracked = Array.from({ length: 20 }, (_, i) => client.track(big(i)));
  await client.flush();
  await Promise.all(tracked);
  assert.deepEqual(f.requests[0].headers, HEADERS);
  assert.equal(typeof f.requests[0].raw, 'string');
  await client.shutdown();
});

test('page hide: keepalive requests go uncompressed and leave at once, within the call', async () => {
  const f = fakeFetch();
  const client = new Tracetics(options(f, { compress: undefined, flushIntervalMs: 60_000 }).options);
  const tracked = Array.from({ length: 20 }, (_, i) => client.track(big(i)));
  client.flushKeepalive();
  assert.equal(f.requests.length, 1, 'sent synchronously: a hidden page may not run another task');
  assert.equal(f.requests[0].keepalive, true);
  assert.deepEqual(f.requests[0].headers, HEADERS);
  await Promise.all(tracked);
  await client.shutdown();
});

test('without CompressionStream (older runtimes) large batches go as plain JSON', async (t) => {
  const original = globalThis.CompressionStream;
  t.after(() => {
    globalThis.CompressionStream = original;
  });
  globalThis.CompressionStream = undefined;
  const f = fakeFetch();
  const client = new Tracetics(options(f, { compress: undefined }).options);
  const tracked = Array.from({ length: 20 }, (_, i) => client.track(big(i)));
  await client.flush();
  await Promise.all(tracked);
  assert.deepEqual(f.requests[0].headers, HEADERS);
  assert.equal(f.requests[0].body.events.length, 20);
  await client.shutdown();
});
