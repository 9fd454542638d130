import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, mockFetch, ok } from '../test/utils';
import { __resetClientForTests, api, ApiError, mediaUrl, onSessionExpired, request, setApiLanguage } from './client';
import { authApi } from './endpoints';
import { tokenStore } from './tokens';

beforeEach(() => {
  __resetClientForTests();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('envelopes', () => {
  it('unwraps the success envelope and keeps its message', async () => {
    mockFetch(() => ok({ user_id: 'u1' }, 'Hecho'));
    const result = await request<{ user_id: string }>('/auth/me');
    expect(result.data).toEqual({ user_id: 'u1' });
    expect(result.message).toBe('Hecho');
  });

  it('returns raw (unwrapped) bodies as they are', async () => {
    mockFetch(() => ({ body: { trips: [], pagination: { total: 0, page: 1, limit: 8, total_pages: 0 } } }));
    const data = await api.get<{ trips: unknown[] }>('/trips/public');
    expect(data.trips).toEqual([]);
  });

  it('returns arrays (cycling types) as they are', async () => {
    mockFetch(() => ({ body: [{ code: 'road' }] }));
    expect(await api.get('/cycling-types')).toEqual([{ code: 'road' }]);
  });

  it('turns the error envelope into an ApiError with code, message and field', async () => {
    mockFetch(() => fail(400, 'VALIDATION_ERROR', "Error de validación en el campo 'password'", 'password'));
    const error = await api.post('/auth/register', { json: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', field: 'password' });
    expect((error as ApiError).message).toContain('password');
  });

  it('gives HTTP_<status> for bodies without an envelope', async () => {
    mockFetch(() => ({ status: 502, body: 'Bad gateway' }));
    await expect(api.get('/feed')).rejects.toMatchObject({ code: 'HTTP_502', status: 502 });
  });

  it('reports network failures as NETWORK_ERROR', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(api.get('/feed')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('handles 204 No Content', async () => {
    mockFetch(() => ({ status: 204 }));
    await expect(api.del('/comments/c1')).resolves.toBeNull();
  });
});

describe('headers', () => {
  it('sends the Bearer token, the UI language and JSON', async () => {
    tokenStore.set('A1', 'R1');
    setApiLanguage('en');
    const fetchMock = mockFetch(() => ok(null));
    await api.post('/trips', { json: { title: 'x' } });
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toBe('/api/trips');
    expect(init?.headers).toMatchObject({ Authorization: 'Bearer A1', 'Accept-Language': 'en', 'Content-Type': 'application/json' });
    expect(init?.body).toBe('{"title":"x"}');
  });

  it('never sends the token to auth: none routes', async () => {
    tokenStore.set('A1', 'R1');
    const fetchMock = mockFetch(() => ok(null));
    await authApi.verifyEmail('tok en');
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toBe('/api/auth/verify-email?token=tok+en');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBeUndefined();
    expect((init?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('sends password reset confirmation as a JSON body', async () => {
    const fetchMock = mockFetch(() => ok(null));
    await authApi.confirmPasswordReset('T', 'Secret1!x');
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toBe('/api/auth/password-reset/confirm');
    expect(JSON.parse(String(init?.body))).toEqual({ token: 'T', new_password: 'Secret1!x' });
  });
});

describe('refresh on 401', () => {
  it('refreshes once with the refresh token as a query parameter and retries', async () => {
    tokenStore.set('old', 'R1');
    const fetchMock = mockFetch((url, init) => {
      if (url.pathname === '/api/auth/refresh') {
        return ok({ access_token: 'new', refresh_token: 'R2', token_type: 'bearer', expires_in: 900 });
      }
      return init.headers.Authorization === 'Bearer new' ? ok({ username: 'ana' }) : fail(401, 'UNAUTHORIZED', 'expired');
    });
    await expect(api.get('/auth/me')).resolves.toEqual({ username: 'ana' });
    const urls = fetchMock.mock.calls.map(([u]) => String(u));
    expect(urls).toEqual(['/api/auth/me', '/api/auth/refresh?refresh_token=R1', '/api/auth/me']);
    expect(fetchMock.mock.calls[1][1]?.method).toBe('POST');
    expect(tokenStore.access()).toBe('new');
    expect(tokenStore.refresh()).toBe('R2');
  });

  it('shares one refresh between concurrent 401s (single flight)', async () => {
    tokenStore.set('old', 'R1');
    let refreshes = 0;
    const fetchMock = mockFetch(async (url, init) => {
      if (url.pathname === '/api/auth/refresh') {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return ok({ access_token: 'new', refresh_token: 'R2', token_type: 'bearer', expires_in: 900 });
      }
      return init.headers.Authorization === 'Bearer new' ? ok({ path: url.pathname }) : fail(401, 'UNAUTHORIZED', 'expired');
    });
    const results = await Promise.all([api.get('/a'), api.get('/b'), api.get('/c'), api.get('/d')]);
    expect(results).toEqual([{ path: '/api/a' }, { path: '/api/b' }, { path: '/api/c' }, { path: '/api/d' }]);
    expect(refreshes).toBe(1);
    expect(fetchMock).toHaveBeenCalledTimes(9);
  });

  it('does not refresh again when another request already rotated the token', async () => {
    tokenStore.set('old', 'R1');
    let refreshes = 0;
    mockFetch((url, init) => {
      if (url.pathname === '/api/auth/refresh') {
        refreshes += 1;
        return ok({ access_token: 'new', refresh_token: 'R2', token_type: 'bearer', expires_in: 900 });
      }
      if (url.pathname === '/api/slow' && init.headers.Authorization === 'Bearer old') {
        // Its 401 arrives after the first request has already refreshed.
        return new Promise((resolve) => setTimeout(() => resolve(fail(401, 'UNAUTHORIZED', 'x')), 30));
      }
      return init.headers.Authorization === 'Bearer new' ? ok('yes') : fail(401, 'UNAUTHORIZED', 'x');
    });
    const [a, b] = await Promise.all([api.get('/slow'), api.get('/fast')]);
    expect([a, b]).toEqual(['yes', 'yes']);
    expect(refreshes).toBe(1);
  });

  it('logs out when the refresh fails on a private endpoint', async () => {
    tokenStore.set('old', 'R1');
    const expired = vi.fn();
    onSessionExpired(expired);
    mockFetch((url) =>
      url.pathname === '/api/auth/refresh' ? fail(401, 'INVALID_REFRESH_TOKEN', 'bad') : fail(401, 'UNAUTHORIZED', 'expired'),
    );
    await expect(api.get('/feed')).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(tokenStore.access()).toBeNull();
    expect(tokenStore.refresh()).toBeNull();
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('retries a public endpoint anonymously when the refresh fails', async () => {
    tokenStore.set('old', 'R1');
    const fetchMock = mockFetch((url, init) => {
      if (url.pathname === '/api/auth/refresh') return fail(401, 'INVALID_REFRESH_TOKEN', 'bad');
      return init.headers.Authorization ? fail(401, 'UNAUTHORIZED', 'expired') : { body: { trips: [], pagination: {} } };
    });
    await expect(api.get('/trips/public', { publicFallback: true })).resolves.toMatchObject({ trips: [] });
    const last = fetchMock.mock.calls.at(-1)!;
    expect((last[1]?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('does not refresh for a 401 on a request sent without a token (bad login)', async () => {
    const fetchMock = mockFetch(() => fail(401, 'INVALID_CREDENTIALS', 'Email/usuario o contraseña incorrectos'));
    await expect(authApi.login({ login: 'x', password: 'y' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps the session when the refresh endpoint is unreachable', async () => {
    tokenStore.set('old', 'R1');
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        if (String(input).startsWith('/api/auth/refresh')) throw new TypeError('offline');
        return new Response(JSON.stringify({ success: false, data: null, error: { code: 'UNAUTHORIZED', message: 'x' } }), { status: 401 });
      }),
    );
    await expect(api.get('/feed')).rejects.toMatchObject({ status: 401 });
    expect(tokenStore.refresh()).toBe('R1');
  });
});

describe('logout', () => {
  it('calls POST /auth/logout with the refresh token and clears the tokens', async () => {
    tokenStore.set('A1', 'R1');
    const fetchMock = mockFetch(() => ok(null, 'Sesión cerrada correctamente'));
    await authApi.logout();
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toBe('/api/auth/logout?refresh_token=R1');
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer A1');
    expect(tokenStore.access()).toBeNull();
  });

  it('revokes the rotated refresh token when the access token had expired', async () => {
    tokenStore.set('old', 'R1');
    const fetchMock = mockFetch((url, init) => {
      if (url.pathname === '/api/auth/refresh') return ok({ access_token: 'new', refresh_token: 'R2', token_type: 'bearer', expires_in: 900 });
      if (init.headers.Authorization !== 'Bearer new') return fail(401, 'UNAUTHORIZED', 'expired');
      return url.searchParams.get('refresh_token') === 'R2' ? ok(null) : fail(401, 'INVALID_REFRESH_TOKEN', 'used');
    });
    await authApi.logout();
    expect(fetchMock.mock.calls.map(([u]) => String(u))).toEqual([
      '/api/auth/logout?refresh_token=R1',
      '/api/auth/refresh?refresh_token=R1',
      '/api/auth/logout?refresh_token=R1',
      '/api/auth/logout?refresh_token=R2',
    ]);
    expect(tokenStore.refresh()).toBeNull();
  });

  it('clears the tokens even when the server refuses', async () => {
    tokenStore.set('A1', 'R1');
    mockFetch(() => fail(500, 'INTERNAL_ERROR', 'boom'));
    await authApi.logout();
    expect(tokenStore.refresh()).toBeNull();
  });
});

describe('uploads with progress (XMLHttpRequest)', () => {
  class FakeXhr {
    static last: FakeXhr;
    upload: { onprogress?: (e: { lengthComputable: boolean; loaded: number; total: number }) => void; onload?: () => void } = {};
    headers: Record<string, string> = {};
    method = '';
    url = '';
    status = 0;
    responseText = '';
    body: unknown;
    onload?: () => void;
    onerror?: () => void;
    ontimeout?: () => void;
    onabort?: () => void;
    constructor() {
      FakeXhr.last = this;
    }
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    abort() {
      this.onabort?.();
    }
    send(body: unknown) {
      this.body = body;
      queueMicrotask(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
        this.upload.onprogress?.({ lengthComputable: true, loaded: 100, total: 100 });
        this.status = 201;
        this.responseText = JSON.stringify({ success: true, data: { id: 'p1', photo_url: '/storage/p.jpg', order: 0 }, error: null });
        this.onload?.();
      });
    }
  }

  it('reports progress and parses the envelope', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    tokenStore.set('A1', 'R1');
    const progress: number[] = [];
    const result = await api.post<{ id: string }>('/trips/t1/photos', { form: new FormData(), onUploadProgress: (f) => progress.push(f) });
    expect(result.id).toBe('p1');
    expect(progress).toEqual([0.5, 1]);
    expect(FakeXhr.last.method).toBe('POST');
    expect(FakeXhr.last.url).toBe('/api/trips/t1/photos');
    expect(FakeXhr.last.headers.Authorization).toBe('Bearer A1');
    expect(FakeXhr.last.body).toBeInstanceOf(FormData);
  });
});

describe('mediaUrl', () => {
  it('routes storage paths through the API prefix and keeps absolute URLs', () => {
    expect(mediaUrl('/storage/trip_photos/a.jpg')).toBe('/api/storage/trip_photos/a.jpg');
    expect(mediaUrl('http://cdn.example/a.jpg')).toBe('http://cdn.example/a.jpg');
    expect(mediaUrl(null)).toBeNull();
  });
});
