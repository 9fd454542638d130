/**
 * Helpers for the specs that run against the REAL backend (flow, features, a11y):
 * which routes it publishes, talking to it directly (to prepare data quickly), riders who
 * registered and verified their email through the captured message, and browser contexts
 * already signed in as one of them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { backendUrl, harness } from './env';
import { waitForEmailLink } from './mail';

export interface Rider {
  username: string;
  email: string;
  password: string;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** A short suffix unique to this run (usernames, titles, codes). */
export const runId = Date.now().toString(36).slice(-6);

export function fixture(name: string): Buffer {
  return readFileSync(resolve(import.meta.dirname, '..', 'fixtures', name));
}

function base(): string {
  const url = backendUrl();
  if (!url) throw new Error('No backend: set E2E_BACKEND_CMD (the harness starts it) or E2E_API_URL.');
  return url;
}

// ---------------------------------------------------------------------------------------
// Published routes

let published: Set<string> | null = null;
/** Path parameter names do not matter: `/trips/{id}` and `/trips/{trip_id}` are the same route. */
const normalise = (route: string) => route.replace(/\{[^}]+\}/g, '{}');

async function routes(): Promise<Set<string>> {
  if (published) return published;
  const res = await fetch(`${base()}/openapi.json`);
  const schema = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
  published = new Set(
    Object.entries(schema.paths ?? {}).flatMap(([path, ops]) => Object.keys(ops).map((m) => normalise(`${m.toUpperCase()} ${path}`))),
  );
  return published;
}

/** Skips (or, with E2E_STRICT=1, fails) the current step when the backend lacks a route. */
export async function needs(...wanted: string[]): Promise<void> {
  const have = await routes();
  const missing = wanted.filter((r) => !have.has(normalise(r)));
  if (missing.length === 0) return;
  const message = `backend does not publish yet: ${missing.join(', ')}`;
  if (harness.strict) throw new Error(message);
  test.skip(true, message);
}

// ---------------------------------------------------------------------------------------
// Direct API calls (Node → backend, no /api prefix)

export interface CallOptions {
  method?: string;
  token?: string | null;
  json?: unknown;
  form?: FormData;
  query?: Record<string, string>;
}

/** Calls the backend and returns the status and the parsed body (envelope kept). */
export async function call(path: string, options: CallOptions = {}): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
  const url = new URL(`${base()}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a file)
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}

/** Like `call`, but fails on a non-2xx status and returns the envelope's `data` (or the raw body). */
export async function apiData<T = Record<string, unknown>>(path: string, options: CallOptions = {}): Promise<T> {
  const res = await call(path, options);
  if (res.status < 200 || res.status >= 300) throw new Error(`${options.method ?? 'GET'} ${path} → ${res.status}: ${res.text.slice(0, 300)}`);
  const body = res.body as { success?: boolean; data?: unknown } | null;
  return (body && typeof body === 'object' && 'success' in body && 'data' in body ? body.data : body) as T;
}

export function fileForm(field: string, content: Buffer, name: string, type: string): FormData {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(content)], { type }), name);
  return form;
}

// ---------------------------------------------------------------------------------------
// Riders

export function newRider(prefix: string): Rider {
  return { username: `${prefix}_${runId}`, email: `${prefix}_${runId}@example.com`, password: `Pedales#${runId}9` };
}

/**
 * Registers through the API and verifies with the token of the email the SMTP sink captured
 * (the UI path of the same is covered once, in flow.spec.ts).
 */
export async function registerVerified(prefix: string): Promise<Rider> {
  const rider = newRider(prefix);
  await apiData('/auth/register', { method: 'POST', json: { username: rider.username, email: rider.email, password: rider.password } });
  const { match } = await waitForEmailLink(harness.mailDir, rider.email, /\/verify-email\?token=([^\s"'<>&]+)/);
  await apiData('/auth/verify-email', { method: 'POST', query: { token: decodeURIComponent(match[1]) } });
  return rider;
}

export async function apiLogin(who: Pick<Rider, 'username' | 'password'>): Promise<Tokens> {
  const data = await apiData<Tokens>('/auth/login', { method: 'POST', json: { login: who.username, password: who.password } });
  return { access_token: data.access_token, refresh_token: data.refresh_token };
}

/** A fresh browser context with no internet for tiles/geocoding (as in CI). */
export async function offlineContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: harness.webUrl, locale: 'es-ES', viewport: { width: 1280, height: 900 } });
  await context.route(/tile\.openstreetmap\.org|nominatim\.openstreetmap\.org/, (route) => route.abort('internetdisconnected'));
  return context;
}

/** A page whose browser already holds `who`'s session (tokens in localStorage, as after login). */
export async function signedInPage(browser: Browser, who: Rider): Promise<{ page: Page; tokens: Tokens }> {
  const tokens = await apiLogin(who);
  const context = await offlineContext(browser);
  await context.addInitScript(
    ([access, refresh]) => {
      if (!window.sessionStorage.getItem('e2e.seeded')) {
        window.localStorage.setItem('contravento.access_token', access);
        window.localStorage.setItem('contravento.refresh_token', refresh);
        window.sessionStorage.setItem('e2e.seeded', '1');
      }
    },
    [tokens.access_token, tokens.refresh_token],
  );
  const page = await context.newPage();
  return { page, tokens };
}

/** Logs in through the login form (Spanish UI) and waits for the personal feed. */
export async function uiLogin(page: Page, who: Pick<Rider, 'username' | 'password'>): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email o usuario').fill(who.username);
  await page.getByLabel('Contraseña', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page).toHaveURL(/\/feed$/);
}

/** The texts of a list's items, in order. */
export async function itemTexts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((items) => items.map((li) => (li.querySelector('strong')?.textContent ?? li.textContent ?? '').trim()));
}
