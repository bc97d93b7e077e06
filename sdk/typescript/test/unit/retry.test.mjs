// Unit tests of the client's retries: which answers are retried, the backoff delays (full jitter,
// cap, Retry-After), giving up, 413 splitting and per-item errors. A scripted fetch
// (fake-fetch.mjs), mocked timers and a mocked Math.random make every delay exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tracetics, TraceticsError, parseRetryAfter } from 'tracetics-sdk';
import { accept, apiError, drain, fakeFetch, hang, mockRandom, mockTime, networkError, options, reply } from './fake-fetch.mjs';

const ev = (i) => ({ event_name: 'e', user_identifier: `u${i}` });
const ids = (request) => request.body.events.map((e) => e.event_id);
const START = Date.parse('2026-03-02T09:00:00.000Z');

/** Advances the mocked clock by `ms`, checking that the next request comes exactly then, not 1 ms earlier. */
async function expectRequestAfter(clock, f, ms) {
  const before = f.requests.length;
  if (ms >= 1) {
    await clock.tick(ms - 1);
    assert.equal(f.requests.length, before, `no request before ${ms} ms`);
    await clock.tick(1);
  } else {
    await clock.tick(ms);
  }
  assert.equal(f.requests.length, before + 1, `a request after ${ms} ms`);
}

const retryable = [
  ['429 rate_limited', reply(429, apiError(429, 'rate_limited'))],
  ['500 internal_error', reply(500, apiError(500, 'internal_error'))],
  ['502 from a proxy (text body)', reply(502, 'Bad Gateway')],
  ['503 database_unavailable', reply(503, apiError(503, 'database_unavailable'))],
  ['504', reply(504, '')],
  ['a network error', networkError('fetch failed: ECONNRESET')],
];
for (const [name, answer] of retryable) {
  test(`retried: ${name}, with the same events and a new sent_at`, async (t) => {
    const clock = mockTime(t);
    mockRandom(t, 0.5);
    const f = fakeFetch(answer);
    const { options: o, errors } = options(f, { flushIntervalMs: 10, retryBaseDelayMs: 100 });
    const client = new Tracetics(o);
    const tracked = [client.track(ev(0)), client.track(ev(1))];
    await expectRequestAfter(clock, f, 10);
    await expectRequestAfter(clock, f, 50); // 0.5 * retryBaseDelayMs
    const results = await Promise.all(tracked);
    assert.deepEqual(ids(f.requests[1]), ids(f.requests[0]));
    assert.deepEqual(ids(f.requests[1]), results.map((r) => r.event_id));
    assert.deepEqual(f.requests.map((r) => r.body.events[0].sent_at), ['2026-03-02T09:00:00.010Z', '2026-03-02T09:00:00.060Z']);
    assert.deepEqual(errors, [], 'a retried-then-acknowledged event is no error');
  });
}

const notRetryable = [
  [400, 'invalid_json'],
  [401, 'invalid_keys'],
  [403, 'app_disabled'],
  [404, 'not_found'],
  [422, 'invalid_value'],
];
for (const [status, code] of notRetryable) {
  test(`not retried: ${status} ${code} fails the batch at once`, async (t) => {
    const clock = mockTime(t);
    const body = apiError(status, code, { field: 'events' });
    const f = fakeFetch(reply(status, body));
    const { options: o, errors } = options(f, { flushIntervalMs: 10 });
    const client = new Tracetics(o);
    const tracked = [client.track(ev(0)), client.track(ev(1))];
    await clock.tick(10);
    for (const p of tracked) {
      await assert.rejects(p, (e) => {
        assert.ok(e instanceof TraceticsError);
        assert.equal(e.status, status);
        assert.equal(e.code, code);
        assert.equal(e.message, `${code} (test)`);
        assert.deepEqual(e.body, body);
        assert.equal(e.retryable, false);
        assert.equal(e.attempts, 1);
        assert.deepEqual(e.events.map((x) => x.user_identifier), ['u0', 'u1']);
        return true;
      });
    }
    assert.equal(errors.length, 1, 'one onError call for the batch');
    await clock.tick(3_600_000);
    assert.equal(f.requests.length, 1);
  });
}

test('backoff: full jitter on base * 2^(n-1), capped at retryMaxDelayMs', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0.5);
  const f = fakeFetch(...Array.from({ length: 6 }, () => reply(503, apiError(503, 'ingest_overloaded'))));
  const client = new Tracetics(options(f, { flushIntervalMs: 10, retryBaseDelayMs: 100, retryMaxDelayMs: 1000, maxRetries: 6 }).options);
  const tracked = client.track(ev(0));
  await expectRequestAfter(clock, f, 10);
  // Ceilings 100, 200, 400, 800, 1000 (cap), 1000; Math.random() = 0.5 waits half of each.
  for (const delay of [50, 100, 200, 400, 500, 500]) {
    await expectRequestAfter(clock, f, delay);
  }
  await tracked;
  assert.deepEqual(
    f.requests.map((r) => r.at - START),
    [10, 60, 160, 360, 760, 1260, 1760],
  );
});

test('backoff jitter spans [0, ceiling): Math.random() at 0 retries at once, near 1 just under the ceiling', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0, 0.999, 0.999, 0.25);
  const f = fakeFetch(...Array.from({ length: 4 }, () => networkError()));
  const client = new Tracetics(options(f, { flushIntervalMs: 10, retryBaseDelayMs: 1000, retryMaxDelayMs: 3000 }).options);
  const tracked = client.track(ev(0));
  await expectRequestAfter(clock, f, 10);
  await expectRequestAfter(clock, f, 0); // 0 * 1000
  await expectRequestAfter(clock, f, 1998); // 0.999 * 2000
  await expectRequestAfter(clock, f, 2997); // 0.999 * min(3000, 4000)
  await expectRequestAfter(clock, f, 750); // 0.25 * 3000
  await tracked;
});

test('Retry-After is honoured (even beyond retryMaxDelayMs), plus up to min(1 s, retryBaseDelayMs) of jitter', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0.999);
  const f = fakeFetch(
    reply(503, apiError(503, 'database_unavailable'), { 'Retry-After': '3' }),
    reply(429, apiError(429, 'rate_limited', { limit_per_second: 50 }), { 'Retry-After': '7' }),
  );
  const { options: o, errors } = options(f, { flushIntervalMs: 10, retryBaseDelayMs: 400, retryMaxDelayMs: 1000 });
  const client = new Tracetics(o);
  const tracked = client.track(ev(0));
  await expectRequestAfter(clock, f, 10);
  await expectRequestAfter(clock, f, 3399.6); // 3 s + 0.999 * 400
  await expectRequestAfter(clock, f, 7399.6); // 7 s + 0.999 * 400: not capped by retryMaxDelayMs
  await tracked;
  assert.deepEqual(errors, []);

  // With a larger base the Retry-After jitter stays under one second.
  const g = fakeFetch(reply(503, apiError(503, 'database_unavailable'), { 'Retry-After': '2' }));
  const other = new Tracetics(options(g, { flushIntervalMs: 10, retryBaseDelayMs: 5000 }).options);
  const second = other.track(ev(1));
  await expectRequestAfter(clock, g, 10);
  await expectRequestAfter(clock, g, 2999); // 2 s + 0.999 * min(1000, 5000)
  await second;
});

test('Retry-After as an HTTP date waits until that time', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0);
  const at = new Date(START + 10 + 5000).toUTCString();
  const f = fakeFetch(reply(503, apiError(503, 'database_unavailable'), { 'Retry-After': at }));
  const client = new Tracetics(options(f, { flushIntervalMs: 10 }).options);
  const tracked = client.track(ev(0));
  await expectRequestAfter(clock, f, 10);
  await expectRequestAfter(clock, f, 5000);
  await tracked;
});

test('parseRetryAfter: delta-seconds, HTTP dates (rounded up, never negative), garbage', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: START });
  assert.equal(parseRetryAfter('120'), 120);
  assert.equal(parseRetryAfter(' 0 '), 0);
  assert.equal(parseRetryAfter(new Date(START + 2500).toUTCString()), 2); // HTTP dates have whole seconds
  assert.equal(parseRetryAfter('Mon, 02 Mar 2026 09:00:30 GMT'), 30);
  assert.equal(parseRetryAfter('Mon, 02 Mar 2026 08:00:00 GMT'), 0);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter(''), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('a Retry-After beyond maxRetryAfterMs fails at once with its retryAfter; one equal to it is waited for', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0);
  const quota = apiError(429, 'monthly_quota_exceeded', { limit: 1000 });
  const f = fakeFetch(reply(429, quota, { 'Retry-After': '61' }), reply(429, apiError(429, 'rate_limited'), { 'Retry-After': '60' }));
  const { options: o, errors } = options(f, { flushIntervalMs: 10, maxRetryAfterMs: 60_000 });
  const client = new Tracetics(o);
  const refused = client.track(ev(0));
  await clock.tick(10);
  await assert.rejects(refused, (e) => {
    assert.equal(e.status, 429);
    assert.equal(e.code, 'monthly_quota_exceeded');
    assert.equal(e.retryAfter, 61);
    assert.equal(e.retryable, true);
    assert.equal(e.attempts, 1);
    assert.deepEqual(e.body, quota);
    return true;
  });
  assert.deepEqual(errors.map((e) => e.code), ['monthly_quota_exceeded']);
  const waited = client.track(ev(1));
  await expectRequestAfter(clock, f, 10);
  await expectRequestAfter(clock, f, 60_000);
  await waited;
  assert.equal(f.requests.length, 3);
});

test('give-up: after maxRetries retries the last error is reported once, with the attempt count', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 1);
  const f = fakeFetch(
    reply(503, apiError(503, 'database_unavailable')),
    networkError('fetch failed: ECONNREFUSED'),
    reply(502, 'Bad Gateway'),
  );
  const { options: o, errors } = options(f, { flushIntervalMs: 10, maxRetries: 2, retryBaseDelayMs: 100 });
  const client = new Tracetics(o);
  const tracked = [client.track(ev(0)), client.track(ev(1))];
  await expectRequestAfter(clock, f, 10);
  await expectRequestAfter(clock, f, 100);
  await expectRequestAfter(clock, f, 200);
  for (const p of tracked) {
    await assert.rejects(p, (e) => {
      assert.equal(e.status, 502);
      assert.equal(e.code, 'http_502');
      assert.equal(e.message, 'HTTP 502: Bad Gateway');
      assert.equal(e.body, undefined);
      assert.equal(e.attempts, 3);
      assert.equal(e.retryable, true);
      assert.deepEqual(e.events.map((x) => x.user_identifier), ['u0', 'u1']);
      return true;
    });
  }
  assert.equal(errors.length, 1);
  assert.equal(errors[0].attempts, 3);
  await clock.tick(3_600_000);
  assert.equal(f.requests.length, 3, 'nothing after giving up');
  assert.equal(client.pendingCount, 0);
});

test('maxRetries 0: a network error fails after the first attempt', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch(networkError('fetch failed: getaddrinfo ENOTFOUND'));
  const client = new Tracetics(options(f, { flushIntervalMs: 10, maxRetries: 0 }).options);
  const tracked = client.track(ev(0));
  await clock.tick(10);
  await assert.rejects(tracked, {
    status: 0,
    code: 'network_error',
    message: 'Request failed: fetch failed: getaddrinfo ENOTFOUND',
    attempts: 1,
  });
  assert.equal(f.requests.length, 1);
});

test('timeout: a request without an answer is aborted after requestTimeoutMs and retried', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0);
  const f = fakeFetch(hang(), hang());
  const { options: o, errors } = options(f, { flushIntervalMs: 10, requestTimeoutMs: 2000, maxRetries: 1 });
  const client = new Tracetics(o);
  const tracked = client.track(ev(0));
  await expectRequestAfter(clock, f, 10);
  await clock.tick(1999);
  assert.equal(f.requests[0].signal.aborted, false);
  await clock.tick(1);
  assert.equal(f.requests[0].signal.aborted, true, 'aborted at 2000 ms');
  await expectRequestAfter(clock, f, 0); // retried after a 0 ms backoff (Math.random() = 0)
  await clock.tick(2000);
  await assert.rejects(tracked, { status: 0, code: 'timeout', message: 'No answer within 2000 ms', attempts: 2, retryable: true });
  assert.deepEqual(errors.map((e) => e.code), ['timeout']);
});

test('413 payload_too_large: the batch is split in halves and each is sent; a single event fails', async (t) => {
  const clock = mockTime(t);
  const tooLarge = reply(413, apiError(413, 'payload_too_large'));
  const f = fakeFetch(tooLarge, accept(), tooLarge, accept(), accept());
  const { options: o, errors } = options(f, { flushIntervalMs: 10 });
  const client = new Tracetics(o);
  const tracked = [0, 1, 2, 3, 4].map((i) => client.track(ev(i)));
  await clock.tick(10);
  await Promise.all(tracked.slice(0, 3));
  // 5 -> 3 + 2; the 2 are refused again -> 1 + 1.
  assert.deepEqual(
    f.requests.map((r) => r.body.events.map((e) => e.user_identifier)),
    [['u0', 'u1', 'u2', 'u3', 'u4'], ['u0', 'u1', 'u2'], ['u3', 'u4'], ['u3'], ['u4']],
  );
  await Promise.all(tracked);
  assert.deepEqual(errors, []);

  f.script(tooLarge);
  const single = client.track({ ...ev(5), metadata: { blob: 'x'.repeat(1000) } });
  await clock.tick(10);
  await assert.rejects(single, { status: 413, code: 'payload_too_large', attempts: 1, retryable: false });
  assert.equal(f.requests.length, 6);
});

test('per-item rejections: those events reject, the others resolve, nothing is retried', async (t) => {
  const clock = mockTime(t);
  const rejected = [
    { index: 1, error: apiError(400, 'invalid_length', { field: 'event_name', limit: 200 }) },
    { index: 3, error: { error: 'invalid_value', message: 'metadata is not an object', field: 'metadata' } },
  ];
  const f = fakeFetch(accept(rejected));
  const { options: o, errors } = options(f, { flushIntervalMs: 10 });
  const client = new Tracetics(o);
  const tracked = [0, 1, 2, 3].map((i) => client.track(ev(i)));
  await clock.tick(10);
  const sent = f.requests[0].body.events;
  assert.deepEqual(await tracked[0], { event_id: sent[0].event_id });
  assert.deepEqual(await tracked[2], { event_id: sent[2].event_id });
  await assert.rejects(tracked[1], (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_length');
    assert.equal(e.body.field, 'event_name');
    assert.equal(e.body.limit, 200);
    assert.deepEqual(e.events, [sent[1]].map(({ sent_at, ...rest }) => rest));
    assert.equal(e.attempts, 1);
    assert.equal(e.retryable, false);
    return true;
  });
  await assert.rejects(tracked[3], { status: 400, code: 'invalid_value', message: 'metadata is not an object' });
  assert.deepEqual(errors.map((e) => e.code), ['invalid_length', 'invalid_value']);
  await clock.tick(3_600_000);
  assert.equal(f.requests.length, 1);
});

test('an answer that is not the batch shape fails as invalid_response, not retried', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch(reply(200, '<html>captive portal</html>'));
  const client = new Tracetics(options(f, { flushIntervalMs: 10 }).options);
  const tracked = client.track(ev(0));
  await clock.tick(10);
  await assert.rejects(tracked, {
    status: 200,
    code: 'invalid_response',
    message: 'Unexpected answer from https://tracetics.example/api/v1/events/batch: <html>captive portal</html>',
    retryable: false,
  });
  await clock.tick(3_600_000);
  assert.equal(f.requests.length, 1);
});

test('while a batch waits for its retry new events queue, and go out in the next batch after it', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 1);
  const f = fakeFetch(reply(503, apiError(503, 'ingest_overloaded')));
  const client = new Tracetics(options(f, { flushIntervalMs: 10, retryBaseDelayMs: 1000 }).options);
  const first = client.track(ev(0));
  await clock.tick(10);
  const later = [client.track(ev(1)), client.track(ev(2))];
  await clock.tick(999);
  assert.equal(f.requests.length, 1, 'the new events do not jump the retry');
  assert.equal(client.pendingCount, 3);
  await clock.tick(1);
  await Promise.all([first, ...later]);
  assert.deepEqual(
    f.requests.map((r) => r.body.events.map((e) => e.user_identifier)),
    [['u0'], ['u0'], ['u1', 'u2']],
  );
});
