// Helpers for the tests: the real server's address (from run.mjs), tenants and apps created through
// the API, SQL over an app's events, queries on MariaDB, and a fetch wrapper that records every
// request and answer.
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';

export const BASE = process.env.TRACETICS_TEST_URL;
const OPERATOR = process.env.TRACETICS_TEST_OPERATOR_TOKEN;
if (!BASE || !OPERATOR) {
  throw new Error('Run the tests with `npm test` (test/run.mjs starts the server and sets TRACETICS_TEST_URL)');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const unique = (prefix) => `${prefix}_${randomBytes(6).toString('hex')}`;

async function call(method, path, token, body) {
  const r = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** A fresh tenant with one app: {tenantId, tenantKey, appKey, appId, token}. */
export async function newApp() {
  const tenant = await call('POST', '/api/v1/tenants', OPERATOR, { name: unique('sdk') });
  const app = await call('POST', '/api/v1/apps', tenant.management_token, { name: 'web' });
  return {
    tenantId: tenant.tenant_id,
    tenantKey: tenant.tenant_key,
    token: tenant.management_token,
    appId: app.app_id,
    appKey: app.app_key,
  };
}

/** Rows of a SELECT over the app's events (POST /api/v1/apps/{app_id}/sql). */
export async function sql(app, query) {
  const r = await call('POST', `/api/v1/apps/${app.appId}/sql`, app.token, { query });
  return r.rows;
}

/**
 * Returns the rows of `query` once everything the app acknowledged so far is visible to SQL: sends a
 * sentinel event with the raw API and waits until the pipeline has loaded it (it loads commit epochs
 * in order, so every event acknowledged before the sentinel is loaded by then).
 */
export async function sqlWhenLoaded(app, query, timeoutMs = 30_000) {
  const sentinel = unique('sentinel');
  const sent = await sendRaw(app, [{ event_name: sentinel, user_identifier: 'sentinel' }]);
  if (sent.status !== 200) throw new Error(`sentinel refused: ${sent.status} ${JSON.stringify(sent.body)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [[n]] = await sql(app, `SELECT count(*) FROM events WHERE event_name = '${sentinel}'`);
    if (Number(n) > 0) return sql(app, query);
    if (Date.now() > deadline) throw new Error(`event ${sentinel} not visible to SQL after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Sends one event with the raw API (no SDK), so a test can mark the end of its events. */
export async function sendRaw(app, events) {
  const r = await fetch(BASE + '/api/v1/events/batch', {
    method: 'POST',
    headers: { 'X-OL-Tenant-Key': app.tenantKey, 'X-OL-App-Key': app.appKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  return { status: r.status, body: await r.json() };
}

/**
 * A fetch that forwards to the real one and records {url, body (gunzipped when gzip), encoding,
 * status, response, keepalive}.
 */
export function recordingFetch() {
  const calls = [];
  const f = async (url, init) => {
    const encoding = init.headers?.['Content-Encoding'] ?? 'identity';
    const text = encoding === 'gzip' ? gunzipSync(init.body).toString('utf8') : init.body;
    const entry = { url: String(url), body: JSON.parse(text), encoding, keepalive: init.keepalive === true };
    calls.push(entry);
    const response = await fetch(url, init);
    entry.status = response.status;
    entry.retryAfter = response.headers.get('Retry-After');
    entry.response = await response.clone().json().catch(() => undefined);
    return response;
  };
  f.calls = calls;
  return f;
}

/** Options for a client of `app` on the test server. */
export function clientOptions(app, extra = {}) {
  return { tenantKey: app.tenantKey, trackedAppKey: app.appKey, endpoint: BASE, ...extra };
}

/** Rows (objects) of a query on the test server's MariaDB database, e.g. the stored identifies. */
export async function dbRows(query, params = []) {
  const m = await connectDb();
  try {
    const [rows] = await m.execute(query, params);
    return rows;
  } finally {
    await m.end();
  }
}

function connectDb() {
  return mysql.createConnection({
    host: process.env.TRACETICS_TEST_DB_HOST,
    port: Number(process.env.TRACETICS_TEST_DB_PORT),
    user: process.env.TRACETICS_TEST_DB_USER,
    password: process.env.TRACETICS_TEST_DB_PASSWORD ?? '',
    database: process.env.TRACETICS_TEST_DB_NAME,
  });
}

/**
 * Locks the tenant's usage-counter row in MariaDB (the ingest writer locks that row in every
 * transaction of the tenant, waiting at most ingest.databaseTimeout, 1 s in the test config), so the
 * server's real answer is 503 database_unavailable until the lock is released. Resolves once the
 * lock is held, with release(): commits and closes the session.
 */
export async function lockTenant(tenantId) {
  const m = await connectDb();
  try {
    await m.beginTransaction();
    const [rows] = await m.execute('SELECT tenant_id FROM usage_counters WHERE tenant_id = ? FOR UPDATE', [tenantId]);
    if (rows.length === 0) throw new Error(`tenant ${tenantId} has no usage row yet`);
  } catch (e) {
    await m.end();
    throw e;
  }
  return {
    release: async () => {
      await m.commit();
      await m.end();
    },
  };
}
