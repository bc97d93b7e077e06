// A scripted stand-in for `fetch` (the client's `fetch` option) for the unit tests: it records every
// request (URL, method, headers, parsed body (gunzipped first when it is gzip), keepalive, signal,
// the time it was made) and answers with the next scripted answer, or with a 200 that acknowledges
// every event once the script is used up. Answers are real `Response` objects, so the client reads them exactly as it reads the server's.
import { gunzipSync } from 'node:zlib';

export const TENANT_KEY = 'tk_unit';
export const APP_KEY = 'ak_unit';
export const ENDPOINT = 'https://tracetics.example/';
export const BATCH_URL = 'https://tracetics.example/api/v1/events/batch';
export const HEADERS = { 'Content-Type': 'application/json', 'X-OL-Tenant-Key': TENANT_KEY, 'X-OL-App-Key': APP_KEY };

export function fakeFetch(...script) {
  const requests = [];
  const answers = [...script];
  const f = async (url, init) => {
    const request = {
      url: String(url),
      method: init.method,
      headers: { ...init.headers },
      body: JSON.parse(init.headers['Content-Encoding'] === 'gzip' ? gunzipSync(init.body).toString('utf8') : init.body),
      raw: init.body,
      keepalive: init.keepalive,
      signal: init.signal,
      at: Date.now(),
    };
    requests.push(request);
    const answer = answers.length > 0 ? answers.shift() : accept();
    return answer(request);
  };
  f.requests = requests;
  /** Appends answers to the script. */
  f.script = (...more) => answers.push(...more);
  return f;
}

/** 200 with every event acknowledged except the `rejected` items ({index, error}). */
export const accept = (rejected = []) => (request) =>
  json(200, { accepted: request.body.events.length - rejected.length, duplicates: 0, rejected });

/** An answer with this status, a JSON (object) or text (string) body and headers. */
export const reply = (status, body, headers = {}) => () => (typeof body === 'string' ? new Response(body, { status, headers }) : json(status, body, headers));

/** The API's error shape. */
export const apiError = (status, error, extra = {}) => ({ code: status, error, message: `${error} (test)`, ...extra });

/** fetch rejects, as on a refused or reset connection. */
export const networkError = (message = 'fetch failed') => async () => {
  throw new TypeError(message);
};

/** No answer until the client aborts the request (its timeout). */
export const hang = () => (request) =>
  new Promise((_, reject) => {
    request.signal.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
  });

/** An answer held back until `release(answer)` is called (default: accept). */
export function held() {
  let release;
  const gate = new Promise((r) => (release = r));
  const answer = async (request) => (await gate)(request);
  answer.release = (a = accept()) => release(a);
  return answer;
}

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/**
 * Lets every pending promise chain run (the timers are mocked, setImmediate is not): the client's
 * work between a fetch answer and its next timer is promise callbacks only.
 */
export async function drain() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Mocked setTimeout/clearTimeout and Date, starting at `now`. */
export function mockTime(t, now = Date.parse('2026-03-02T09:00:00.000Z')) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now });
  return {
    async tick(ms) {
      t.mock.timers.tick(ms);
      await drain();
    },
  };
}

/** Math.random returns these values in turn (the last one repeats). */
export function mockRandom(t, ...values) {
  let i = 0;
  t.mock.method(Math, 'random', () => values[Math.min(i++, values.length - 1)]);
}

/**
 * Client options with the fake fetch and a recording onError. Compression is off unless `extra`
 * turns it on (gzip.test.mjs does): CompressionStream works on Node's thread pool, outside the
 * mocked clock and drain(), so the request of a large batch would leave at no fixed step.
 */
export function options(fetch, extra = {}) {
  const errors = [];
  return {
    errors,
    options: { tenantKey: TENANT_KEY, trackedAppKey: APP_KEY, endpoint: ENDPOINT, fetch, onError: (e) => errors.push(e), compress: false, ...extra },
  };
}
