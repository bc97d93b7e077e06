import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig([
  {
    // The package: ESM (dist/index.js) and CommonJS (dist/index.cjs), each with its own types.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2020',
    platform: 'neutral',
    fixedExtension: false,
  },
  {
    // The <script>-tag build: one minified IIFE defining the global `Tracetics`. The service
    // serves a committed copy of it (npm run bundle:service; test/unit/bundle.test.mjs checks it).
    entry: { tracetics: 'src/browser.ts' },
    format: 'iife',
    globalName: 'Tracetics',
    outputOptions: { exports: 'default' },
    define: { __TRACETICS_VERSION__: JSON.stringify(version) },
    banner: `/*! tracetics-sdk ${version} | MIT License | Tracetics contributors */`,
    minify: true,
    target: 'es2020',
    platform: 'browser',
  },
]);
