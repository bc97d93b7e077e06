/**
 * Request and response shapes of the Tracetics ingest API, as in the server's OpenAPI document
 * (service/src/main/resources/io/tracetics/api/openapi.yaml: components.schemas Event,
 * EventAccepted, BatchAccepted, Identify and Error).
 */

/** JSON values allowed in `metadata`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An object of JSON values (`metadata` must be an object, at most 16 KB compact, depth <= 10). */
export type JsonObject = { [key: string]: JsonValue };

/** `timestamp` / `sent_at` on the wire: ISO-8601 with an offset, or integer epoch milliseconds. */
export type WireTimestamp = string | number;

/** OpenAPI `Event`: one event as sent to `POST /api/v1/events` or inside a batch. */
export interface Event {
  /** 1..200 characters (not only spaces). */
  event_name: string;
  /** 1..255 characters (not only spaces); numbers are refused, send `"42"`. */
  user_identifier: string;
  /** A JSON object, at most 16 KB as compact JSON, nesting depth at most 10. */
  metadata?: JsonObject;
  /** Event time; default: receipt time. More than 1 hour in the future is refused. */
  timestamp?: WireTimestamp;
  /** Client send time, used by the server to correct the client's clock skew. */
  sent_at?: WireTimestamp;
  /** 1..128 characters: the idempotency key, a retry with the same id is stored once per app. */
  event_id?: string;
}

/** OpenAPI `EventAccepted`: the answer of `POST /api/v1/events`. */
export interface EventAccepted {
  accepted: number;
  duplicate: boolean;
}

/**
 * An identify as an item of a batch (`POST /api/v1/identify` takes the same fields without `type`):
 * links `anonymous_id` to `user_identifier` and sets the person's traits.
 */
export interface IdentifyItem {
  type: 'identify';
  /** 1..255 characters: the user's id, as events of the signed-in user carry it. */
  user_identifier: string;
  /**
   * The id this device's events carried before; its events, past and future, become the user's.
   * Without it the identify only sets traits (then `traits` is required). Already linked to another
   * user: `409 already_identified`.
   */
  anonymous_id?: string;
  /** The person's traits: a JSON object, at most 16 KB; latest value per key wins, `null` removes a key. */
  traits?: Traits;
  /** When the link was made; default: receipt time. As an event's `timestamp`. */
  timestamp?: WireTimestamp;
  /** Client send time, to correct `timestamp` for the client's clock, as an event's `sent_at`. */
  sent_at?: WireTimestamp;
  /** 1..128 characters: the idempotency key, a retry with the same id is stored once. */
  event_id?: string;
}

/** One item of a batch: an event, or an identify. */
export type BatchItem = Event | IdentifyItem;

/** Request body of `POST /api/v1/events/batch` (1..1,000 items, at most 1 MB). */
export interface BatchRequest {
  events: BatchItem[];
}

/** One item of `BatchAccepted.rejected`. */
export interface RejectedItem {
  /** 0-based index of the item in the request. */
  index: number;
  error: ApiError;
}

/** OpenAPI `BatchAccepted`: the answer of `POST /api/v1/events/batch`. */
export interface BatchAccepted {
  /** Events now stored, including `duplicates`. */
  accepted: number;
  /** Events whose `event_id` an earlier request had already stored. */
  duplicates: number;
  rejected: RejectedItem[];
}

/** OpenAPI `Error`: every error of the API has this shape. */
export interface ApiError {
  /** Equals the HTTP status. */
  code: number;
  /** Stable snake_case key, e.g. `invalid_length`, `rate_limited`, `database_unavailable`. */
  error: string;
  message: string;
  /** For validation errors (422). */
  errors?: string[];
  /** For 5xx: the id of the server log line. */
  log_id?: string;
  violations?: Array<{ code?: string; field?: string; message?: string }>;
  limit?: number;
  used?: number;
  plan?: string;
  /** Per-item ingest errors name the offending field. */
  field?: string;
  /** `rate_limited` answers carry the per-second limit. */
  limit_per_second?: number;
  [key: string]: unknown;
}

/** What `track()` accepts: an event whose times may also be `Date`s. */
export interface TrackInput {
  event_name: string;
  /**
   * Whose event it is. Default: the id given to `identify()`, else this device's anonymous id.
   * Pass it where the SDK does not know the user (e.g. a server sending for many users).
   */
  user_identifier?: string;
  metadata?: JsonObject;
  /** When it happened: a `Date`, an ISO-8601 string with offset, or epoch milliseconds. */
  timestamp?: Date | string | number;
  /**
   * Optional idempotency key; by default the SDK generates a UUID. Supply your own only when the
   * same logical event may be tracked more than once (e.g. replayed from your own storage).
   */
  event_id?: string;
}

/** What a `track()` promise resolves with once the server has acknowledged the event. */
export interface TrackResult {
  /** The event's idempotency key (generated by the SDK unless given). */
  event_id: string;
}

/**
 * A person's traits for `identify()`: JSON-serialisable values (`metadata` rules: an object, at
 * most 16 KB as compact JSON). The latest value of a key wins; `null` removes the key.
 */
export type Traits = Record<string, unknown>;

/** What an `identify()` promise resolves with once the server has acknowledged the identify. */
export interface IdentifyResult {
  /** The identify's idempotency key (generated by the SDK). */
  event_id: string;
}

/**
 * Where the anonymous id and the user id are kept: `localStorage` by default, or any object with
 * these three methods (e.g. `sessionStorage`, or a wrapper around cookies or a mobile key store).
 */
export interface IdentityStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
