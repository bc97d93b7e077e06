import type { ApiError, Event, IdentifyItem } from './types';

/**
 * Error codes the SDK itself produces (no HTTP answer, so `status` is 0). Errors that come from the
 * server carry the API's own `error` key as `code` instead (`invalid_length`, `rate_limited`, ...).
 */
export type ClientErrorCode =
  | 'network_error'
  | 'timeout'
  | 'queue_full'
  | 'client_shutdown'
  | 'invalid_input'
  | 'invalid_response';

export interface TraceticsErrorOptions {
  status: number;
  code: string;
  message: string;
  retryAfter?: number;
  body?: ApiError;
  events?: Event[];
  identifies?: IdentifyItem[];
  attempts?: number;
  cause?: unknown;
}

/** Every failure the SDK reports, through `onError` and as the rejection of `track()` and `identify()`. */
export class TraceticsError extends Error {
  /** HTTP status of the answer; 0 when there was none (network error, timeout, client-side). */
  readonly status: number;
  /** The API's `error` key (e.g. `invalid_length`, `rate_limited`), or a {@link ClientErrorCode}. */
  readonly code: string;
  /** Seconds from the `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined;
  /** The server's error body (`{code, error, message, field, ...}`), when there was one. */
  readonly body: ApiError | undefined;
  /** The events this error concerns (as sent, with `event_id`). */
  readonly events: Event[];
  /** The identifies this error concerns (as sent, with `event_id`). */
  readonly identifies: IdentifyItem[];
  /** How many requests were made before giving up (1 = no retry). */
  readonly attempts: number;
  /** True for errors the SDK retries (network, timeout, 5xx, 429). */
  readonly retryable: boolean;

  constructor(options: TraceticsErrorOptions) {
    super(options.message);
    this.name = 'TraceticsError';
    this.status = options.status;
    this.code = options.code;
    this.retryAfter = options.retryAfter;
    this.body = options.body;
    this.events = options.events ?? [];
    this.identifies = options.identifies ?? [];
    this.attempts = options.attempts ?? 1;
    this.retryable = isRetryableStatus(options.status);
    if (options.cause !== undefined) {
      (this as { cause?: unknown }).cause = options.cause;
    }
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** A copy concerning other events and identifies / with another attempt count. */
  with(changes: { events?: Event[]; identifies?: IdentifyItem[]; attempts?: number }): TraceticsError {
    return new TraceticsError({
      status: this.status,
      code: this.code,
      message: this.message,
      retryAfter: this.retryAfter,
      body: this.body,
      events: changes.events ?? this.events,
      identifies: changes.identifies ?? this.identifies,
      attempts: changes.attempts ?? this.attempts,
      cause: (this as { cause?: unknown }).cause,
    });
  }
}

/** Network errors and timeouts (status 0), 429 and 5xx are retried; other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}
