// Entry of the <script>-tag build (dist/tracetics.iife.js, served by the Tracetics server at
// /sdk/tracetics.js): its one global, `Tracetics`, is the client class itself, so a page writes
// `new Tracetics({...})` just as a module does after `import { Tracetics } from 'tracetics-sdk'`.
// The package's other exports hang off it (`Tracetics.TraceticsError`, ...), with its `version`.
import { MAX_BATCH_EVENTS, parseRetryAfter, Tracetics, uuid } from './client';
import { isRetryableStatus, TraceticsError } from './errors';
import { ANONYMOUS_ID_KEY, USER_ID_KEY } from './identity';

/** The package's version, set by the build (tsdown.config.ts). */
declare const __TRACETICS_VERSION__: string;

export default Object.assign(Tracetics, {
  version: __TRACETICS_VERSION__,
  Tracetics,
  TraceticsError,
  MAX_BATCH_EVENTS,
  ANONYMOUS_ID_KEY,
  USER_ID_KEY,
  isRetryableStatus,
  parseRetryAfter,
  uuid,
});
