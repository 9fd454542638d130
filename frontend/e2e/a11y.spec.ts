/**
 * Accessibility against the REAL backend, with real content (a published trip with a GPX
 * track, a photo, a point of interest and a comment):
 *  - axe-core on the main pages at 1280 px: any violation of impact "serious" or "critical"
 *    fails (every rule axe runs by default: WCAG 2.x A/AA and best practices);
 *  - the same pages at 360 px: no horizontal scroll (scrollWidth ≤ 360);
 *  - keyboard only: the login form and the main navigation with Tab/Enter, each focused
 *    element showing a visible focus indicator.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { backendUrl, harness } from './harness/env';
import { apiData, fileForm, fixture, offlineContext, registerVerified, runId, signedInPage, type Rider, type Tokens } from './harness/backend';
import { makePng } from './harness/png';

test.skip(!backendUrl(), 'No backend: set E2E_BACKEND_CMD (the harness starts it) or E2E_API_URL.');

type Who = 'visitor' | 'rider' | 'admin';
interface Check {
  name: string;
  who: Who;
  path: () => string;
  /** Something that shows the page has its content (not the loading state). */
  ready: (page: Page) => Promise<void>;
}

let rider: Rider;
let riderTokens: Tokens;
let tripId = '';
const tripTitle = `Por el Ebro ${runId}`;
const pages: Partial<Record<Who, Page>> = {};

async function pageFor(browser: Browser, who: Who): Promise<Page> {
  if (pages[who]) return pages[who];
  if (who === 'visitor') pages.visitor = await (await offlineContext(browser)).newPage();
  else pages[who] = (await signedInPage(browser, who === 'admin' ? { ...harness.admin } : rider)).page;
  return pages[who]!;
}

test.beforeAll(async () => {
  // A rider with a published trip that has everything a trip page can show.
  rider = await registerVerified('eva');
  const login = await apiData<Tokens>('/auth/login', { method: 'POST', json: { login: rider.username, password: rider.password } });
  riderTokens = login;
  const token = riderTokens.access_token;
  const trip = await apiData<{ trip_id: string }>('/trips', {
    method: 'POST',
    token,
    json: {
      title: tripTitle,
      description: '<p>Dos días siguiendo el Ebro desde Zaragoza, con viento de cara y huertas a ambos lados del camino.</p>',
      start_date: '2024-06-01',
      end_date: '2024-06-02',
      distance_km: 84,
      difficulty: 'moderate',
      locations: [{ name: 'Zaragoza', latitude: 41.6488, longitude: -0.8891 }],
      tags: ['ebro', 'gravel'],
    },
  });
  tripId = trip.trip_id;
  await apiData(`/trips/${tripId}/gpx`, { method: 'POST', token, form: fileForm('file', fixture('camino_del_cid.gpx'), 'camino_del_cid.gpx', 'application/gpx+xml') });
  await apiData(`/trips/${tripId}/photos`, { method: 'POST', token, form: fileForm('photo', makePng(640, 400, [70, 120, 90]), 'ribera.png', 'image/png') });
  await apiData(`/trips/${tripId}/pois`, {
    method: 'POST',
    token,
    json: { name: 'Puente de Piedra', poi_type: 'viewpoint', latitude: 41.6578, longitude: -0.898, sequence: 0, description: 'El puente más antiguo de la ciudad.' },
  });
  await apiData(`/trips/${tripId}/publish`, { method: 'POST', token });
  // The admin follows the rider (so their feed has the trip) and comments on it.
  const admin = await apiData<Tokens>('/auth/login', { method: 'POST', json: { login: harness.admin.username, password: harness.admin.password } });
  await apiData(`/users/${rider.username}/follow`, { method: 'POST', token: admin.access_token });
  await apiData(`/trips/${tripId}/comments`, { method: 'POST', token: admin.access_token, json: { content: '¡Qué buena ruta para septiembre!' } });
});

test.afterAll(async () => {
  for (const page of Object.values(pages)) await page?.context().close();
});

const h1 = (text: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(text);
};

const checks: Check[] = [
  {
    name: 'landing and public feed',
    who: 'visitor',
    path: () => '/',
    ready: async (page) => {
      await h1('Rutas, historias y compañeros de viaje')(page);
      await expect(page.locator('.trip-card', { hasText: tripTitle })).toBeVisible();
    },
  },
  { name: 'login', who: 'visitor', path: () => '/login', ready: h1('Entra en ContraVento') },
  { name: 'register', who: 'visitor', path: () => '/register', ready: async (page) => expect(page.getByRole('button', { name: 'Crear cuenta' }).last()).toBeVisible() },
  {
    name: 'feed',
    who: 'admin',
    path: () => '/feed',
    ready: async (page) => {
      await h1('Tu feed')(page);
      await expect(page.locator('.trip-card', { hasText: tripTitle })).toBeVisible();
    },
  },
  {
    name: 'profile',
    who: 'rider',
    path: () => `/users/${rider.username}`,
    ready: async (page) => {
      await h1(rider.username)(page);
      await expect(page.locator('.trip-card', { hasText: tripTitle })).toBeVisible();
    },
  },
  { name: 'settings', who: 'rider', path: () => '/settings', ready: async (page) => expect(page.getByLabel('Tipo de ciclismo')).toBeVisible() },
  {
    name: 'trip list',
    who: 'rider',
    path: () => `/users/${rider.username}/trips`,
    ready: async (page) => {
      await h1('Mis viajes')(page);
      await expect(page.locator('.trip-card', { hasText: tripTitle })).toBeVisible();
    },
  },
  {
    name: 'trip form (new)',
    who: 'rider',
    path: () => '/trips/new',
    ready: async (page) => {
      await h1('Nuevo viaje')(page);
      await expect(page.locator('.leaflet-container')).toBeVisible();
    },
  },
  { name: 'GPX wizard', who: 'rider', path: () => '/trips/new/gpx', ready: h1('Asistente GPX') },
  {
    name: 'trip detail',
    who: 'visitor',
    path: () => `/trips/${tripId}`,
    ready: async (page) => {
      await h1(tripTitle)(page);
      await expect(page.getByRole('img', { name: /Perfil de elevación/ })).toBeVisible();
      await expect(page.getByText('¡Qué buena ruta para septiembre!')).toBeVisible();
    },
  },
  {
    name: 'trip detail (owner)',
    who: 'rider',
    path: () => `/trips/${tripId}`,
    ready: async (page) => {
      await h1(tripTitle)(page);
      await expect(page.getByRole('button', { name: 'Descargar GPX' })).toBeVisible();
      await expect(page.getByLabel('Escribe un comentario')).toBeVisible();
    },
  },
  {
    name: 'trip form (edit: photos, GPX, points of interest)',
    who: 'rider',
    path: () => `/trips/${tripId}/edit`,
    ready: async (page) => {
      await expect(page.getByLabel('Título')).toHaveValue(tripTitle);
      await expect(page.getByTestId('poi-list')).toContainText('Puente de Piedra');
    },
  },
  {
    name: 'admin: cycling types',
    who: 'admin',
    path: () => '/admin/cycling-types',
    ready: async (page) => {
      await h1('Tipos de ciclismo')(page);
      await expect(page.getByRole('table')).toBeVisible();
    },
  },
];

for (const check of checks) {
  test(`axe (1280 px) and no horizontal scroll (360 px): ${check.name}`, async ({ browser }) => {
    const page = await pageFor(browser, check.who);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(check.path());
    await check.ready(page);

    const results = await new AxeBuilder({ page }).analyze();
    expect(results.passes.length, 'axe ran its rules').toBeGreaterThan(20);
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n')}`);
    expect(report, `axe on ${check.path()}`).toEqual([]);

    await page.setViewportSize({ width: 360, height: 740 });
    await check.ready(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `scrollWidth of ${check.path()} at 360 px`).toBeLessThanOrEqual(360);
  });
}

/** Whether the focused element shows a focus indicator (an outline or a box shadow). */
async function focusIndicator(page: Page): Promise<{ ok: boolean; what: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { ok: false, what: 'nothing focused' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== 'none';
    const what = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}"`;
    return { ok: el.matches(':focus-visible') && (outline || shadow), what };
  });
}

/** Presses Tab until `target` is focused (at most `max` times), checking every stop's indicator. */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>, max = 30): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const indicator = await focusIndicator(page);
    expect(indicator.ok, `visible focus on ${indicator.what}`).toBe(true);
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${String(target)} not reached with ${max} Tab presses`);
}

test('keyboard only: the login form and the main navigation, with a visible focus', async ({ browser }) => {
  const context = await offlineContext(browser);
  const page = await context.newPage();
  try {
    await page.goto('/');
    await h1('Rutas, historias y compañeros de viaje')(page);
    const nav = page.getByRole('navigation', { name: 'Navegación principal' });

    // Visitor: the menu's "Entrar" link, then the form, submitted with Enter.
    await tabTo(page, nav.getByRole('link', { name: 'Entrar' }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/login$/);
    await tabTo(page, page.getByLabel('Email o usuario'));
    await page.keyboard.type(rider.username);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Contraseña', { exact: true })).toBeFocused();
    expect((await focusIndicator(page)).ok).toBe(true);
    await page.keyboard.type(rider.password);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/feed$/);

    // Rider: the menu, forwards (the focus stays on the link that was followed).
    for (const [name, url] of [
      ['Mis viajes', new RegExp(`/users/${rider.username}/trips$`)],
      ['+ Nuevo viaje', /\/trips\/new$/],
      [rider.username, new RegExp(`/users/${rider.username}$`)],
      ['Ajustes', /\/settings$/],
    ] as const) {
      await tabTo(page, nav.getByRole('link', { name, exact: true }));
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
    await tabTo(page, nav.getByRole('button', { name: 'Salir' }));
    await page.keyboard.press('Enter');
    await expect(nav.getByRole('link', { name: 'Entrar' })).toBeVisible();
  } finally {
    await context.close();
  }
});
