import { TraceticsError } from './errors';
import { encodeBody } from './gzip';
import { defaultStorage, Identity } from './identity';
import type {
  ApiError,
  BatchAccepted,
  BatchItem,
  BatchRequest,
  Event,
  IdentifyItem,
  IdentifyResult,
  IdentityStorage,
  TrackInput,
  TrackResult,
  Traits,
} from './types';

/** The server's batch limits: 1,000 events and 1 MB per request. */
export const MAX_BATCH_EVENTS = 1000;
/** Browsers allow at most 64 KB of `keepalive` request bodies in flight; stay below it. */
const KEEPALIVE_MAX_BYTES = 60_000;

export interface TraceticsOptions {
  /** The tenant key (`tk_...`), sent as `X-OL-Tenant-Key`. Write-only, safe in browsers. */
  tenantKey: string;
  /** The tracked app's key (`ak_...`), sent as `X-OL-App-Key`. Write-only, safe in browsers. */
  trackedAppKey: string;
  /** Base URL of the Tracetics API, e.g. `https://tracetics.example` (no `/api/v1`). */
  endpoint: string;
  /** Events per batch request; a full batch is sent at once. Default 100, at most 1,000. */
  batchSize?: number;
  /** Longest an event waits in the queue before its batch is sent, in ms. Default 1,000. */
  flushIntervalMs?: number;
  /**
   * Most events held (waiting or being sent). Beyond it `track()` refuses the new event: its
   * promise rejects with code `queue_full` and `onError` is called (drop-newest). Default 10,000.
   */
  maxQueueSize?: number;
  /** Retries after the first attempt for network errors, timeouts, 5xx and 429. Default 8. */
  maxRetries?: number;
  /** First backoff delay in ms; doubles per retry, with full jitter. Default 500. */
  retryBaseDelayMs?: number;
  /** Cap of one backoff delay in ms (a longer `Retry-After` is still honoured). Default 30,000. */
  retryMaxDelayMs?: number;
  /**
   * Longest `Retry-After` the SDK waits for, in ms. A longer one (e.g. `monthly_quota_exceeded`,
   * which says "next month") fails the batch at once, reported with its `retryAfter`. Default 60,000.
   */
  maxRetryAfterMs?: number;
  /** Per-request timeout in ms (a timeout is retried like a network error). Default 15,000. */
  requestTimeoutMs?: number;
  /**
   * Called for every failure that loses events: a per-item rejection, a non-retryable 4xx, retries
   * exhausted, queue full. Default: `console.warn`. The same error also rejects the events'
   * `track()` promises.
   */
  onError?: (error: TraceticsError) => void;
  /** In browsers: send what is queued with `fetch(..., {keepalive: true})` when the page is hidden. Default true. */
  flushOnPageHide?: boolean;
  /** The `fetch` to use. Default: the global `fetch` (browsers, Node 18+). */
  fetch?: typeof fetch;
  /**
   * Gzip request bodies of 1 KB or more (`Content-Encoding: gzip`) where `CompressionStream` exists
   * (browsers, Node 18+). Page-hide (keepalive) requests always go uncompressed, so they leave before
   * the page does. Default true.
   */
  compress?: boolean;
  /**
   * Where the anonymous id and the user id are kept (keys `tracetics_anonymous_id` and
   * `tracetics_user_id`). Default: `localStorage` when it works, so that every client and page
   * load of the origin shares them. `null`: only in this client's memory.
   */
  storage?: IdentityStorage | null;
}

interface Pending {
  item: BatchItem;
  resolve: (result: { event_id: string }) => void;
  reject: (error: TraceticsError) => void;
  settled: Promise<unknown>;
}

type Outcome =
  | { kind: 'ok'; body: BatchAccepted }
  | { kind: 'error'; error: TraceticsError };

/**
 * A Tracetics client: queues events and identifies and sends them in batches to
 * `POST /api/v1/events/batch`.
 *
 * `track()` returns a promise that resolves when the server has acknowledged that event (stored,
 * or recognised as a duplicate of a stored one) and rejects with a {@link TraceticsError} when it
 * is lost for good. Not awaiting it is fine: the SDK never leaves an unhandled rejection behind.
 * `identify()` travels in the same queue, so it is retried, flushed and ordered like events.
 */
export class Tracetics {
  private readonly tenantKey: string;
  private readonly appKey: string;
  private readonly batchUrl: string;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueueSize: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly onError: (error: TraceticsError) => void;
  private readonly fetchImpl: typeof fetch;
  private readonly compress: boolean;
  private readonly identity: Identity;

  /** Events waiting to be sent, oldest first. */
  private queue: Pending[] = [];
  /** Events in the batch being sent (or waiting for its retry). */
  private inFlight: Pending[] = [];
  /** Events sent by a page-hide keepalive request, not yet answered. */
  private keepaliveInFlight = new Set<Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping: Promise<void> | undefined;
  private drainAll = false;
  private closed = false;
  private removePageHide: (() => void) | undefined;
  /**
   * When the server last said the app's rate limit was used up (`RateLimit-Remaining: 0`), the time
   * (epoch ms) its `RateLimit-Reset` ends: no batch is sent before it.
   */
  private pausedUntil = 0;

  constructor(options: TraceticsOptions) {
    if (!options || typeof options !== 'object') {
      throw new TypeError('Tracetics: options are required');
    }
    for (const key of ['tenantKey', 'trackedAppKey', 'endpoint'] as const) {
      if (typeof options[key] !== 'string' || options[key].length === 0) {
        throw new TypeError(`Tracetics: option '${key}' must be a non-empty string`);
      }
    }
    this.tenantKey = options.tenantKey;
    this.appKey = options.trackedAppKey;
    this.batchUrl = options.endpoint.replace(/\/+$/, '') + '/api/v1/events/batch';
    this.batchSize = clampInt(options.batchSize, 100, 1, MAX_BATCH_EVENTS, 'batchSize');
    this.flushIntervalMs = clampInt(options.flushIntervalMs, 1000, 0, 3_600_000, 'flushIntervalMs');
    this.maxQueueSize = clampInt(options.maxQueueSize, 10_000, 1, Number.MAX_SAFE_INTEGER, 'maxQueueSize');
    this.maxRetries = clampInt(options.maxRetries, 8, 0, 1000, 'maxRetries');
    this.retryBaseDelayMs = clampInt(options.retryBaseDelayMs, 500, 0, 3_600_000, 'retryBaseDelayMs');
    this.retryMaxDelayMs = clampInt(options.retryMaxDelayMs, 30_000, 0, 3_600_000, 'retryMaxDelayMs');
    this.maxRetryAfterMs = clampInt(options.maxRetryAfterMs, 60_000, 0, 86_400_000, 'maxRetryAfterMs');
    this.requestTimeoutMs = clampInt(options.requestTimeoutMs, 15_000, 1, 3_600_000, 'requestTimeoutMs');
    this.onError =
      options.onError ??
      ((error) => {
        if (typeof console !== 'undefined') {
          console.warn(`[tracetics] ${error.code}: ${error.message}`);
        }
      });
    const f = options.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
    if (!f) {
      throw new TypeError('Tracetics: no global fetch; pass options.fetch (Node 18+ has one)');
    }
    // Calling the global fetch as a method of the client would throw "Illegal invocation".
    this.fetchImpl = options.fetch ? options.fetch : (input, init) => f(input, init);
    this.compress = options.compress !== false;
    if (options.storage !== undefined && options.storage !== null && !isStorage(options.storage)) {
      throw new TypeError("Tracetics: option 'storage' must have getItem, setItem and removeItem, or be null");
    }
    this.identity = new Identity(options.storage === null ? undefined : options.storage ?? defaultStorage(), uuid);
    if (options.flushOnPageHide !== false) {
      this.installPageHide();
    }
  }

  /**
   * Queues an event. Adds `event_id` (a UUID, unless given) now and `sent_at` when it is sent; an
   * event without `user_identifier` gets the identified user's id, else the anonymous id, as of now.
   * Resolves once the server acknowledged the event; rejects with a {@link TraceticsError} when the
   * server refused it (per-item rejection or a 4xx), retries ran out, the queue was full or the
   * client was shut down.
   */
  track(input: TrackInput): Promise<TrackResult> {
    let event: Event;
    try {
      event = toEvent(input, () => this.identity.current);
    } catch (e) {
      return this.refuse(e);
    }
    return this.enqueue(event);
  }

  /**
   * Links this device's anonymous id to `userId` (the server then counts the anonymous id's events,
   * past and future, as the user's) and sends later events as `userId`; the user id is kept in the
   * storage, so later page loads send as the user too, until {@link reset}. `traits` describe the
   * person (latest value per key wins, `null` removes a key).
   *
   * The identify is queued like an event. When another user is already identified on this device
   * (no {@link reset} after the last one's logout), the anonymous id belongs to that user: a new one
   * starts first, as after `reset()`, and is linked instead. Resolves once the server acknowledged
   * the identify; rejects with a {@link TraceticsError}, e.g. `already_identified` (409) when the
   * anonymous id already belongs to another user. Invalid input or a shut-down client leave the
   * identity unchanged.
   */
  identify(userId: string, traits?: Traits): Promise<IdentifyResult> {
    if (typeof userId !== 'string' || userId.length === 0) {
      return this.refuse(invalidInput('identify() needs a non-empty user id string'));
    }
    if (traits !== undefined && (traits === null || typeof traits !== 'object' || Array.isArray(traits))) {
      return this.refuse(invalidInput('identify() traits must be an object'));
    }
    const item: IdentifyItem = { type: 'identify', user_identifier: userId };
    if (!this.closed) {
      const previous = this.identity.userId;
      if (previous !== undefined && previous !== userId) {
        this.identity.reset();
      }
      this.identity.setUserId(userId);
      item.anonymous_id = this.identity.anonymousId;
    }
    if (traits !== undefined) item.traits = traits;
    item.event_id = uuid();
    return this.enqueue(item);
  }

  /**
   * Forgets the identified user and starts over with a new anonymous id (call it on logout, so the
   * next person on this device is not counted as the last one). Events tracked before keep the
   * identifier they were tracked with. Sends nothing.
   */
  reset(): void {
    this.identity.reset();
  }

  /** This device's anonymous id (generated and stored on first use). */
  get anonymousId(): string {
    return this.identity.anonymousId;
  }

  /** The user id given to the last `identify()` (on this device, until `reset()`), or undefined. */
  get userId(): string | undefined {
    return this.identity.userId;
  }

  /** Reports input the SDK refuses without queueing it. */
  private refuse(e: unknown): Promise<never> {
    const error =
      e instanceof TraceticsError ? e : new TraceticsError({ status: 0, code: 'invalid_input', message: String(e) });
    this.report(error);
    return handled(Promise.reject(error));
  }

  private enqueue(item: BatchItem): Promise<{ event_id: string }> {
    const what = isIdentify(item) ? 'identify' : 'event';
    if (this.closed) {
      return this.refuse(
        new TraceticsError({
          status: 0,
          code: 'client_shutdown',
          message: `${what === 'event' ? 'track' : 'identify'}() after shutdown(): the ${what} was not queued`,
          ...concerning([item]),
        }),
      );
    }
    if (this.pendingCount >= this.maxQueueSize) {
      return this.refuse(
        new TraceticsError({
          status: 0,
          code: 'queue_full',
          message: `The queue holds ${this.maxQueueSize} events (maxQueueSize); the new ${what} was dropped`,
          ...concerning([item]),
        }),
      );
    }
    let resolve!: (r: { event_id: string }) => void;
    let reject!: (e: TraceticsError) => void;
    const promise = new Promise<{ event_id: string }>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    handled(promise);
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    this.queue.push({ item, resolve, reject, settled });
    if (this.queue.length >= this.batchSize) {
      this.kick(false);
    }
    if (this.queue.length > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.kick(true), this.flushIntervalMs);
    }
    return promise;
  }

  /** Events queued or being sent. */
  get pendingCount(): number {
    return this.queue.length + this.inFlight.length + this.keepaliveInFlight.size;
  }

  /**
   * Sends everything queued now and resolves when every event queued before the call has been
   * settled: acknowledged, or failed for good (failures reject their `track()` promises and go to
   * `onError`; `flush()` itself does not reject).
   */
  async flush(): Promise<void> {
    const waiting = [...this.inFlight, ...this.keepaliveInFlight, ...this.queue].map((p) => p.settled);
    if (waiting.length === 0) {
      return;
    }
    this.kick(true);
    await Promise.all(waiting);
  }

  /**
   * Stops accepting events (later `track()` calls reject with `client_shutdown`), sends everything
   * queued and resolves when all of it is settled. Removes the page-hide listeners.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.removePageHide) {
      this.removePageHide();
      this.removePageHide = undefined;
    }
    await this.flush();
    if (this.pumping) {
      await this.pumping;
    }
  }

  /**
   * Starts sending. `all`: everything queued (interval elapsed, flush, shutdown); otherwise only
   * full batches, the rest waits for the interval.
   */
  private kick(all: boolean): void {
    if (all) {
      this.drainAll = true;
      if (this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    }
    if (this.pumping === undefined && this.queue.length > 0) {
      this.pumping = this.pump().finally(() => {
        this.pumping = undefined;
        if (this.queue.length >= this.batchSize || (this.drainAll && this.queue.length > 0)) {
          // A flush (or a full batch) arrived while the last request was being settled.
          this.kick(false);
          return;
        }
        this.drainAll = false;
        if (this.queue.length > 0 && this.timer === undefined) {
          this.timer = setTimeout(() => this.kick(true), this.flushIntervalMs);
        }
      });
    }
  }

  /** Sends batches one at a time: full ones, and the last partial one when draining. */
  private async pump(): Promise<void> {
    while (this.queue.length >= this.batchSize || (this.drainAll && this.queue.length > 0)) {
      this.inFlight = this.queue.splice(0, this.batchSize);
      try {
        await this.sendWithRetries(this.inFlight);
      } finally {
        this.inFlight = [];
      }
    }
  }

  private async sendWithRetries(items: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const paused = this.pausedUntil - Date.now();
      if (paused > 0) {
        await sleep(paused);
      }
      const outcome = await this.sendOnce(items.map((p) => p.item), false);
      if (outcome.kind === 'ok') {
        this.settle(items, outcome.body, attempt);
        return;
      }
      const error = outcome.error;
      if (error.status === 413 && items.length > 1) {
        // Over 1 MB: send each half on its own (each with the full retry budget).
        const half = Math.ceil(items.length / 2);
        await this.sendWithRetries(items.slice(0, half));
        await this.sendWithRetries(items.slice(half));
        return;
      }
      const waitTooLong = error.retryAfter !== undefined && error.retryAfter * 1000 > this.maxRetryAfterMs;
      if (!error.retryable || attempt > this.maxRetries || waitTooLong) {
        this.fail(items, error.with({ ...concerning(items.map((p) => p.item)), attempts: attempt }));
        return;
      }
      await sleep(this.backoffMs(attempt, error.retryAfter));
    }
  }

  /** Delay before retry number `attempt` (1-based): full jitter, at least Retry-After. */
  private backoffMs(attempt: number, retryAfterSeconds: number | undefined): number {
    const ceiling = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.random() * ceiling;
    if (retryAfterSeconds !== undefined) {
      // Honour Retry-After, plus a little jitter so many clients do not come back at once.
      return retryAfterSeconds * 1000 + Math.random() * Math.min(1000, this.retryBaseDelayMs);
    }
    return jittered;
  }

  /**
   * Paces the next sends by an accepted answer's rate limit headers (draft-ietf-httpapi-ratelimit-headers-06):
   * `RateLimit-Remaining: 0` holds the next batch back for `RateLimit-Reset` seconds (at most
   * `maxRetryAfterMs`). A 429 is paced by its `Retry-After` instead, through the retries.
   */
  private paceBy(headers: Headers): void {
    const limit = parseRateLimit(headers);
    if (limit?.remaining === 0 && limit.reset !== undefined && limit.reset > 0) {
      const until = Date.now() + Math.min(limit.reset * 1000, this.maxRetryAfterMs);
      this.pausedUntil = Math.max(this.pausedUntil, until);
    }
  }

  private async sendOnce(items: BatchItem[], keepalive: boolean): Promise<Outcome> {
    const sentAt = new Date().toISOString();
    const body: BatchRequest = { events: items.map((i) => ({ ...i, sent_at: sentAt })) };
    const subjects = concerning(items);
    const payload = JSON.stringify(body);
    const encoded = keepalive || !this.compress ? { body: payload, gzip: false } : await encodeBody(payload);
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timeout = controller
      ? setTimeout(() => controller.abort(), this.requestTimeoutMs)
      : undefined;
    let response: Response;
    try {
      response = await this.fetchImpl(this.batchUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-OL-Tenant-Key': this.tenantKey,
          'X-OL-App-Key': this.appKey,
          ...(encoded.gzip ? { 'Content-Encoding': 'gzip' } : {}),
        },
        body: encoded.body,
        keepalive,
        signal: controller?.signal,
      });
    } catch (cause) {
      if (timeout !== undefined) clearTimeout(timeout);
      const timedOut = controller?.signal.aborted === true;
      return {
        kind: 'error',
        error: new TraceticsError({
          status: 0,
          code: timedOut ? 'timeout' : 'network_error',
          message: timedOut
            ? `No answer within ${this.requestTimeoutMs} ms`
            : `Request failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          ...subjects,
          cause,
        }),
      };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      return {
        kind: 'error',
        error: new TraceticsError({
          status: 0,
          code: 'network_error',
          message: `Reading the answer failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          ...subjects,
          cause,
        }),
      };
    } finally {
      if (timeout !== undefined) clearTimeout(timeout);
    }
    const json = parseJson(text);
    if (response.ok) {
      this.paceBy(response.headers);
      if (!isBatchAccepted(json)) {
        return {
          kind: 'error',
          error: new TraceticsError({
            status: response.status,
            code: 'invalid_response',
            message: `Unexpected answer from ${this.batchUrl}: ${text.slice(0, 200)}`,
            ...subjects,
          }),
        };
      }
      return { kind: 'ok', body: json };
    }
    const apiError = isApiError(json) ? json : undefined;
    return {
      kind: 'error',
      error: new TraceticsError({
        status: response.status,
        code: apiError?.error ?? `http_${response.status}`,
        message: apiError?.message ?? `HTTP ${response.status}: ${text.slice(0, 200)}`,
        retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
        body: apiError,
        ...subjects,
      }),
    };
  }

  private settle(items: Pending[], body: BatchAccepted, attempts: number): void {
    this.release(items);
    const rejected = new Map<number, ApiError>();
    for (const r of body.rejected ?? []) {
      rejected.set(r.index, r.error);
    }
    items.forEach((p, index) => {
      const apiError = rejected.get(index);
      if (!apiError) {
        p.resolve({ event_id: p.item.event_id as string });
        return;
      }
      const error = new TraceticsError({
        status: typeof apiError.code === 'number' ? apiError.code : 400,
        code: apiError.error,
        message: apiError.message,
        body: apiError,
        ...concerning([p.item]),
        attempts,
      });
      this.report(error);
      p.reject(error);
    });
  }

  /** Takes settled events out of the in-flight list before their promises resolve. */
  private release(items: Pending[]): void {
    const done = new Set(items);
    this.inFlight = this.inFlight.filter((p) => !done.has(p));
    for (const p of items) this.keepaliveInFlight.delete(p);
  }

  private fail(items: Pending[], error: TraceticsError): void {
    this.release(items);
    this.report(error);
    for (const p of items) {
      p.reject(error);
    }
  }

  private report(error: TraceticsError): void {
    try {
      this.onError(error);
    } catch {
      // A failing callback must not break sending.
    }
  }

  /**
   * Browsers: when the page is hidden (tab switch, navigation, close) send what is queued with
   * keepalive fetches, which outlive the page. The tenant and app keys travel in headers, which
   * `navigator.sendBeacon` cannot set, hence fetch.
   */
  private installPageHide(): void {
    const g = globalThis as unknown as {
      addEventListener?: (type: string, fn: () => void) => void;
      removeEventListener?: (type: string, fn: () => void) => void;
      document?: { visibilityState?: string; addEventListener?: (type: string, fn: () => void) => void; removeEventListener?: (type: string, fn: () => void) => void };
    };
    if (typeof g.addEventListener !== 'function' || !g.document || typeof g.document.addEventListener !== 'function') {
      return;
    }
    const doc = g.document;
    const onPageHide = () => this.flushKeepalive();
    const onVisibility = () => {
      if (doc.visibilityState === 'hidden') this.flushKeepalive();
    };
    g.addEventListener('pagehide', onPageHide);
    doc.addEventListener!('visibilitychange', onVisibility);
    this.removePageHide = () => {
      g.removeEventListener?.('pagehide', onPageHide);
      doc.removeEventListener?.('visibilitychange', onVisibility);
    };
  }

  /**
   * Sends the queued (not yet in-flight) events at once with `keepalive: true`, in chunks under the
   * browsers' 64 KB keepalive budget, one attempt each. If the page lives on and a chunk fails with
   * a retryable error, its events go back to the front of the queue for the normal retries.
   */
  flushKeepalive(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const items = this.queue.splice(0, this.queue.length);
    if (items.length === 0) return;
    for (const p of items) this.keepaliveInFlight.add(p);
    for (const chunk of chunkBySize(items, this.batchSize, KEEPALIVE_MAX_BYTES)) {
      void this.sendOnce(chunk.map((p) => p.item), true).then((outcome) => {
        if (outcome.kind === 'ok') {
          this.settle(chunk, outcome.body, 1);
        } else if (outcome.error.retryable || outcome.error.status === 413) {
          for (const p of chunk) this.keepaliveInFlight.delete(p);
          this.queue.unshift(...chunk);
          if (this.timer === undefined) {
            this.timer = setTimeout(() => this.kick(true), this.flushIntervalMs);
          }
        } else {
          this.fail(chunk, outcome.error.with(concerning(chunk.map((p) => p.item))));
        }
      });
    }
  }
}

function toEvent(input: TrackInput, currentUser: () => string): Event {
  if (!input || typeof input !== 'object') {
    throw invalidInput('track() needs an event object');
  }
  const event: Event = {
    event_name: input.event_name,
    // An explicit identifier is sent as given (the server validates it).
    user_identifier: input.user_identifier ?? currentUser(),
    event_id: input.event_id ?? uuid(),
  };
  if (input.metadata !== undefined) event.metadata = input.metadata;
  if (input.timestamp !== undefined) event.timestamp = toWireTimestamp(input.timestamp);
  return event;
}

function invalidInput(message: string): TraceticsError {
  return new TraceticsError({ status: 0, code: 'invalid_input', message });
}

function isIdentify(item: BatchItem): item is IdentifyItem {
  return (item as IdentifyItem).type === 'identify';
}

/** The events and the identifies among `items`, as a {@link TraceticsError} names them. */
function concerning(items: BatchItem[]): { events: Event[]; identifies: IdentifyItem[] } {
  const events: Event[] = [];
  const identifies: IdentifyItem[] = [];
  for (const item of items) {
    if (isIdentify(item)) identifies.push(item);
    else events.push(item);
  }
  return { events, identifies };
}

function isStorage(v: unknown): v is IdentityStorage {
  const s = v as IdentityStorage;
  return (
    typeof s === 'object' &&
    typeof s.getItem === 'function' &&
    typeof s.setItem === 'function' &&
    typeof s.removeItem === 'function'
  );
}

function toWireTimestamp(t: Date | string | number): string | number {
  if (t instanceof Date) {
    if (Number.isNaN(t.getTime())) {
      throw new TraceticsError({ status: 0, code: 'invalid_input', message: 'timestamp is an invalid Date' });
    }
    return t.toISOString();
  }
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) {
      throw new TraceticsError({ status: 0, code: 'invalid_input', message: 'timestamp must be finite epoch milliseconds' });
    }
    return Math.trunc(t);
  }
  return t; // ISO-8601 string: the server validates it (it must carry an offset)
}

/** A UUID v4: crypto.randomUUID where available, else from getRandomValues, else Math.random. */
export function uuid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c && typeof c.randomUUID === 'function') {
    return c.randomUUID();
  }
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') {
    c.getRandomValues(bytes);
  } else {
    for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers (non-negative
 * integers; reset in seconds), or undefined when the answer has none of them.
 */
function parseRateLimit(headers: Headers): { limit?: number; remaining?: number; reset?: number } | undefined {
  const read = (name: string): number | undefined => {
    const v = headers.get(name)?.trim();
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const limit = read('RateLimit-Limit');
  const remaining = read('RateLimit-Remaining');
  const reset = read('RateLimit-Reset');
  return limit === undefined && remaining === undefined && reset === undefined ? undefined : { limit, remaining, reset };
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}

function chunkBySize(items: Pending[], maxCount: number, maxBytes: number): Pending[][] {
  const chunks: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 16;
  for (const p of items) {
    const size = JSON.stringify(p.item).length + 40; // + sent_at and separators
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 16;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isBatchAccepted(v: unknown): v is BatchAccepted {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as BatchAccepted).accepted === 'number' &&
    ((v as BatchAccepted).rejected === undefined || Array.isArray((v as BatchAccepted).rejected))
  );
}

function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && typeof (v as ApiError).error === 'string';
}

function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function clampInt(value: number | undefined, dflt: number, min: number, max: number, name: string): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`Tracetics: option '${name}' must be a number in ${min}..${max}`);
  }
  return Math.floor(value);
}


