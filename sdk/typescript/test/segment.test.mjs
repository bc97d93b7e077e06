// Segment's own Node library (@segment/analytics-node) pointed at a real Tracetics server (started by
// test/run.mjs) with an app's write key: track, identify and page go through the Segment-compatible
// endpoints, the events are stored under the right people, and once loaded a signup funnel counts
// the anonymous visitor and the signed-up user as one person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analytics } from '@segment/analytics-node';
import { BASE, newApp, sleep, sqlWhenLoaded, unique } from './helpers.mjs';

/** A write key of the app (POST /api/v1/apps/{app_id}/write-keys, management token). */
async function writeKey(app) {
  const r = await fetch(`${BASE}/api/v1/apps/${app.appId}/write-keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app.token}` },
  });
  const body = await r.json();
  assert.equal(r.status, 201, JSON.stringify(body));
  assert.match(body.write_key, /^wk_/);
  return body.write_key;
}

/** The users per step of an unsaved funnel's report. */
async function funnelUsers(app, definition) {
  const r = await fetch(`${BASE}/api/v1/apps/${app.appId}/funnels/report`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(definition),
  });
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  return body.steps.map((s) => s.users);
}

test('analytics-node sends track, identify and page; a funnel across login counts one person', async () => {
  const app = await newApp();
  const analytics = new Analytics({
    writeKey: await writeKey(app),
    host: BASE, // its default path is /v1/batch
    flushAt: 20,
    flushInterval: 100,
    maxRetries: 0,
  });
  const responses = [];
  const errors = [];
  analytics.on('http_response', (r) => responses.push(r));
  analytics.on('error', (e) => errors.push(e));

  const anonymousId = unique('anon');
  const userId = unique('user');
  const pricing = unique('Pricing');
  const t0 = Date.now() - 3_600_000;
  // Browsing anonymously, then signing up (identify links the anonymous id) and upgrading.
  analytics.page({ anonymousId, name: pricing, properties: { path: '/pricing' }, timestamp: new Date(t0) });
  analytics.identify({ userId, anonymousId, traits: { plan: 'trial' }, timestamp: new Date(t0 + 30_000) });
  analytics.track({ userId, event: 'Signed Up', properties: { source: 'pricing' }, timestamp: new Date(t0 + 60_000) });
  analytics.track({ userId, event: 'Upgraded', properties: { plan: 'pro' }, timestamp: new Date(t0 + 600_000) });
  await analytics.closeAndFlush({ timeout: 20_000 });

  assert.deepEqual(errors, []);
  assert.ok(responses.length >= 1, 'the library sent its batch');
  for (const r of responses) {
    assert.equal(r.status, 200, JSON.stringify(r));
    assert.ok(r.url.endsWith('/v1/batch'), r.url);
  }

  // Stored under the right people, with Segment's properties as metadata and the library's
  // timestamps as event times.
  const rows = await sqlWhenLoaded(
    app,
    `SELECT event_name, user_identifier, metadata->>'name', metadata->>'plan', epoch_ms(event_time)
       FROM events WHERE user_identifier IN ('${anonymousId}', '${userId}') ORDER BY event_time`,
  );
  assert.deepEqual(
    rows.map((r) => r.slice(0, 4)),
    [
      ['page_viewed', anonymousId, pricing, null],
      ['Signed Up', userId, null, null],
      ['Upgraded', userId, null, 'pro'],
    ],
  );
  // The server corrects by (received_at - sentAt): well under a minute here.
  assert.ok(Math.abs(Number(rows[0][4]) - t0) < 60_000, `event time ${rows[0][4]} vs ${t0}`);

  // The anonymous visit and the user's steps are one person: 1 converts through all three steps.
  const funnel = {
    name: 'signup',
    window_seconds: 86_400,
    order: 'ordered',
    steps: [
      { event_name: 'page_viewed', filters: [{ property: 'name', op: 'eq', value: pricing }] },
      { event_name: 'Signed Up' },
      { event_name: 'Upgraded' },
    ],
  };
  let users = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
    users = await funnelUsers(app, funnel);
    if (users.join() === '1,1,1') break;
  }
  assert.deepEqual(users, [1, 1, 1], 'one person converting across login');
});

test('analytics-node with a revoked write key gets 401 and stores nothing', async () => {
  const app = await newApp();
  const key = await writeKey(app);
  const listed = await (await fetch(`${BASE}/api/v1/apps/${app.appId}/write-keys`, { headers: { Authorization: `Bearer ${app.token}` } })).json();
  const revoked = await fetch(`${BASE}/api/v1/apps/${app.appId}/write-keys/${listed.write_keys[0].key_id}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${app.token}` },
  });
  assert.equal(revoked.status, 204);
  const analytics = new Analytics({ writeKey: key, host: BASE, flushAt: 1, maxRetries: 0 });
  const responses = [];
  analytics.on('http_response', (r) => responses.push(r));
  analytics.on('error', () => {});
  const name = unique('refused');
  analytics.track({ userId: 'u1', event: name });
  await analytics.closeAndFlush({ timeout: 10_000 });
  assert.deepEqual(responses.map((r) => r.status), [401]);
  const rows = await sqlWhenLoaded(app, `SELECT count(*) FROM events WHERE event_name = '${name}'`);
  assert.equal(Number(rows[0][0]), 0);
});
