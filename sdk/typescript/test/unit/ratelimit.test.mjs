// Unit tests of the client's pacing by the server's rate limit headers (RateLimit-Limit,
// RateLimit-Remaining, RateLimit-Reset, draft-ietf-httpapi-ratelimit-headers-06): a used-up limit
// holds the next batch back until its reset; a 429 is retried after its Retry-After.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tracetics } from 'tracetics-sdk';
import { apiError, drain, fakeFetch, mockRandom, mockTime, options, reply } from './fake-fetch.mjs';

const ev = (i) => ({ event_name: 'e', user_identifier: `u${i}` });
const ok = (headers) => (request) =>
  reply(200, { accepted: request.body.events.length, duplicates: 0, rejected: [] }, headers)();
const limits = (remaining, reset) => ({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': String(reset) });

test('Remaining 0: the next batch waits until Reset has passed', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch(ok(limits(0, 2)));
  const client = new Tracetics(options(f, { flushIntervalMs: 10 }).options);
  const first = client.track(ev(0));
  await clock.tick(10);
  assert.equal(f.requests.length, 1);
  await first;
  const second = client.track(ev(1));
  await clock.tick(1_999); // the flush interval passes at once, but the limit is used up
  assert.equal(f.requests.length, 1, 'nothing before RateLimit-Reset (2 s after the answer)');
  await clock.tick(1);
  assert.equal(f.requests.length, 2, 'sent once the reset has passed');
  assert.equal(f.requests[1].at - f.requests[0].at, 2_000);
  await second;
});

test('Remaining above 0: no waiting', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch(ok(limits(5, 2)), ok(limits(4, 2)));
  const client = new Tracetics(options(f, { flushIntervalMs: 10 }).options);
  await Promise.all([client.track(ev(0)), clock.tick(10)]);
  const second = client.track(ev(1));
  await clock.tick(10);
  assert.equal(f.requests.length, 2);
  await second;
});

test('answers without the headers change nothing', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { flushIntervalMs: 10 }).options);
  await Promise.all([client.track(ev(0)), clock.tick(10)]);
  const second = client.track(ev(1));
  await clock.tick(10);
  assert.equal(f.requests.length, 2);
  await second;
});

test('a long Reset is capped at maxRetryAfterMs', async (t) => {
  const clock = mockTime(t);
  const f = fakeFetch(ok(limits(0, 3_600)));
  const client = new Tracetics(options(f, { flushIntervalMs: 10, maxRetryAfterMs: 5_000 }).options);
  await Promise.all([client.track(ev(0)), clock.tick(10)]);
  const second = client.track(ev(1));
  await clock.tick(4_999);
  assert.equal(f.requests.length, 1);
  await clock.tick(1);
  assert.equal(f.requests.length, 2);
  await second;
});

test('429: retried after Retry-After, not after the (longer) RateLimit-Reset', async (t) => {
  const clock = mockTime(t);
  mockRandom(t, 0);
  const f = fakeFetch(reply(429, apiError(429, 'rate_limited'), { 'Retry-After': '3', ...limits(0, 10) }));
  const { options: o, errors } = options(f, { flushIntervalMs: 10 });
  const client = new Tracetics(o);
  const tracked = client.track(ev(0));
  await clock.tick(10);
  assert.equal(f.requests.length, 1);
  await clock.tick(2_999);
  assert.equal(f.requests.length, 1, 'not before Retry-After');
  await clock.tick(1);
  assert.equal(f.requests.length, 2, 'retried after Retry-After');
  await tracked;
  await drain();
  assert.deepEqual(errors, []);
});
