export { Tracetics, MAX_BATCH_EVENTS, parseRetryAfter, uuid } from './client';
export type { TraceticsOptions } from './client';
export { TraceticsError, isRetryableStatus } from './errors';
export type { ClientErrorCode, TraceticsErrorOptions } from './errors';
export type {
  ApiError,
  BatchAccepted,
  BatchRequest,
  Event,
  EventAccepted,
  JsonObject,
  JsonValue,
  RejectedItem,
  TrackInput,
  TrackResult,
  WireTimestamp,
} from './types';
