// Test entry point (npm test): builds the service (from the repository root, like ./tracetics) and
// starts a real Tracetics server through the Java test kit's launcher (io.tracetics.testing.
// SdkTestServer: the repository's config.yml with a low per-app rate limit and short database
// timeouts, on free ports), then runs test/unit/*.test.mjs and test/*.test.mjs with node's built-in
// runner and stops the server (by closing the launcher's standard input).
//
// Needs MariaDB and Redis on 127.0.0.1 (as .ci/run provides; else the launcher starts embedded
// ones). The database test_sdk (TRACETICS_TEST_DB_NAME) is dropped and recreated on every run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sdkDir = resolve(here, '..');
const repoRoot = resolve(sdkDir, '../..');
const dataDir = join(sdkDir, '.test-data');
const serviceDir = join(repoRoot, 'service');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Compiles the service and its test kit and writes its test class path; returns the class path. */
function buildService() {
  const build = spawnSync(
    join(repoRoot, 'mvnw'),
    [
      '-q', '-B', '-DskipTests', '-Dspotless.check.skip=true', '-Denforcer.skip=true',
      '-pl', 'service', '-am', 'package', 'dependency:build-classpath',
      '-Dmdep.outputFile=target/test-classpath.txt', '-Dmdep.includeScope=test',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error(`building the service failed (exit ${build.status})`);
  const dependencies = readFileSync(join(serviceDir, 'target', 'test-classpath.txt'), 'utf8').trim();
  return [join(serviceDir, 'target', 'test-classes'), join(serviceDir, 'target', 'classes'), dependencies].join(':');
}

/** The launcher's one JSON line (URL, operator token, database), or its failure. */
function awaitStarted(server, logFile) {
  return new Promise((res, rej) => {
    const lines = createInterface({ input: server.stdout });
    lines.once('line', (line) => {
      try {
        res(JSON.parse(line));
      } catch {
        rej(new Error(`unexpected launcher output: ${line}`));
      }
    });
    server.once('exit', (code) => rej(new Error(`the test server launcher exited with ${code}; see ${logFile}`)));
  });
}

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const classpath = buildService();
  const logFile = join(dataDir, 'launcher.log');
  const started = Date.now();
  const server = spawn(
    'java',
    ['-Xmx256m', '-cp', classpath, 'io.tracetics.testing.SdkTestServer', join(repoRoot, 'config.yml'), dataDir],
    { cwd: serviceDir, stdio: ['pipe', 'pipe', openSync(logFile, 'a')] },
  );
  let exited = null;
  server.on('exit', (code, signal) => (exited = { code, signal }));

  // Closing the launcher's input stops the server; the launcher then exits.
  const stop = async () => {
    if (exited) return;
    server.stdin.end();
    for (let i = 0; i < 300 && !exited; i++) await sleep(100);
    if (!exited) server.kill('SIGKILL');
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop().then(() => process.exit(130)));

  let status = 1;
  try {
    const info = await awaitStarted(server, logFile);
    console.log(`Tracetics test server up at ${info.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
        TRACETICS_TEST_URL: info.url,
        TRACETICS_TEST_OPERATOR_TOKEN: info.operator_token,
        TRACETICS_TEST_DB_HOST: info.db.host,
        TRACETICS_TEST_DB_PORT: String(info.db.port),
        TRACETICS_TEST_DB_USER: info.db.user,
        TRACETICS_TEST_DB_NAME: info.db.name,
        TRACETICS_TEST_DB_PASSWORD: info.db.password,
      },
    });
    status = await new Promise((res) => child.on('exit', (code) => res(code ?? 1)));
  } catch (e) {
    console.error(String(e));
    for (const file of [logFile, join(dataDir, 'server.log')]) {
      let tail;
      try {
        tail = readFileSync(file, 'utf8').split('\n').slice(-60).join('\n');
      } catch {
        continue;
      }
      console.error(`--- last lines of ${file} ---\n${tail}`);
    }
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
