// Retries against the real server: 429 rate_limited (the test config allows 50 events/s per app),
// 503 database_unavailable (a held row lock in MariaDB makes the server's write time out), and an
// idempotent retry after a lost answer (the event is stored once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tracetics, TraceticsError } from 'tracetics-sdk'; // the package's own name: resolved through package.json "exports"
import { clientOptions, lockTenant, newApp, recordingFetch, sendRaw, sqlWhenLoaded, unique } from './helpers.mjs';

test('retry after 429 rate_limited honours Retry-After, then the event is stored', async () => {
  const app = await newApp();
  // Use up the app's bucket (burst 50) and put it in debt: the next request must wait ~2 s.
  const drain = await sendRaw(app, Array.from({ length: 100 }, (_, i) => ({ event_name: 'drain', user_identifier: `d${i}` })));
  assert.equal(drain.status, 200);
  const calls = recordingFetch();
  const errors = [];
  const client = new Tracetics(clientOptions(app, { fetch: calls, flushIntervalMs: 10, onError: (e) => errors.push(e) }));
  const name = unique('after_429');
  const started = Date.now();
  await client.track({ event_name: name, user_identifier: 'u1' });
  const elapsed = Date.now() - started;
  assert.equal(calls.calls[0].status, 429);
  assert.equal(calls.calls[0].response.error, 'rate_limited');
  const retryAfter = Number(calls.calls[0].retryAfter);
  assert.ok(retryAfter >= 1, 'Retry-After present');
  assert.equal(calls.calls.at(-1).status, 200);
  assert.ok(elapsed >= retryAfter * 1000, `waited ${elapsed} ms, Retry-After ${retryAfter} s`);
  const ids = new Set(calls.calls.map((c) => c.body.events[0].event_id));
  assert.equal(ids.size, 1, 'every attempt carries the same event_id');
  assert.equal(errors.length, 0, 'a retried-then-acknowledged event is no error');
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 1);
  await client.shutdown();
});

test('a Retry-After beyond maxRetryAfterMs fails at once with the server\'s 429 and its retryAfter', async () => {
  const app = await newApp();
  const drain = await sendRaw(app, Array.from({ length: 100 }, (_, i) => ({ event_name: 'drain', user_identifier: `d${i}` })));
  assert.equal(drain.status, 200);
  const calls = recordingFetch();
  const errors = [];
  const client = new Tracetics(
    clientOptions(app, { fetch: calls, flushIntervalMs: 10, maxRetryAfterMs: 500, onError: (e) => errors.push(e) }),
  );
  await assert.rejects(client.track({ event_name: 'too_soon', user_identifier: 'u1' }), (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.status, 429);
    assert.equal(e.code, 'rate_limited');
    assert.ok(e.retryAfter >= 1);
    assert.equal(e.body.limit_per_second, 50);
    assert.equal(e.attempts, 1);
    return true;
  });
  assert.equal(calls.calls.length, 1);
  assert.equal(errors.length, 1);
  await client.shutdown();
});

test('retry after 503 database_unavailable, then the event is stored once', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, flushIntervalMs: 10, retryBaseDelayMs: 200 }));
  await client.track({ event_name: 'first', user_identifier: 'u0' }); // creates the tenant's usage row
  // While the lock is held the server times out the tenant's writes with a 503; release it after 3 s.
  const lock = await lockTenant(app.tenantId);
  const released = new Promise((r) => setTimeout(r, 3000)).then(() => lock.release());
  const name = unique('after_503');
  const started = Date.now();
  const result = await client.track({ event_name: name, user_identifier: 'u1' });
  const elapsed = Date.now() - started;
  await released;
  assert.ok(elapsed >= 2500, `acknowledged only after the lock was released (${elapsed} ms)`);
  const attempts = calls.calls.slice(1);
  assert.equal(attempts[0].status, 503);
  assert.equal(attempts[0].response.error, 'database_unavailable');
  assert.ok(Number(attempts[0].retryAfter) >= 1, 'Retry-After present');
  assert.equal(attempts.at(-1).status, 200);
  assert.ok(attempts.every((c) => c.body.events[0].event_id === result.event_id));
  assert.ok(elapsed >= 1000, `retried after Retry-After (${elapsed} ms)`);
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 1);
  await client.shutdown();
});

test('idempotent retry: the answer is lost after the server stored the batch; the retry is a duplicate', async () => {
  const app = await newApp();
  const real = recordingFetch();
  let lost = 0;
  // The first request reaches the real server and is stored, but its answer never reaches the SDK
  // (as when a connection drops after the commit): the SDK sees a network error and retries.
  const flaky = async (url, init) => {
    const response = await real(url, init);
    if (lost === 0) {
      lost++;
      await response.text();
      throw new TypeError('fetch failed: connection reset');
    }
    return response;
  };
  const errors = [];
  const client = new Tracetics(
    clientOptions(app, { fetch: flaky, flushIntervalMs: 10, retryBaseDelayMs: 100, onError: (e) => errors.push(e) }),
  );
  const name = unique('idempotent');
  const results = await Promise.all([
    client.track({ event_name: name, user_identifier: 'u1' }),
    client.track({ event_name: name, user_identifier: 'u2' }),
  ]);
  assert.equal(real.calls.length, 2);
  assert.deepEqual(real.calls[0].response, { accepted: 2, duplicates: 0, rejected: [] });
  assert.deepEqual(real.calls[1].response, { accepted: 2, duplicates: 2, rejected: [] });
  assert.deepEqual(real.calls[1].body.events.map((e) => e.event_id), results.map((r) => r.event_id));
  assert.equal(errors.length, 0);
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 2, 'stored once each');
  await client.shutdown();
});

test('retries run out: the last retryable error is surfaced with its attempt count', async () => {
  const app = await newApp();
  const errors = [];
  let requests = 0;
  const down = async () => {
    requests++;
    throw new TypeError('fetch failed: ECONNREFUSED');
  };
  const client = new Tracetics(
    clientOptions(app, { fetch: down, maxRetries: 2, retryBaseDelayMs: 10, flushIntervalMs: 10, onError: (e) => errors.push(e) }),
  );
  await assert.rejects(client.track({ event_name: 'x', user_identifier: 'u' }), (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.code, 'network_error');
    assert.equal(e.status, 0);
    assert.equal(e.attempts, 3);
    assert.equal(e.retryable, true);
    return true;
  });
  assert.equal(requests, 3);
  assert.equal(errors.length, 1);
  await client.shutdown();
});
