import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { AuthProvider } from '../auth/AuthProvider';
import { ToastProvider } from '../components/toast';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Lang } from '../i18n/core';

export interface MockResponse {
  status?: number;
  body?: unknown;
}
export type Handler = (url: URL, init: RequestInit & { headers: Record<string, string> }) => MockResponse | Promise<MockResponse>;

/** Replaces fetch with `handler`; returns the vi mock to inspect calls. */
export function mockFetch(handler: Handler) {
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const headers = (init.headers ?? {}) as Record<string, string>;
    const result = await handler(url, { ...init, headers });
    const status = result.status ?? 200;
    const text = result.body === undefined ? '' : typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

export const ok = <T,>(data: T, message?: string): MockResponse => ({
  status: 200,
  body: { success: true, data, error: null, ...(message ? { message } : {}) },
});
export const fail = (status: number, code: string, message: string, field: string | null = null): MockResponse => ({
  status,
  body: { success: false, data: null, error: { code, message, field } },
});

export function renderPage(element: ReactElement, { route = '/', path = '*', lang }: { route?: string; path?: string; lang?: Lang } = {}): RenderResult {
  return render(
    <I18nProvider lang={lang}>
      <ToastProvider>
        <AuthProvider>
          <MemoryRouter initialEntries={[route]}>
            <Routes>
              <Route path={path} element={element} />
              <Route path="*" element={<p>elsewhere</p>} />
            </Routes>
          </MemoryRouter>
        </AuthProvider>
      </ToastProvider>
    </I18nProvider>,
  );
}
