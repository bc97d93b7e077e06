// Unit tests of identity: the anonymous id (generated once, kept in the storage), identify() as a
// batch item, events before and after it, reset(), and the storage present, injected, absent or
// broken. A scripted fetch (fake-fetch.mjs), mocked timers and a counting crypto.randomUUID make
// every request exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANONYMOUS_ID_KEY, Tracetics, TraceticsError, USER_ID_KEY } from 'tracetics-sdk';
import { accept, apiError, BATCH_URL, drain, fakeFetch, HEADERS, mockTime, options, reply } from './fake-fetch.mjs';

/** A storage like localStorage, over a Map, that records every write. */
function fakeStorage(initial = {}) {
  const map = new Map(Object.entries(initial));
  const writes = [];
  return {
    map,
    writes,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => {
      writes.push(['set', key, value]);
      map.set(key, String(value));
    },
    removeItem: (key) => {
      writes.push(['remove', key]);
      map.delete(key);
    },
  };
}

/** crypto.randomUUID returns id-1, id-2, ... (event ids and anonymous ids alike). */
function countingUuid(t) {
  let n = 0;
  t.mock.method(globalThis.crypto, 'randomUUID', () => `id-${++n}`);
}

/** Sets globalThis.localStorage for one test (Node 20 has none). */
function globalStorage(t, value) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, 'localStorage');
  const before = globalThis.localStorage;
  Object.defineProperty(globalThis, 'localStorage', { value, configurable: true, writable: true });
  t.after(() => {
    if (had) globalThis.localStorage = before;
    else delete globalThis.localStorage;
  });
}

const users = (request) => request.body.events.map((e) => e.user_identifier);

test('anonymous id: generated once with crypto.randomUUID, stored, and sent on every event that names no user', async (t) => {
  mockTime(t);
  countingUuid(t);
  const storage = fakeStorage();
  const f = fakeFetch();
  const { options: o, errors } = options(f, { storage, flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  assert.deepEqual(storage.writes, [], 'nothing is generated before it is needed');
  const tracked = [client.track({ event_name: 'visited_pricing' }), client.track({ event_name: 'visited_docs', metadata: { p: 1 } })];
  await client.flush();
  const [a, b] = await Promise.all(tracked);
  assert.deepEqual(f.requests[0].body, {
    events: [
      { event_name: 'visited_pricing', user_identifier: 'id-1', event_id: 'id-2', sent_at: '2026-03-02T09:00:00.000Z' },
      { event_name: 'visited_docs', user_identifier: 'id-1', event_id: 'id-3', metadata: { p: 1 }, sent_at: '2026-03-02T09:00:00.000Z' },
    ],
  });
  assert.deepEqual([a.event_id, b.event_id], ['id-2', 'id-3']);
  assert.equal(client.anonymousId, 'id-1');
  assert.equal(client.userId, undefined);
  assert.deepEqual(storage.writes, [['set', ANONYMOUS_ID_KEY, 'id-1']], 'written once, under the documented key');
  assert.equal(ANONYMOUS_ID_KEY, 'tracetics_anonymous_id');

  // Another client of the same origin (another instance, a later page load) reuses it.
  const f2 = fakeFetch();
  const again = new Tracetics(options(f2, { storage, flushIntervalMs: 60_000 }).options);
  assert.equal(again.anonymousId, 'id-1');
  await Promise.all([again.track({ event_name: 'visited_pricing' }), again.flush()]);
  assert.deepEqual(users(f2.requests[0]), ['id-1']);
  assert.equal(storage.writes.length, 1);
  assert.deepEqual(errors, []);
});

test('explicit user_identifier: sent as given, before and after identify, and never creates an anonymous id', async (t) => {
  mockTime(t);
  countingUuid(t);
  const storage = fakeStorage();
  const f = fakeFetch();
  const client = new Tracetics(options(f, { storage, flushIntervalMs: 60_000 }).options);
  await Promise.all([client.track({ event_name: 'e', user_identifier: 'server_side_user' }), client.flush()]);
  assert.deepEqual(users(f.requests[0]), ['server_side_user']);
  assert.deepEqual(storage.writes, []);
  client.identify('u_42');
  const explicit = client.track({ event_name: 'e', user_identifier: 'someone_else' });
  const implicit = client.track({ event_name: 'e' });
  await client.flush();
  await Promise.all([explicit, implicit]);
  assert.deepEqual(users(f.requests[1]), ['u_42', 'someone_else', 'u_42']);
});

test('identify: one batch item linking the anonymous id, with traits and an event_id; later events go as the user', async (t) => {
  const clock = mockTime(t);
  countingUuid(t);
  const storage = fakeStorage();
  const f = fakeFetch();
  const { options: o, errors } = options(f, { storage, flushIntervalMs: 1000 });
  const client = new Tracetics(o);
  const before = client.track({ event_name: 'visited_pricing' }); // anonymous id id-1, event id-2
  const identified = client.identify('u_42', { plan: 'pro', company: { size: 12 }, old_trait: null });
  assert.equal(client.userId, 'u_42', 'effective at once, before the server answers');
  const after = client.track({ event_name: 'signed_up' });
  await clock.tick(1000);
  assert.equal(f.requests.length, 1, 'the identify travels in the same batch as the events');
  const [r] = f.requests;
  assert.equal(r.url, BATCH_URL);
  assert.deepEqual(r.headers, HEADERS);
  const sentAt = '2026-03-02T09:00:01.000Z';
  assert.deepEqual(r.body, {
    events: [
      { event_name: 'visited_pricing', user_identifier: 'id-1', event_id: 'id-2', sent_at: sentAt },
      {
        type: 'identify',
        user_identifier: 'u_42',
        anonymous_id: 'id-1',
        traits: { plan: 'pro', company: { size: 12 }, old_trait: null },
        event_id: 'id-3',
        sent_at: sentAt,
      },
      { event_name: 'signed_up', user_identifier: 'u_42', event_id: 'id-4', sent_at: sentAt },
    ],
  });
  assert.deepEqual(await identified, { event_id: 'id-3' });
  await Promise.all([before, after]);
  assert.deepEqual(storage.map.get(USER_ID_KEY), 'u_42');
  assert.equal(USER_ID_KEY, 'tracetics_user_id');
  assert.deepEqual(errors, []);
});

test('identify without traits sends no traits key; identifying the same user again links the same anonymous id', async (t) => {
  mockTime(t);
  countingUuid(t);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { storage: fakeStorage(), flushIntervalMs: 60_000 }).options);
  const anonymous = client.anonymousId;
  await Promise.all([client.identify('u_42'), client.identify('u_42', { plan: 'team' }), client.flush()]);
  assert.deepEqual(
    f.requests[0].body.events.map(({ event_id, sent_at, ...rest }) => rest),
    [
      { type: 'identify', user_identifier: 'u_42', anonymous_id: anonymous },
      { type: 'identify', user_identifier: 'u_42', anonymous_id: anonymous, traits: { plan: 'team' } },
    ],
  );
});

test('identify as another user while one is identified (no reset): a new anonymous id is linked, events switch', async (t) => {
  mockTime(t);
  const storage = fakeStorage();
  const f = fakeFetch();
  const client = new Tracetics(options(f, { storage, flushIntervalMs: 60_000 }).options);
  const anonymous = client.anonymousId;
  client.identify('alice');
  client.track({ event_name: 'e' });
  client.identify('bob', { plan: 'free' });
  client.track({ event_name: 'e' });
  await client.flush();
  const [aliceLink, aliceEvent, bobLink, bobEvent] = f.requests[0].body.events;
  assert.equal(aliceLink.anonymous_id, anonymous);
  assert.equal(aliceEvent.user_identifier, 'alice');
  assert.notEqual(bobLink.anonymous_id, anonymous, "alice's anonymous id stays hers");
  assert.equal(bobLink.anonymous_id, client.anonymousId);
  assert.equal(storage.map.get(ANONYMOUS_ID_KEY), client.anonymousId);
  assert.deepEqual(bobLink.traits, { plan: 'free' });
  assert.equal(bobLink.user_identifier, 'bob');
  assert.equal(bobEvent.user_identifier, 'bob');
  assert.equal(client.userId, 'bob');
});

test('a reload keeps the identified user: a new client over the same storage sends as the user', async (t) => {
  mockTime(t);
  const storage = fakeStorage();
  const first = new Tracetics(options(fakeFetch(), { storage, flushIntervalMs: 60_000 }).options);
  const anonymous = first.anonymousId;
  first.identify('u_42');
  await first.shutdown();
  const f = fakeFetch();
  const reloaded = new Tracetics(options(f, { storage, flushIntervalMs: 60_000 }).options);
  assert.equal(reloaded.userId, 'u_42');
  assert.equal(reloaded.anonymousId, anonymous);
  await Promise.all([reloaded.track({ event_name: 'e' }), reloaded.flush()]);
  assert.deepEqual(users(f.requests[0]), ['u_42']);
});

test('reset: forgets the user, a new anonymous id for later events; queued events keep theirs; nothing is sent', async (t) => {
  mockTime(t);
  countingUuid(t);
  const storage = fakeStorage();
  const f = fakeFetch();
  const client = new Tracetics(options(f, { storage, flushIntervalMs: 60_000 }).options);
  const oldAnonymous = client.anonymousId; // id-1
  client.identify('u_42'); // id-2
  const asUser = client.track({ event_name: 'logged_out' }); // id-3
  client.reset(); // anonymous id-4
  assert.equal(client.userId, undefined);
  assert.equal(client.anonymousId, 'id-4');
  assert.notEqual(client.anonymousId, oldAnonymous);
  assert.equal(storage.map.get(ANONYMOUS_ID_KEY), 'id-4');
  assert.equal(storage.map.has(USER_ID_KEY), false);
  assert.deepEqual(storage.writes.slice(-2), [['remove', USER_ID_KEY], ['set', ANONYMOUS_ID_KEY, 'id-4']]);
  assert.equal(f.requests.length, 0, 'reset sends nothing');
  const anonymousAgain = client.track({ event_name: 'visited_pricing' });
  await client.flush();
  await Promise.all([asUser, anonymousAgain]);
  assert.deepEqual(users(f.requests[0]), ['u_42', 'u_42', 'id-4'], 'identify, the event tracked before reset, the one after');
  // After a reset the next identify links the new anonymous id.
  client.identify('u_43');
  await client.flush();
  assert.equal(f.requests[1].body.events[0].anonymous_id, 'id-4');
});

test('the storage is read on every event: a reset or identify by another client (tab) applies at once', async (t) => {
  mockTime(t);
  const storage = fakeStorage();
  const f = fakeFetch();
  const tab1 = new Tracetics(options(f, { storage, flushIntervalMs: 60_000 }).options);
  const tab2 = new Tracetics(options(fakeFetch(), { storage, flushIntervalMs: 60_000 }).options);
  const anonymous = tab1.anonymousId;
  tab2.identify('u_42');
  tab1.track({ event_name: 'a' });
  tab2.reset();
  tab1.track({ event_name: 'b' });
  await tab1.flush();
  const [a, b] = users(f.requests[0]);
  assert.equal(a, 'u_42');
  assert.equal(b, tab2.anonymousId);
  assert.notEqual(b, anonymous);
  // A storage cleared by the user: a new anonymous id, stored again.
  storage.map.clear();
  const fresh = tab1.anonymousId;
  assert.notEqual(fresh, b);
  assert.equal(storage.map.get(ANONYMOUS_ID_KEY), fresh);
  await Promise.all([tab2.shutdown(), tab1.shutdown()]);
});

test('default storage: the global localStorage when there is one', async (t) => {
  mockTime(t);
  const storage = fakeStorage({ [ANONYMOUS_ID_KEY]: 'anon-from-last-visit' });
  globalStorage(t, storage);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { flushIntervalMs: 60_000 }).options);
  assert.equal(client.anonymousId, 'anon-from-last-visit');
  client.identify('u_42');
  assert.equal(storage.map.get(USER_ID_KEY), 'u_42');
  await client.flush();
  assert.equal(f.requests[0].body.events[0].anonymous_id, 'anon-from-last-visit');
});

test('no localStorage (Node): ids live in the client memory, stable per client, one anonymous id per client', async (t) => {
  mockTime(t);
  assert.equal(globalThis.localStorage, undefined, 'Node 20 has no localStorage');
  const f = fakeFetch();
  const client = new Tracetics(options(f, { flushIntervalMs: 60_000 }).options);
  const other = new Tracetics(options(fakeFetch(), { flushIntervalMs: 60_000 }).options);
  const anonymous = client.anonymousId;
  assert.match(anonymous, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(other.anonymousId, anonymous);
  client.track({ event_name: 'a' });
  client.identify('u_42');
  client.track({ event_name: 'b' });
  client.reset();
  client.track({ event_name: 'c' });
  await client.flush();
  const [a, identify, b, c] = f.requests[0].body.events;
  assert.equal(a.user_identifier, anonymous);
  assert.equal(identify.anonymous_id, anonymous);
  assert.equal(b.user_identifier, 'u_42');
  assert.equal(c.user_identifier, client.anonymousId);
  assert.notEqual(c.user_identifier, anonymous);
});

test('storage: null keeps the ids in memory even where localStorage exists', async (t) => {
  mockTime(t);
  const global = fakeStorage();
  globalStorage(t, global);
  const client = new Tracetics(options(fakeFetch(), { storage: null, flushIntervalMs: 60_000 }).options);
  const anonymous = client.anonymousId;
  client.identify('u_42');
  assert.equal(client.anonymousId, anonymous);
  assert.equal(client.userId, 'u_42');
  assert.deepEqual(global.writes, []);
  await client.shutdown();
});

test('a storage that throws (blocked, full) or lacks methods (Node 25 without a file) is treated as absent', async (t) => {
  mockTime(t);
  const blocked = {
    getItem: () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
    setItem: () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
    removeItem: () => {},
  };
  const f = fakeFetch();
  const client = new Tracetics(options(f, { storage: blocked, flushIntervalMs: 60_000 }).options);
  const anonymous = client.anonymousId;
  assert.equal(client.anonymousId, anonymous, 'stable in memory');
  client.track({ event_name: 'a' });
  await client.flush();
  assert.deepEqual(users(f.requests[0]), [anonymous]);

  let full = 0;
  const quota = fakeStorage();
  quota.setItem = () => {
    full++;
    throw new DOMException('quota', 'QuotaExceededError');
  };
  const withFullStorage = new Tracetics(options(fakeFetch(), { storage: quota, flushIntervalMs: 60_000 }).options);
  const id = withFullStorage.anonymousId;
  withFullStorage.identify('u_1');
  assert.equal(withFullStorage.anonymousId, id);
  assert.equal(withFullStorage.userId, 'u_1');
  assert.equal(full, 1, 'not tried again after the first failure');
  await withFullStorage.shutdown();

  globalStorage(t, {}); // what Node 25 defines without --localstorage-file
  const node25 = new Tracetics(options(fakeFetch(), { flushIntervalMs: 60_000 }).options);
  assert.equal(node25.anonymousId, node25.anonymousId);
  assert.throws(() => new Tracetics(options(fakeFetch(), { storage: { getItem() {} } }).options), {
    name: 'TypeError',
    message: "Tracetics: option 'storage' must have getItem, setItem and removeItem, or be null",
  });
});

test('identify: invalid input is refused without a request and leaves the identity unchanged', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const { options: o, errors } = options(f, { storage: fakeStorage(), flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const cases = [
    [client.identify(''), 'identify() needs a non-empty user id string'],
    [client.identify(42), 'identify() needs a non-empty user id string'],
    [client.identify(undefined), 'identify() needs a non-empty user id string'],
    [client.identify('u', ['plan']), 'identify() traits must be an object'],
    [client.identify('u', null), 'identify() traits must be an object'],
    [client.identify('u', 'pro'), 'identify() traits must be an object'],
  ];
  for (const [promise, message] of cases) {
    await assert.rejects(promise, { name: 'TraceticsError', code: 'invalid_input', status: 0, message });
  }
  assert.equal(errors.length, cases.length);
  assert.equal(client.userId, undefined);
  assert.equal(client.pendingCount, 0);
  await client.shutdown();
  assert.equal(f.requests.length, 0);
});

test('identify rejected by the server (409 already_identified): its promise rejects with the identify, the events resolve', async (t) => {
  mockTime(t);
  const f = fakeFetch(accept([{ index: 1, error: apiError(409, 'already_identified', { field: 'anonymous_id' }) }]));
  const { options: o, errors } = options(f, { storage: fakeStorage(), flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const before = client.track({ event_name: 'a' });
  const identified = client.identify('u_42');
  const after = client.track({ event_name: 'b' });
  await client.flush();
  await assert.rejects(identified, (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.status, 409);
    assert.equal(e.code, 'already_identified');
    assert.equal(e.retryable, false);
    assert.deepEqual(e.events, []);
    const { sent_at, ...sent } = f.requests[0].body.events[1];
    assert.deepEqual(e.identifies, [sent]);
    return true;
  });
  await Promise.all([before, after]);
  assert.deepEqual(errors.map((e) => e.code), ['already_identified']);
  assert.equal(client.userId, 'u_42', 'the events still go as the user');
  assert.equal(f.requests.length, 1, 'a per-item rejection is not retried');
});

test('identify is retried with its event_id like events; a failure for good names it in identifies', async (t) => {
  const clock = mockTime(t);
  t.mock.method(Math, 'random', () => 0);
  const f = fakeFetch(reply(503, apiError(503, 'database_unavailable')), accept(), reply(401, apiError(401, 'invalid_keys')));
  const { options: o, errors } = options(f, { storage: fakeStorage(), flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const identified = client.identify('u_42', { plan: 'pro' });
  client.flush();
  await drain();
  await clock.tick(0);
  await identified;
  assert.equal(f.requests.length, 2);
  assert.deepEqual(f.requests[1].body, f.requests[0].body, 'the identify is sent again unchanged, with the same event_id');

  const lost = client.identify('u_42');
  const event = client.track({ event_name: 'e' });
  await client.flush();
  await assert.rejects(lost, (e) => {
    assert.equal(e.code, 'invalid_keys');
    assert.deepEqual(e.identifies.map((i) => i.type), ['identify']);
    assert.deepEqual(e.events.map((x) => x.event_name), ['e']);
    return true;
  });
  await assert.rejects(event, { code: 'invalid_keys' });
  assert.deepEqual(errors.map((e) => e.code), ['invalid_keys']);
});

test('identify after shutdown: refused with client_shutdown, the identity unchanged; identifies count against maxQueueSize', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const { options: o, errors } = options(f, { storage: fakeStorage(), maxQueueSize: 1, flushIntervalMs: 60_000 });
  const client = new Tracetics(o);
  const queued = client.track({ event_name: 'a' });
  await assert.rejects(client.identify('u_1'), {
    code: 'queue_full',
    message: 'The queue holds 1 events (maxQueueSize); the new identify was dropped',
  });
  await client.shutdown();
  await queued;
  await assert.rejects(client.identify('u_2'), (e) => {
    assert.equal(e.code, 'client_shutdown');
    assert.equal(e.message, 'identify() after shutdown(): the identify was not queued');
    assert.equal(e.identifies[0].user_identifier, 'u_2');
    return true;
  });
  assert.equal(client.userId, 'u_1', 'a full queue drops the request, the user is still switched');
  assert.deepEqual(errors.map((e) => e.code), ['queue_full', 'client_shutdown']);
  assert.equal(f.requests.length, 1);
});

test('page hide: an identify goes out in the keepalive request with the events', async (t) => {
  mockTime(t);
  const f = fakeFetch();
  const client = new Tracetics(options(f, { storage: fakeStorage(), flushIntervalMs: 60_000 }).options);
  const items = [client.track({ event_name: 'a' }), client.identify('u_42'), client.track({ event_name: 'b' })];
  client.flushKeepalive();
  await Promise.all(items);
  assert.equal(f.requests.length, 1);
  assert.equal(f.requests[0].keepalive, true);
  assert.deepEqual(f.requests[0].body.events.map((e) => e.type ?? e.event_name), ['a', 'identify', 'b']);
});
