// The API client: the management token lives in sessionStorage (gone when the tab closes) and
// travels only in the Authorization header. It is never logged or put in a URL.

const TOKEN_KEY = 'tracetics.managementToken';
let onUnauthorized = () => {};

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  whenUnauthorized: (callback) => { onUnauthorized = callback; },
};

/** An error answer of the API, in its one shape: {code, error, message, errors?, violations?}. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.key = (body && body.error) || 'http_' + status;
    this.body = body || {};
    this.errors = (body && body.errors) || [];
    this.violations = (body && body.violations) || [];
  }
}

export async function api(method, path, body, {token = session.token(), accept} = {}) {
  const headers = {Accept: accept || 'application/json'};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, {error: 'network_error', message: 'The server cannot be reached. Is it running?'});
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = {code: response.status, error: 'unexpected_response', message: `Unexpected answer (HTTP ${response.status})`};
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && token === session.token()) onUnauthorized(error);
    throw error;
  }
  return data;
}

/**
 * A download: the answer's body as a Blob with its headers (for CSV exports, which the page saves
 * itself because a plain link cannot carry the bearer token).
 */
export async function download(method, path, body, {accept = 'text/csv', token = session.token()} = {}) {
  const headers = {Accept: accept};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, {error: 'network_error', message: 'The server cannot be reached. Is it running?'});
  }
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    const error = new ApiError(response.status, data);
    if (response.status === 401 && token === session.token()) onUnauthorized(error);
    throw error;
  }
  return {blob: await response.blob(), headers: response.headers};
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);
