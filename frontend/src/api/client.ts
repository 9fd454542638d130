/**
 * The HTTP client every screen uses.
 *
 * - Requests go to `${VITE_API_BASE_URL || '/api'}${path}`; Vite (dev/preview) and nginx
 *   strip the `/api` prefix before the backend sees them.
 * - Success bodies are unwrapped: the `{success, data, error, message?}` envelope gives its
 *   `data`; raw bodies (profile GET, feeds, POIs, cycling types) are returned as they are.
 * - Error bodies `{success:false, data:null, error:{code, message, field}}` become `ApiError`.
 * - Auth is a Bearer header.  A 401 on a request that carried a token triggers one
 *   `POST /auth/refresh?refresh_token=…` shared by every request that fails at the same time
 *   (single flight), then the request is retried once.  When the refresh fails the session
 *   ends; requests marked `publicFallback` are retried anonymously instead of failing.
 * - `Accept-Language` carries the UI language so the backend's messages match it.
 * - Uploads that need progress use XMLHttpRequest (`onUploadProgress`).
 * - Files (the GPX download) come through `requestBlob`, with the same token and refresh
 *   logic, so private and draft content reaches its owner.
 */
import { tokenStore } from './tokens';
import type { ApiErrorBody, TokenPair } from './types';

export const API_BASE: string = (import.meta.env.VITE_API_BASE_URL as string | undefined) ?? '/api';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(status: number, code: string, message: string, field: string | null = null) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  query?: Query;
  /** JSON body. */
  json?: unknown;
  /** Multipart body. */
  form?: FormData;
  /** `none` never sends the token (login, register…). Default: send it when there is one. */
  auth?: 'none' | 'auto';
  /** A public endpoint: if the token cannot be refreshed, retry anonymously. */
  publicFallback?: boolean;
  signal?: AbortSignal;
  /** Upload progress in [0, 1]; switches the transport to XMLHttpRequest. */
  onUploadProgress?: (fraction: number) => void;
}

export interface ApiResult<T> {
  data: T;
  /** The envelope's optional top-level `message`. */
  message: string | null;
  status: number;
}

interface RawResponse {
  status: number;
  body: unknown;
}

interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
  onUploadProgress?: (fraction: number) => void;
}

// ---------------------------------------------------------------------------------------
// Language and session events

let language = 'es';
/** The UI language, sent as Accept-Language. */
export function setApiLanguage(lang: string): void {
  language = lang;
}

type SessionListener = () => void;
const sessionExpiredListeners = new Set<SessionListener>();
/** Called when a refresh fails and the stored session is dropped. */
export function onSessionExpired(listener: SessionListener): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------
// URLs

export function buildUrl(path: string, query?: Query): string {
  let url = `${API_BASE}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.append(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/** Makes a media URL from the API usable by the browser (`/storage/…` goes through /api). */
export function mediaUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (/^(https?:|data:|blob:)/i.test(url)) return url;
  return `${API_BASE}${url.startsWith('/') ? '' : '/'}${url}`;
}

// ---------------------------------------------------------------------------------------
// Transports

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const NETWORK_ERROR_MESSAGE = 'Network error';

async function fetchResponse(url: string, req: TransportRequest): Promise<Response> {
  try {
    return await fetch(url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
}

async function fetchTransport(url: string, req: TransportRequest): Promise<RawResponse> {
  const response = await fetchResponse(url, req);
  const text = response.status === 204 ? '' : await response.text();
  return { status: response.status, body: parseBody(text) };
}

function xhrTransport(url: string, req: TransportRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(req.method, url);
    for (const [name, value] of Object.entries(req.headers)) xhr.setRequestHeader(name, value);
    if (req.onUploadProgress) {
      const report = req.onUploadProgress;
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) report(Math.min(1, event.loaded / event.total));
      };
      xhr.upload.onload = () => report(1);
    }
    xhr.onload = () => resolve({ status: xhr.status, body: parseBody(xhr.responseText) });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    if (req.signal) {
      if (req.signal.aborted) {
        reject(new DOMException('Aborted', 'AbortError'));
        return;
      }
      req.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send((req.body as XMLHttpRequestBodyInit | undefined) ?? null);
  });
}

// ---------------------------------------------------------------------------------------
// Envelopes

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorFrom(status: number, body: unknown): ApiError {
  if (isObject(body)) {
    const err = body.error;
    if (isObject(err) && typeof err.code === 'string') {
      const e = err as unknown as ApiErrorBody;
      return new ApiError(status, e.code, e.message ?? '', e.field ?? null);
    }
    if (typeof body.detail === 'string') return new ApiError(status, `HTTP_${status}`, body.detail);
  }
  return new ApiError(status, `HTTP_${status}`, typeof body === 'string' ? body.slice(0, 300) : '');
}

function unwrap<T>(raw: RawResponse): ApiResult<T> {
  const { status, body } = raw;
  if (status < 200 || status >= 300) throw errorFrom(status, body);
  if (isObject(body) && typeof body.success === 'boolean' && 'data' in body) {
    if (!body.success) throw errorFrom(status, body);
    return { data: body.data as T, message: typeof body.message === 'string' ? body.message : null, status };
  }
  return { data: body as T, message: null, status };
}

// ---------------------------------------------------------------------------------------
// Refresh (single flight)

type RefreshOutcome = 'refreshed' | 'failed' | 'unreachable';
let inflightRefresh: Promise<RefreshOutcome> | null = null;

function baseHeaders(): Record<string, string> {
  return { Accept: 'application/json', 'Accept-Language': language };
}

function endSession(): void {
  const had = tokenStore.refresh() !== null || tokenStore.access() !== null;
  tokenStore.clear();
  if (had) sessionExpiredListeners.forEach((l) => l());
}

async function performRefresh(): Promise<RefreshOutcome> {
  const refreshToken = tokenStore.refresh();
  if (!refreshToken) {
    endSession();
    return 'failed';
  }
  let raw: RawResponse;
  try {
    raw = await fetchTransport(buildUrl('/auth/refresh', { refresh_token: refreshToken }), {
      method: 'POST',
      headers: baseHeaders(),
    });
  } catch {
    return 'unreachable';
  }
  if (raw.status >= 500) return 'unreachable';
  try {
    const { data } = unwrap<TokenPair>(raw);
    if (!data?.access_token) throw new Error('no token');
    tokenStore.set(data.access_token, data.refresh_token ?? refreshToken);
    return 'refreshed';
  } catch {
    endSession();
    return 'failed';
  }
}

/**
 * Refreshes the access token once for every caller waiting at the same time.
 * `usedToken` is the token the failed request carried: if the stored token already differs,
 * another request refreshed it meanwhile and no new refresh is needed.
 */
export function refreshSession(usedToken?: string | null): Promise<RefreshOutcome> {
  const current = tokenStore.access();
  if (usedToken && current && current !== usedToken) return Promise.resolve('refreshed');
  if (!inflightRefresh) {
    inflightRefresh = performRefresh().finally(() => {
      inflightRefresh = null;
    });
  }
  return inflightRefresh;
}

// ---------------------------------------------------------------------------------------
// Requests

/**
 * Sends with the stored token; on a 401 refreshes once (single flight) and resends, or,
 * for `publicFallback` requests whose session cannot be refreshed, resends anonymously.
 */
async function withSession<R extends { status: number }>(
  options: Pick<RequestOptions, 'auth' | 'publicFallback'>,
  send: (token: string | null) => Promise<R>,
): Promise<R> {
  const token = options.auth === 'none' ? null : tokenStore.access();
  let raw = await send(token);
  if (raw.status === 401 && token) {
    const outcome = await refreshSession(token);
    if (outcome === 'refreshed') raw = await send(tokenStore.access());
    else if (options.publicFallback) raw = await send(null);
  }
  return raw;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const method = options.method ?? 'GET';
  const url = buildUrl(path, options.query);
  const transport = options.onUploadProgress ? xhrTransport : fetchTransport;

  let body: BodyInit | undefined;
  const extraHeaders: Record<string, string> = {};
  if (options.form) body = options.form;
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    extraHeaders['Content-Type'] = 'application/json';
  }

  const send = (token: string | null) => {
    const headers = { ...baseHeaders(), ...extraHeaders };
    if (token) headers.Authorization = `Bearer ${token}`;
    return transport(url, { method, headers, body, signal: options.signal, onUploadProgress: options.onUploadProgress });
  };

  return unwrap<T>(await withSession(options, send));
}

export interface BlobResult {
  blob: Blob;
  /** From Content-Disposition (`filename*` preferred), or null. */
  filename: string | null;
  status: number;
}

/** The file name a Content-Disposition header gives, if any. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header)?.[1]?.trim();
  if (extended) {
    const value = extended.replace(/^"|"$/g, '');
    const at = value.indexOf("''");
    try {
      const name = decodeURIComponent(at >= 0 ? value.slice(at + 2) : value);
      if (name) return name;
    } catch {
      // malformed: fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = (plain?.[2] ?? plain?.[1] ?? '').trim();
  return name || null;
}

/** A GET whose body is a file: same auth and refresh as `request`; errors become ApiError. */
export async function requestBlob(
  path: string,
  options: Pick<RequestOptions, 'query' | 'auth' | 'publicFallback' | 'signal'> = {},
): Promise<BlobResult> {
  const url = buildUrl(path, options.query);
  const send = async (token: string | null) => {
    const headers: Record<string, string> = { ...baseHeaders(), Accept: '*/*' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetchResponse(url, { method: 'GET', headers, signal: options.signal });
    return { status: response.status, response };
  };
  const { status, response } = await withSession(options, send);
  if (status < 200 || status >= 300) throw errorFrom(status, parseBody(await response.text()));
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('Content-Disposition')), status };
}

/** Shorthands returning only `data`. */
export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) =>
    request<T>(path, { ...options, method: 'GET' }).then((r) => r.data),
  post: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) =>
    request<T>(path, { ...options, method: 'POST' }).then((r) => r.data),
  put: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) =>
    request<T>(path, { ...options, method: 'PUT' }).then((r) => r.data),
  del: <T>(path: string, options: Omit<RequestOptions, 'method'> = {}) =>
    request<T>(path, { ...options, method: 'DELETE' }).then((r) => r.data),
};

/** Test helper: forget a pending refresh. */
export function __resetClientForTests(): void {
  inflightRefresh = null;
  language = 'es';
  sessionExpiredListeners.clear();
}
