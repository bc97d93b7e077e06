// Checks the package as it would be published: packs it (npm pack, so exactly the `files` that
// would ship), then lints the tarball with publint (package.json fields, exports, files) and
// @arethetypeswrong/cli (its types resolve, and match the ESM and CJS code, under every
// TypeScript module resolution). Either one failing fails `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDK_DIR } from './paths.mjs';

const bin = (name) => join(SDK_DIR, 'node_modules', '.bin', name);
const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { cwd: SDK_DIR, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exitCode = 1;
  }
  return result;
};

const out = mkdtempSync(join(tmpdir(), 'tracetics-sdk-pack-'));
try {
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: SDK_DIR, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = join(out, JSON.parse(pack.stdout)[0].filename);
  run(bin('publint'), ['run', tarball, '--strict']);
  run(bin('attw'), [tarball]);
} finally {
  rmSync(out, { recursive: true, force: true });
}
