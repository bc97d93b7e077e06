// Unit tests of the client's queueing, batching, flush/shutdown, drop policy and page-hide sending,
// with a scripted fetch (fake-fetch.mjs) and mocked timers: no server, exact requests and times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tracetics, TraceticsError } from 'tracetics-sdk';
import { accept, apiError, BATCH_URL, drain, fakeFetch, HEADERS, held, mockTime, networkError, options, reply } from './fake-fetch.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ev = (i) => ({ event_name: 'e', user_identifier: `u${i}` });
const names = (request) => request.body.events.map((e) => e.user_identifier);

test('time trigger: a batch goes out flushIntervalMs after its first event, with the exact request', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch();
  const { options: o, errors } = options(f, { flushIntervalMs: 1000 });
  const client = new Tracetics(o);
  const first = client.track({ event_name: 'signup', user_identifier: 'u1', metadata: { plan: 'pro' }, event_id: 'my-id-1' });
  await clock.tick(600);
  const second = client.track({ event_name: 'checkout', user_identifier: 'u2', timestamp: new Date('2026-03-01T08:00:00.000Z') });
  const third = client.track({ event_name: 'visit', user_identifier: 'u3', timestamp: 1772352000123.9 });
  await clock.tick(399);
  assert.equal(f.requests.length, 0, 'nothing before the interval has elapsed since the first event');
  await clock.tick(1);
  assert.equal(f.requests.length, 1);
  const [r] = f.requests;
  assert.equal(r.url, BATCH_URL, 'the trailing slash of the endpoint is dropped');
  assert.equal(r.method, 'POST');
  assert.deepEqual(r.headers, HEADERS);
  assert.equal(r.keepalive, false);
  assert.ok(r.signal instanceof AbortSignal);
  const [a, b, c] = await Promise.all([first, second, third]);
  assert.equal(a.event_id, 'my-id-1');
  assert.match(b.event_id, UUID);
  assert.match(c.event_id, UUID);
  const sentAt = '2026-03-02T09:00:01.000Z';
  assert.deepEqual(r.body, {
    events: [
      { event_name: 'signup', user_identifier: 'u1', event_id: 'my-id-1', metadata: { plan: 'pro' }, sent_at: sentAt },
      { event_name: 'checkout', user_identifier: 'u2', event_id: b.event_id, timestamp: '2026-03-01T08:00:00.000Z', sent_at: sentAt },
      { event_name: 'visit', user_identifier: 'u3', event_id: c.event_id, timestamp: 1772352000123, sent_at: sentAt },
    ],
  });
  assert.equal(client.pendingCount, 0);
  await clock.tick(60_000);
  assert.equal(f.requests.length, 1, 'an empty queue sends nothing');
  assert.deepEqual(errors, []);
});

test('size trigger: a full batch is sent at once; the remainder waits for the interval', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { batchSize: 3, flushIntervalMs: 1000 }).options);
  const tracked = [0, 1].map((i) => client.track(ev(i)));
  await drain();
  assert.equal(f.requests.length, 0);
  tracked.push(client.track(ev(2)));
  await drain();
  assert.deepEqual(f.requests.map(names), [['u0', 'u1', 'u2']], 'the third event filled a batch: sent without waiting');
  tracked.push(client.track(ev(3)), client.track(ev(4)));
  await drain();
  assert.equal(f.requests.length, 1);
  assert.equal(f.requests[0].at, Date.parse('2026-03-02T09:00:00.000Z'));
  await Promise.all(tracked.slice(0, 3));
  assert.equal(client.pendingCount, 2);
  await clock.tick(999);
  assert.equal(f.requests.length, 1);
  await clock.tick(1);
  assert.deepEqual(f.requests.map(names), [['u0', 'u1', 'u2'], ['u3', 'u4']]);
  await Promise.all(tracked);
});

test('one request at a time: events tracked while a batch is in flight form the next batch', async (t) => {
  mockTime(t);
  const first = held();
  const f = fakeFetch(first);
  const client = new Tracetics(options(f, { batchSize: 2, flushIntervalMs: 1000 }).options);
  const tracked = [0, 1, 2, 3, 4, 5].map((i) => client.track(ev(i)));
  await drain();
  assert.equal(f.requests.length, 1, 'two full batches wait while the first is in flight');
  assert.equal(client.pendingCount, 6);
  first.release();
  await drain();
  assert.deepEqual(f.requests.map(names), [['u0', 'u1'], ['u2', 'u3'], ['u4', 'u5']]);
  await Promise.all(tracked);
  assert.equal(client.pendingCount, 0);
});

test('batchSize: at most 1,000 (the server limit); a flush of more goes out in full batches, in order', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  for (const bad of [0, 1001, Number.NaN]) {
    assert.throws(() => new Tracetics(options(f, { batchSize: bad }).options), {
      name: 'TypeError',
      message: "Tracetics: option 'batchSize' must be a number in 1..1000",
    });
  }
  const client = new Tracetics(options(f, { batchSize: 1000, flushIntervalMs: 60_000 }).options);
  const tracked = Array.from({ length: 2500 }, (_, i) => client.track(ev(i)));
  await drain();
  assert.equal(f.requests.length, 2, 'two full batches went at once');
  await client.flush();
  await Promise.all(tracked);
  assert.deepEqual(f.requests.map((r) => r.body.events.length), [1000, 1000, 500]);
  const sent = f.requests.flatMap(names);
  assert.deepEqual(sent, Array.from({ length: 2500 }, (_, i) => `u${i}`), 'every event once, in tracking order');
});

test('default batchSize is 100', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { flushIntervalMs: 60_000 }).options);
  const tracked = Array.from({ length: 250 }, (_, i) => client.track(ev(i)));
  await client.flush();
  await Promise.all(tracked);
  assert.deepEqual(f.requests.map((r) => r.body.events.length), [100, 100, 50]);
});

test('flush() sends at once and resolves only when the answer is in; with nothing queued it sends nothing', async (t) => {
  mockTime(t);
  const answer = held();
  const f = fakeFetch(answer);
  const client = new Tracetics(options(f, { flushIntervalMs: 60_000 }).options);
  await client.flush();
  assert.equal(f.requests.length, 0);
  const tracked = [client.track(ev(0)), client.track(ev(1))];
  let flushed = false;
  const flushing = client.flush().then(() => (flushed = true));
  await drain();
  assert.equal(f.requests.length, 1, 'sent without waiting for the interval');
  assert.equal(flushed, false, 'flush() waits for the answer');
  answer.release();
  await flushing;
  assert.equal(client.pendingCount, 0);
  assert.deepEqual((await Promise.all(tracked)).map((r) => r.event_id), f.requests[0].body.events.map((e) => e.event_id));
});

test('flush() also waits for the batch in flight and sends what was tracked meanwhile right after it', async (t) => {
  mockTime(t);
  const first = held();
  const f = fakeFetch(first);
  const client = new Tracetics(options(f, { flushIntervalMs: 60_000 }).options);
  const a = client.track(ev(0));
  const flushA = client.flush();
  await drain();
  const b = client.track(ev(1));
  let flushedB = false;
  const flushB = client.flush().then(() => (flushedB = true));
  await drain();
  assert.equal(f.requests.length, 1);
  first.release();
  await flushA;
  await flushB;
  assert.equal(flushedB, true);
  assert.deepEqual(f.requests.map(names), [['u0'], ['u1']]);
  await Promise.all([a, b]);
});

test('flush() never rejects: failed events reject their own track() promises', async (t) => {
  mockTime(t);
  const f = fakeFetch(reply(401, apiError(401, 'invalid_keys')));
  const { options: o, errors } = options(f, { flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const tracked = client.track(ev(0));
  await client.flush();
  await assert.rejects(tracked, { name: 'TraceticsError', status: 401, code: 'invalid_keys', attempts: 1 });
  assert.equal(errors.length, 1);
});

test('shutdown() sends what is queued, then refuses new events with client_shutdown', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const { options: o, errors } = options(f, { flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const queued = client.track(ev(0));
  await client.shutdown();
  assert.deepEqual(f.requests.map(names), [['u0']]);
  await queued;
  await assert.rejects(client.track(ev(1)), (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.code, 'client_shutdown');
    assert.equal(e.status, 0);
    assert.deepEqual(e.events.map((x) => x.user_identifier), ['u1']);
    return true;
  });
  assert.deepEqual(errors.map((e) => e.code), ['client_shutdown']);
  await drain();
  assert.equal(f.requests.length, 1);
});

test('maxQueueSize counts events in flight; beyond it the new event is dropped (queue_full)', async (t) => {
  mockTime(t);
  const first = held();
  const f = fakeFetch(first);
  const { options: o, errors } = options(f, { batchSize: 1, maxQueueSize: 2, flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const a = client.track(ev(0)); // full batch of 1: in flight
  const b = client.track(ev(1)); // waiting
  await drain();
  await assert.rejects(client.track(ev(2)), (e) => {
    assert.equal(e.code, 'queue_full');
    assert.equal(e.status, 0);
    assert.equal(e.message, 'The queue holds 2 events (maxQueueSize); the new event was dropped');
    assert.deepEqual(e.events.map((x) => x.user_identifier), ['u2']);
    return true;
  });
  assert.deepEqual(errors.map((e) => e.code), ['queue_full']);
  first.release();
  await Promise.all([a, b]);
  const d = client.track(ev(3)); // room again
  await d;
  assert.deepEqual(f.requests.map(names), [['u0'], ['u1'], ['u3']], 'the dropped event is never sent; order kept');
});

test('invalid input is refused without a request: no object, invalid Date, non-finite epoch', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const { options: o, errors } = options(f);
  const client = new Tracetics(o);
  const cases = [
    [client.track(null), 'track() needs an event object'],
    [client.track({ event_name: 'e', user_identifier: 'u', timestamp: new Date('not a date') }), 'timestamp is an invalid Date'],
    [client.track({ event_name: 'e', user_identifier: 'u', timestamp: Number.POSITIVE_INFINITY }), 'timestamp must be finite epoch milliseconds'],
  ];
  for (const [promise, message] of cases) {
    await assert.rejects(promise, { name: 'TraceticsError', code: 'invalid_input', status: 0, message });
  }
  assert.equal(errors.length, 3);
  assert.equal(client.pendingCount, 0);
  await client.shutdown();
  assert.equal(f.requests.length, 0);
});

test('constructor: keys and endpoint are required, numeric options are range-checked', () => {
  const f = fakeFetch();
  for (const key of ['tenantKey', 'trackedAppKey', 'endpoint']) {
    const o = options(f).options;
    o[key] = '';
    assert.throws(() => new Tracetics(o), { name: 'TypeError', message: `Tracetics: option '${key}' must be a non-empty string` });
  }
  assert.throws(() => new Tracetics(options(f, { maxRetries: -1 }).options), /option 'maxRetries' must be a number in 0\.\.1000/);
  assert.throws(() => new Tracetics(options(f, { requestTimeoutMs: 0 }).options), /option 'requestTimeoutMs'/);
  assert.throws(() => new Tracetics(), { name: 'TypeError', message: 'Tracetics: options are required' });
});

test('without the fetch option the global fetch is used (called unbound)', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  let thisArg = 'unset';
  t.mock.method(globalThis, 'fetch', function (url, init) {
    thisArg = this;
    return f(url, init);
  });
  const { options: o } = options(undefined, { flushIntervalMs: 60_000 });
  delete o.fetch;
  const client = new Tracetics(o);
  await Promise.all([client.track(ev(0)), client.flush()]);
  assert.equal(f.requests.length, 1);
  assert.equal(thisArg, undefined);
});

test('a throwing onError does not stop sending; fire-and-forget failures leave no unhandled rejection', async (t) => {
  mockTime(t);
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  const f = fakeFetch(reply(400, apiError(400, 'invalid_json')), accept());
  let calls = 0;
  const client = new Tracetics({
    ...options(f, { flushIntervalMs: 60_000 }).options,
    onError: () => {
      calls++;
      throw new Error('callback bug');
    },
  });
  client.track(ev(0)); // not awaited, fails with 400
  await client.flush();
  const later = client.track(ev(1));
  await client.flush();
  await later;
  await drain();
  assert.equal(calls, 1);
  assert.deepEqual(f.requests.map(names), [['u0'], ['u1']]);
  assert.deepEqual(unhandled, []);
});

test('page hide: flushKeepalive sends the queue as keepalive requests, each body under 60,000 bytes', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { flushIntervalMs: 60_000 }).options);
  const text = 'x'.repeat(9_000);
  const tracked = Array.from({ length: 20 }, (_, i) => client.track({ ...ev(i), metadata: { text } }));
  client.flushKeepalive();
  await Promise.all(tracked);
  assert.ok(f.requests.length >= 4, `${f.requests.length} chunks for ~180 KB`);
  for (const r of f.requests) {
    assert.equal(r.keepalive, true);
    assert.ok(Buffer.byteLength(r.raw) < 60_000, `chunk of ${Buffer.byteLength(r.raw)} bytes`);
  }
  assert.deepEqual(f.requests.flatMap(names), Array.from({ length: 20 }, (_, i) => `u${i}`));
  assert.equal(client.pendingCount, 0);
});

test('page hide: a retryable keepalive failure puts the events back in front of the queue; a 4xx fails them', async (t) => {
  const clock = mockTime(t);
  const keepalive = held();
  const f = fakeFetch(keepalive);
  const { options: o, errors } = options(f, { flushIntervalMs: 1000 });
  const client = new Tracetics(o);
  const a = client.track(ev(0));
  client.flushKeepalive();
  await drain();
  assert.equal(f.requests.length, 1);
  const b = client.track(ev(1)); // tracked while the keepalive request is out
  keepalive.release(networkError('network changed'));
  await drain();
  assert.equal(client.pendingCount, 2, 'u0 is back in the queue');
  await clock.tick(1000);
  assert.deepEqual(f.requests.map(names), [['u0'], ['u0', 'u1']]);
  assert.equal(f.requests[1].keepalive, false, 'the normal path sends it again');
  assert.equal(f.requests[1].body.events[0].event_id, f.requests[0].body.events[0].event_id);
  await Promise.all([a, b]);
  assert.deepEqual(errors, []);

  f.script(reply(403, apiError(403, 'app_disabled')));
  const c = client.track(ev(2));
  client.flushKeepalive();
  await assert.rejects(c, { status: 403, code: 'app_disabled' });
  assert.deepEqual(errors.map((e) => e.code), ['app_disabled']);
  assert.equal(client.pendingCount, 0);
});
