// Compression against the real server: the SDK gzips a large batch (Content-Encoding: gzip) and the
// server stores every event of it as sent; a small batch goes as plain JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tracetics } from 'tracetics-sdk';
import { clientOptions, newApp, recordingFetch, sqlWhenLoaded, unique } from './helpers.mjs';

test('a large batch goes gzipped and is stored whole; a small one goes plain', async () => {
  const app = await newApp();
  const calls = recordingFetch();
  const client = new Tracetics(clientOptions(app, { fetch: calls, flushIntervalMs: 60_000 }));
  const name = unique('gz');
  const big = Array.from({ length: 30 }, (_, i) =>
    client.track({ event_name: name, user_identifier: `u${i}`, metadata: { note: `${'é'.repeat(300)} ${i}` } }),
  );
  await client.flush();
  await Promise.all(big);
  const small = client.track({ event_name: name, user_identifier: 'last' });
  await client.flush();
  await small;
  assert.deepEqual(calls.calls.map((c) => [c.encoding, c.status, c.body.events.length]), [['gzip', 200, 30], ['identity', 200, 1]]);
  const rows = await sqlWhenLoaded(
    app,
    `SELECT count(*), count(DISTINCT user_identifier), min(length(metadata->>'note')) FROM events WHERE event_name = '${name}'`,
  );
  // 31 people, one event each; the shortest note is 300 'é', a space and one digit.
  assert.deepEqual(rows.map((r) => r.map(Number)), [[31, 31, 302]]);
  await client.shutdown();
});
