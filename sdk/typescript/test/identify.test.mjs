// Identity against a real Tracetics server (started by test/run.mjs): anonymous events, identify()
// and events as the user (stored, then loaded as one person with the traits), a reload that keeps
// the user, reset() and a second user, and the server's 409 already_identified for an anonymous id
// that belongs to another user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANONYMOUS_ID_KEY, Tracetics, TraceticsError, USER_ID_KEY } from 'tracetics-sdk';
import { clientOptions, dbRows, newApp, recordingFetch, sql, sqlWhenLoaded, unique } from './helpers.mjs';

/** A storage like a browser's localStorage (Node has none), over a Map. */
function mapStorage(initial = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
  };
}

/** Every request the client made was answered 200 with no item rejected. */
function assertAllAccepted(calls) {
  for (const c of calls.calls) {
    assert.equal(c.status, 200, JSON.stringify(c.response));
    assert.deepEqual(c.response.rejected, []);
  }
}

test('identify: anonymous events, the identify and the user\'s events are accepted; stored, and loaded as one person', async () => {
  const app = await newApp();
  const storage = mapStorage();
  const calls = recordingFetch();
  const errors = [];
  const client = new Tracetics(clientOptions(app, { fetch: calls, storage, flushIntervalMs: 600_000, onError: (e) => errors.push(e) }));
  const prefix = unique('signup');
  const anonymous = client.anonymousId;
  assert.equal(storage.map.get(ANONYMOUS_ID_KEY), anonymous);

  await Promise.all([
    client.track({ event_name: `${prefix}_visited_pricing` }),
    client.track({ event_name: `${prefix}_viewed_plans`, metadata: { plan: 'pro' } }),
    client.flush(),
  ]);
  const userId = unique('user');
  const [identified] = await Promise.all([client.identify(userId, { plan: 'pro', seats: 3 }), client.flush()]);
  await Promise.all([
    client.track({ event_name: `${prefix}_signed_up` }),
    client.track({ event_name: `${prefix}_upgraded` }),
    client.flush(),
  ]);
  await client.shutdown();

  assert.equal(calls.calls.length, 3);
  assertAllAccepted(calls);
  const [identify] = calls.calls[1].body.events;
  assert.deepEqual(calls.calls[1].body.events, [
    { type: 'identify', user_identifier: userId, anonymous_id: anonymous, traits: { plan: 'pro', seats: 3 }, event_id: identified.event_id, sent_at: identify.sent_at },
  ]);
  assert.deepEqual(calls.calls[1].response, { accepted: 1, duplicates: 0, rejected: [] });
  assert.deepEqual(errors, []);
  assert.equal(storage.map.get(USER_ID_KEY), userId);

  // Loaded: each event keeps its identifier, and all four belong to one person, the user.
  const rows = await sqlWhenLoaded(app, `SELECT event_name, user_identifier, person_id FROM events WHERE event_name LIKE '${prefix}%' ORDER BY event_name`);
  assert.deepEqual(rows, [
    [`${prefix}_signed_up`, userId, userId],
    [`${prefix}_upgraded`, userId, userId],
    [`${prefix}_viewed_plans`, anonymous, userId],
    [`${prefix}_visited_pricing`, anonymous, userId],
  ]);
  const [person] = await sql(
    app,
    `SELECT CAST(traits AS VARCHAR), len(identifiers), list_contains(identifiers, '${anonymous}') FROM persons WHERE person_id = '${userId}'`,
  );
  assert.deepEqual(JSON.parse(person[0]), { plan: 'pro', seats: 3 });
  assert.equal(Number(person[1]), 2);
  assert.equal(person[2], true);
  const identifies = await dbRows(
    'SELECT anonymous_id, user_identifier, traits, client_message_id FROM identifies WHERE app_id = ?',
    [app.appId],
  );
  assert.equal(identifies.length, 1);
  assert.equal(identifies[0].anonymous_id, anonymous);
  assert.equal(identifies[0].user_identifier, userId);
  assert.deepEqual(JSON.parse(identifies[0].traits), { plan: 'pro', seats: 3 });
  assert.equal(identifies[0].client_message_id, identified.event_id);
  const aliases = await dbRows('SELECT alias, person FROM identity_aliases WHERE app_id = ?', [app.appId]);
  assert.deepEqual(aliases.map((a) => [a.alias, a.person]), [[anonymous, userId]]);
});

test('a reload keeps the user; reset() and a second user link a new anonymous id; a taken anonymous id is 409', async () => {
  const app = await newApp();
  const storage = mapStorage();
  const calls = recordingFetch();
  const first = new Tracetics(clientOptions(app, { fetch: calls, storage, flushIntervalMs: 600_000 }));
  const anonymous1 = first.anonymousId;
  const alice = unique('alice');
  await Promise.all([first.identify(alice), first.flush()]);
  await first.shutdown();

  // The next page load: the same storage, so the same user, without identify().
  const reloaded = new Tracetics(clientOptions(app, { fetch: calls, storage, flushIntervalMs: 600_000 }));
  assert.equal(reloaded.userId, alice);
  const name = unique('after_reload');
  await Promise.all([reloaded.track({ event_name: name }), reloaded.flush()]);
  assert.equal(calls.calls.at(-1).body.events[0].user_identifier, alice);

  reloaded.reset(); // logout
  const anonymous2 = reloaded.anonymousId;
  assert.notEqual(anonymous2, anonymous1);
  const bob = unique('bob');
  await Promise.all([reloaded.track({ event_name: name }), reloaded.identify(bob), reloaded.flush()]);
  await reloaded.shutdown();
  assertAllAccepted(calls);

  // A device that lost the user id but kept alice's anonymous id: the server keeps the first link.
  const errors = [];
  const stale = new Tracetics(
    clientOptions(app, { storage: mapStorage({ [ANONYMOUS_ID_KEY]: anonymous1 }), onError: (e) => errors.push(e), flushIntervalMs: 600_000 }),
  );
  const carol = stale.identify(unique('carol'));
  await stale.flush();
  await assert.rejects(carol, (e) => {
    assert.ok(e instanceof TraceticsError);
    assert.equal(e.status, 409);
    assert.equal(e.code, 'already_identified');
    assert.equal(e.identifies[0].anonymous_id, anonymous1);
    return true;
  });
  assert.deepEqual(errors.map((e) => e.code), ['already_identified']);
  await stale.shutdown();

  const aliases = await dbRows('SELECT alias, person FROM identity_aliases WHERE app_id = ? ORDER BY person', [app.appId]);
  assert.deepEqual(aliases.map((a) => [a.alias, a.person]).sort(), [[anonymous1, alice], [anonymous2, bob]].sort());
  // The event tracked after reset() under the new anonymous id belongs to bob once loaded.
  const rows = await sqlWhenLoaded(app, `SELECT user_identifier, person_id FROM events WHERE event_name = '${name}' ORDER BY user_identifier`);
  assert.deepEqual(rows, [[alice, alice], [anonymous2, bob]].sort());
});
