export { Tracetics, MAX_BATCH_EVENTS, parseRetryAfter, uuid } from './client';
export type { TraceticsOptions } from './client';
export { TraceticsError, isRetryableStatus } from './errors';
export type { ClientErrorCode, TraceticsErrorOptions } from './errors';
export { ANONYMOUS_ID_KEY, USER_ID_KEY } from './identity';
export type {
  ApiError,
  BatchAccepted,
  BatchItem,
  BatchRequest,
  Event,
  EventAccepted,
  IdentifyItem,
  IdentifyResult,
  IdentityStorage,
  JsonObject,
  JsonValue,
  RejectedItem,
  TrackInput,
  TrackResult,
  Traits,
  WireTimestamp,
} from './types';
