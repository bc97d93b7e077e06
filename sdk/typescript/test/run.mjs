// Test entry point (npm test): starts a real Tracetics server (../../tracetics) on free ports with a
// test config (low per-app rate limit, short database timeouts), then runs test/unit/*.test.mjs and
// test/*.test.mjs with node's built-in runner and stops the server.
//
// Needs MariaDB and Redis on 127.0.0.1 (as .ci/run provides): TRACETICS_TEST_DB_HOST/_PORT/_USER
// (default 127.0.0.1, 3306, root) and TRACETICS_TEST_REDIS_URL (default redis://127.0.0.1:6379).
// The database test_sdk (TRACETICS_TEST_DB_NAME) is dropped and recreated on every run.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

const here = dirname(fileURLToPath(import.meta.url));
const sdkDir = resolve(here, '..');
const repoRoot = resolve(sdkDir, '../..');
const dataDir = join(sdkDir, '.test-data');

const db = {
  host: process.env.TRACETICS_TEST_DB_HOST ?? '127.0.0.1',
  port: process.env.TRACETICS_TEST_DB_PORT ?? '3306',
  user: process.env.TRACETICS_TEST_DB_USER ?? 'root',
  name: process.env.TRACETICS_TEST_DB_NAME ?? 'test_sdk',
  password: process.env.TRACETICS_TEST_DB_PASSWORD ?? '',
};
const redisUrl = process.env.TRACETICS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function recreateDatabase() {
  const m = await mysql.createConnection({ host: db.host, port: Number(db.port), user: db.user, password: db.password });
  try {
    await m.query(`DROP DATABASE IF EXISTS \`${db.name}\``);
    await m.query(`CREATE DATABASE \`${db.name}\``);
  } finally {
    await m.end();
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  await recreateDatabase();

  // The repository's config.yml with test settings: 50 events/s per app (burst 50), so a test can
  // reach the rate limit (429) quickly; short database timeouts, so a held row lock gives a 503 fast.
  const overrides = {
    rateLimitEventsPerSecond: '50',
    rateLimitBurst: '50',
    requestTimeout: '3s',
    databaseTimeout: '1s',
    databaseRetryAfter: '1s',
  };
  let config = readFileSync(join(repoRoot, 'config.yml'), 'utf8');
  for (const [key, value] of Object.entries(overrides)) {
    const re = new RegExp(`^(\\s+${key}:)\\s*\\S+`, 'm');
    if (!re.test(config)) throw new Error(`config.yml has no ingest setting ${key}`);
    config = config.replace(re, `$1 ${value}`);
  }
  const configFile = join(dataDir, 'config.yml');
  writeFileSync(configFile, config);

  const port = await freePort();
  const adminPort = await freePort();
  const operatorToken = 'op_' + randomBytes(16).toString('hex');
  const logFile = join(dataDir, 'server.log');
  const log = openSync(logFile, 'a');
  const started = Date.now();
  const server = spawn(join(repoRoot, 'tracetics'), [], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      TRACETICS_CONFIG: configFile,
      TRACETICS_DB_URL: `jdbc:mariadb://${db.host}:${db.port}/${db.name}?sslMode=disable`,
      TRACETICS_DB_USER: db.user,
      TRACETICS_DB_PASSWORD: db.password,
      TRACETICS_REDIS_URL: redisUrl,
      TRACETICS_OPERATOR_TOKEN: operatorToken,
      TRACETICS_DATA_DIR: dataDir,
      TRACETICS_PORT: String(port),
      TRACETICS_ADMIN_PORT: String(adminPort),
      TRACETICS_NODE_NAME: 'sdk-test',
    },
  });
  let exited = null;
  server.on('exit', (code, signal) => (exited = { code, signal }));

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
    for (let i = 0; i < 200 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {}
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop().then(() => process.exit(130)));

  let status = 1;
  try {
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      if (exited) throw new Error(`server exited early (${JSON.stringify(exited)})`);
      if (Date.now() > deadline) throw new Error('server not healthy after 10 minutes');
      try {
        const r = await fetch(`http://127.0.0.1:${adminPort}/healthcheck`);
        if (r.ok) break;
      } catch {}
      await sleep(500);
    }
    console.log(`Tracetics test server up on port ${port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The unit tests (test/unit, no server) and the end-to-end tests (test/*.test.mjs) in one run.
    const files = [join(here, 'unit'), here].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.test.mjs'))
        .sort()
        .map((f) => join(dir, f)),
    );
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=90000', ...files], {
      cwd: sdkDir,
      stdio: 'inherit',
      env: {
        ...process.env,
        TRACETICS_TEST_URL: `http://127.0.0.1:${port}`,
        TRACETICS_TEST_OPERATOR_TOKEN: operatorToken,
        TRACETICS_TEST_DB_HOST: db.host,
        TRACETICS_TEST_DB_PORT: db.port,
        TRACETICS_TEST_DB_USER: db.user,
        TRACETICS_TEST_DB_NAME: db.name,
        TRACETICS_TEST_DB_PASSWORD: db.password,
      },
    });
    status = await new Promise((res) => child.on('exit', (code) => res(code ?? 1)));
  } catch (e) {
    console.error(String(e));
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-60).join('\n');
    console.error(`--- last lines of ${logFile} ---\n${tail}`);
    status = 1;
  } finally {
    await stop();
  }
  process.exit(status);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
