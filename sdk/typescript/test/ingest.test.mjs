// The SDK against a real Tracetics server (started by test/run.mjs): single track, batching,
// flush/shutdown, validation errors and non-retryable 4xx, the drop policy, packaging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Tracetics, TraceticsError } from 'tracetics-sdk'; // the package's own name: resolved through package.json "exports"
import { BASE, clientOptions, newApp, recordingFetch, sqlWhenLoaded, unique } from './helpers.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('single track: the documented usage stores the event with its metadata', async () => {
  const app = await newApp();
  const client = new Tracetics({ tenantKey: app.tenantKey, trackedAppKey: app.appKey, endpoint: BASE });
  const name = unique('signup_completed');
  const result = await client.track({
    event_name: name,
    user_identifier: 'user_123',
    metadata: { plan: 'pro', source: 'landing_page' },
  });
  assert.match(result.event_id, UUID);
  assert.equal(client.pendingCount, 0);
  const rows = await sqlWhenLoaded(app, `SELECT user_identifier, metadata->>'plan', metadata->>'source' FROM events WHERE event_name = '${name}'`);
  assert.deepEqual(rows, [['user_123', 'pro', 'landing_page']]);
  await client.shutdown();
});

test('timestamp as Date, ISO string and epoch ms becomes the stored event time', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, flushIntervalMs: 50 }));
  const name = unique('ts');
  await Promise.all([
    client.track({ event_name: name, user_identifier: 'd', timestamp: new Date('2026-01-05T10:00:00Z') }),
    client.track({ event_name: name, user_identifier: 'i', timestamp: '2026-01-05T11:00:00+01:00' }),
    client.track({ event_name: name, user_identifier: 'e', timestamp: Date.parse('2026-01-05T12:00:00Z') }),
  ]);
  const sent = calls.calls[0].body.events;
  assert.equal(sent[0].timestamp, '2026-01-05T10:00:00.000Z');
  assert.equal(sent[1].timestamp, '2026-01-05T11:00:00+01:00');
  assert.equal(sent[2].timestamp, Date.parse('2026-01-05T12:00:00Z'));
  for (const e of sent) {
    assert.ok(!Number.isNaN(Date.parse(e.sent_at)), 'sent_at is an ISO time');
    assert.match(e.event_id, UUID);
  }
  const rows = await sqlWhenLoaded(app, `SELECT user_identifier, strftime(event_time, '%Y-%m-%dT%H:%M') FROM events WHERE event_name = '${name}' ORDER BY 1`);
  // The server corrects by (received_at - sent_at), which is well under a minute here.
  assert.deepEqual(rows, [['d', '2026-01-05T10:00'], ['e', '2026-01-05T12:00'], ['i', '2026-01-05T10:00']]);
  await client.shutdown();
});

test('batching: several tracks within the interval go out as one batch request', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, batchSize: 50, flushIntervalMs: 300 }));
  const name = unique('batched');
  const results = await Promise.all(
    Array.from({ length: 5 }, (_, i) => client.track({ event_name: name, user_identifier: `u${i}` })),
  );
  assert.equal(calls.calls.length, 1, 'one request');
  assert.ok(calls.calls[0].url.endsWith('/api/v1/events/batch'));
  assert.equal(calls.calls[0].body.events.length, 5);
  assert.deepEqual(calls.calls[0].response, { accepted: 5, duplicates: 0, rejected: [] });
  assert.equal(new Set(results.map((r) => r.event_id)).size, 5, 'distinct event ids');
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 5);
  await client.shutdown();
});

test('batching: a full batch is sent at once, the rest on flush()', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, batchSize: 3, flushIntervalMs: 600_000 }));
  const name = unique('sized');
  const promises = Array.from({ length: 7 }, (_, i) => client.track({ event_name: name, user_identifier: `u${i}` }));
  await Promise.all(promises.slice(0, 6)); // two full batches went without waiting for the interval
  assert.deepEqual(calls.calls.map((c) => c.body.events.length), [3, 3]);
  assert.equal(client.pendingCount, 1);
  await client.flush();
  await promises[6];
  assert.deepEqual(calls.calls.map((c) => c.body.events.length), [3, 3, 1]);
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 7);
  await client.shutdown();
});

test('flush() resolves when everything queued is acknowledged; shutdown() refuses later tracks', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, flushIntervalMs: 600_000 }));
  const name = unique('flushed');
  let acknowledged = 0;
  for (let i = 0; i < 4; i++) {
    client.track({ event_name: name, user_identifier: `u${i}` }).then(() => acknowledged++);
  }
  assert.equal(client.pendingCount, 4);
  assert.equal(calls.calls.length, 0, 'nothing sent before the interval or flush()');
  await client.flush();
  await Promise.resolve();
  assert.equal(acknowledged, 4);
  assert.equal(client.pendingCount, 0);
  assert.equal(calls.calls.length, 1);
  assert.equal(calls.calls[0].response.accepted, 4);
  await client.flush(); // nothing queued: resolves at once, no request
  assert.equal(calls.calls.length, 1);

  const last = client.track({ event_name: name, user_identifier: 'last' });
  await client.shutdown();
  await last; // shutdown sent it
  assert.equal(calls.calls.length, 2);
  const errors = [];
  const refused = new Tracetics(clientOptions(app, { onError: (e) => errors.push(e) }));
  await refused.shutdown();
  await assert.rejects(refused.track({ event_name: name, user_identifier: 'late' }), (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.code, 'client_shutdown');
    return true;
  });
  assert.equal(errors.length, 1);
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 5);
});

test('validation error: a 201-character event_name is rejected per item, the rest of the batch stored', async () => {
  const app = await newApp();
  const errors = [];
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, onError: (e) => errors.push(e), flushIntervalMs: 50 }));
  const name = unique('valid');
  const bad = client.track({ event_name: 'x'.repeat(201), user_identifier: 'u1' });
  const good = client.track({ event_name: name, user_identifier: 'u1' });
  await assert.rejects(bad, (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_length');
    assert.equal(e.body.field, 'event_name');
    assert.equal(e.retryable, false);
    assert.equal(e.events.length, 1);
    assert.equal(e.events[0].event_name.length, 201);
    return true;
  });
  assert.match((await good).event_id, UUID);
  assert.equal(calls.calls.length, 1, 'a per-item rejection is not retried');
  assert.deepEqual(calls.calls[0].response.rejected.map((r) => r.index), [0]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'invalid_length');
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 1);
  await client.shutdown();
});

test('a non-retryable 4xx (401 invalid_keys) fails at once, surfaced to onError and the promise', async () => {
  const app = await newApp();
  const errors = [];
  const calls = recordingFetch();
  const client = new Tracetics(
    clientOptions(app, { trackedAppKey: 'ak_wrong', fetch: calls, onError: (e) => errors.push(e), flushIntervalMs: 10 }),
  );
  await assert.rejects(client.track({ event_name: 'x', user_identifier: 'u' }), (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'invalid_keys');
    assert.equal(e.attempts, 1);
    return true;
  });
  assert.equal(calls.calls.length, 1, 'no retry');
  assert.equal(errors.length, 1);
  await client.shutdown();
});

test('bounded queue: beyond maxQueueSize the new event is dropped (queue_full)', async () => {
  const app = await newApp();
  const errors = [];
  const client = new Tracetics(
    clientOptions(app, { maxQueueSize: 2, flushIntervalMs: 600_000, onError: (e) => errors.push(e) }),
  );
  const name = unique('bounded');
  const kept = [0, 1].map((i) => client.track({ event_name: name, user_identifier: `u${i}` }));
  await assert.rejects(client.track({ event_name: name, user_identifier: 'dropped' }), (e) => {
    assert.equal(e.code, 'queue_full');
    assert.equal(e.status, 0);
    assert.equal(e.events[0].user_identifier, 'dropped');
    return true;
  });
  assert.equal(errors.length, 1);
  await client.shutdown();
  await Promise.all(kept);
  const rows = await sqlWhenLoaded(app, `SELECT user_identifier FROM events WHERE event_name = '${name}' ORDER BY 1`);
  assert.deepEqual(rows, [['u0'], ['u1']]);
});

test('page hide (browser): queued events go out with fetch keepalive', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const win = new EventTarget();
  const doc = new EventTarget();
  doc.visibilityState = 'visible';
  const saved = { addEventListener: globalThis.addEventListener, removeEventListener: globalThis.removeEventListener, document: globalThis.document };
  globalThis.addEventListener = win.addEventListener.bind(win);
  globalThis.removeEventListener = win.removeEventListener.bind(win);
  globalThis.document = doc;
  try {
    const client = new Tracetics(clientOptions(app, { fetch: calls, flushIntervalMs: 600_000 }));
    const name = unique('hidden');
    const p = [client.track({ event_name: name, user_identifier: 'a' }), client.track({ event_name: name, user_identifier: 'b' })];
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await Promise.all(p);
    assert.equal(calls.calls.length, 1);
    assert.equal(calls.calls[0].keepalive, true);
    assert.equal(calls.calls[0].body.events.length, 2);
    const third = client.track({ event_name: name, user_identifier: 'c' });
    win.dispatchEvent(new Event('pagehide'));
    await third;
    assert.equal(calls.calls.length, 2);
    assert.equal(calls.calls[1].keepalive, true);
    await client.shutdown();
    win.dispatchEvent(new Event('pagehide')); // listeners removed: nothing more is sent
    assert.equal(calls.calls.length, 2);
    const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
    assert.equal(Number(rows[0][0]), 3);
  } finally {
    Object.assign(globalThis, saved);
    if (saved.document === undefined) delete globalThis.document;
    if (saved.addEventListener === undefined) delete globalThis.addEventListener;
    if (saved.removeEventListener === undefined) delete globalThis.removeEventListener;
  }
});

test('packaging: the CommonJS build exports the same API', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('tracetics-sdk');
  assert.equal(typeof cjs.Tracetics, 'function');
  assert.equal(typeof cjs.TraceticsError, 'function');
  const e = new cjs.TraceticsError({ status: 429, code: 'rate_limited', message: 'slow down', retryAfter: 2 });
  assert.ok(e instanceof Error);
  assert.equal(e.retryable, true);
  assert.equal(e.retryAfter, 2);
});
