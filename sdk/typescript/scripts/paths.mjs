import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SDK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The <script>-tag build as `npm run build` writes it. */
export const BUILT_BUNDLE = resolve(SDK_DIR, 'dist/tracetics.iife.js');
/** Its committed copy that the service serves (io.tracetics.sdk.SdkBundle). */
export const SERVICE_BUNDLE = resolve(SDK_DIR, '../../service/src/main/resources/io/tracetics/sdk/tracetics.js');
