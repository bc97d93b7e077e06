// Copies the <script>-tag build (dist/tracetics.iife.js, from `npm run build`) into the service's
// resources, where the server serves it at /sdk/tracetics.js and /sdk/tracetics-<version>.js. The
// copy is committed, so that building and running the service needs only a JDK;
// test/unit/bundle.test.mjs fails while it differs from a fresh build.
import { copyFileSync } from 'node:fs';
import { BUILT_BUNDLE, SERVICE_BUNDLE } from './paths.mjs';

copyFileSync(BUILT_BUNDLE, SERVICE_BUNDLE);
console.log(`copied ${BUILT_BUNDLE} -> ${SERVICE_BUNDLE}`);
