// The API client: bearer token, problem+json errors, pagination, ETags, Idempotency-Key.
import { t } from './i18n.js';

const TOKEN = 'community.token';
const KEPT_MAX = 32;
// The last answer of each revalidated URL ({etag, data}), most recent last: sent back as
// If-None-Match, so an unchanged read costs the service's 304 and no new body.
const kept = new Map();

/** The signed-in person's token (sessionStorage: gone when the tab closes). */
export const session = {
  token() {
    return sessionStorage.getItem(TOKEN);
  },
  set(token) {
    sessionStorage.setItem(TOKEN, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    kept.clear();
  },
  /** The token's claims (roles, communities, name, sub, exp ...), or null. */
  claims() {
    const token = this.token();
    return token ? decodeClaims(token) : null;
  },
};

/** The payload of a JWT (not verified here: the gateway and services verify it). */
export function decodeClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part.padEnd(part.length + (4 - part.length % 4) % 4, '=')),
      (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/** A refused or failed call: `problem` is the RFC 9457 body (title, detail, errors...). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** Field errors flattened to dotted paths: {"scores.0.score": ["..."]}. */
  get fieldErrors() {
    const out = {};
    const walk = (value, path) => {
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        out[path] = value;
      } else if (typeof value === 'string') {
        out[path] = [value];
      } else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
      }
    };
    walk(this.problem.errors || {}, '');
    return out;
  }
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// The last POST that got no answer: repeating the same body reuses its key (no double effect).
let unanswered = null;

function idempotencyKey(path, payload) {
  if (unanswered && unanswered.path === path && unanswered.payload === payload) return unanswered.key;
  return newKey();
}

async function toProblem(response) {
  const type = response.headers.get('Content-Type') || '';
  let body = null;
  try {
    body = type.includes('json') ? await response.json() : null;
  } catch {
    body = null;
  }
  if (Array.isArray(body) && body[0] && 'description' in body[0]) {  // Open311 error list
    return { title: t('error.refused'), detail: body.map((e) => e.description).join(' '), status: response.status };
  }
  if (body && typeof body === 'object') return body;
  return { title: t(`error.http.${Math.floor(response.status / 100)}xx`), status: response.status };
}

function keep(url, etag, data) {
  kept.delete(url);
  kept.set(url, { etag, data });
  if (kept.size > KEPT_MAX) kept.delete(kept.keys().next().value);
}

/**
 * Call /api<path>. Options: query (object), body (JSON), form (URLSearchParams), headers,
 * etag (sent as If-Match), revalidate (a GET sends the ETag of its last answer as If-None-Match
 * and a 304 gives that answer's data back). POSTs carry an Idempotency-Key (every write of the
 * services honours it). Resolves {data, headers, status, changed}; rejects with ApiError.
 */
export async function request(method, path, options = {}) {
  const url = new URL(`/api${path}`, location.origin);
  for (const [key, value] of Object.entries(options.query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.etag) headers['If-Match'] = options.etag;
  const known = options.revalidate ? kept.get(url.href) : undefined;
  if (known) headers['If-None-Match'] = known.etag;
  let payload;
  if (options.form) {
    payload = options.form.toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  let key = null;
  if (method === 'POST') {
    key = idempotencyKey(path, payload);
    headers['Idempotency-Key'] = key;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, cache: options.revalidate ? 'no-store' : 'default' });
  } catch {
    if (key) unanswered = { path, payload, key };
    throw new ApiError(0, { title: t('error.network'), detail: t('error.network.detail') });
  }
  if (key) unanswered = response.status >= 502 ? { path, payload, key } : null;
  if (response.status === 401 && token) {
    window.dispatchEvent(new CustomEvent('community:unauthorized'));
  }
  if (response.status === 304) {  // not modified: the answer we already hold (none if the caller sent its own tag)
    return { data: known ? known.data : null, headers: response.headers, status: 304, changed: false };
  }
  if (!response.ok) throw new ApiError(response.status, await toProblem(response));
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  const etag = response.headers.get('ETag');
  if (options.revalidate && etag) keep(url.href, etag, data);
  return { data, headers: response.headers, status: response.status, changed: true };
}

export async function get(path, query) {
  return (await request('GET', path, { query })).data;
}

/** A read revalidated with its last ETag: {data, changed} (changed false when the service said 304). */
export async function getFresh(path, query) {
  const answer = await request('GET', path, { query, revalidate: true });
  return { data: answer.data, changed: answer.changed };
}

/** A page of a list: {items, pagination} (pagination from the X-Pagination header). */
export async function list(path, query, options = {}) {
  const answer = await request('GET', path, { query, revalidate: options.revalidate });
  let pagination = null;
  try {
    pagination = JSON.parse(answer.headers.get('X-Pagination') || 'null');
  } catch {
    pagination = null;
  }
  return { items: answer.data || [], pagination };
}

/** Every page of a list (bounded: at most `maxPages` of `pageSize`). */
export async function listAll(path, query = {}, pageSize = 100, maxPages = 10, options = {}) {
  const items = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const answer = await list(path, { ...query, page, page_size: pageSize }, options);
    items.push(...answer.items);
    if (!answer.pagination || !answer.pagination.next_page) break;
  }
  return items;
}

/** A record with its ETag: {data, etag}. */
export async function getWithEtag(path) {
  const answer = await request('GET', path);
  return { data: answer.data, etag: answer.headers.get('ETag') };
}

export async function post(path, body = {}, options = {}) {
  return (await request('POST', path, { ...options, body })).data;
}

export async function put(path, body, etag) {
  return (await request('PUT', path, { body, etag })).data;
}

export async function patch(path, body, etag) {
  return (await request('PATCH', path, { body, etag })).data;
}
