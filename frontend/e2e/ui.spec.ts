/**
 * The main pages against an in-browser fake of the API (no backend needed): rendering,
 * responsiveness (1280/375 px screenshots, no horizontal overflow at 360 px), language
 * switching, keyboard access and maps with no tiles (no internet).
 */
import { expect, test, type Page } from '@playwright/test';
import { installMockApi } from './harness/mock-api';
import { shoot } from './harness/screenshots';

function failOnPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test.describe('anonymous visitor', () => {
  test('landing page with the public feed', async ({ page }) => {
    const errors = failOnPageErrors(page);
    await installMockApi(page);
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rutas, historias y compañeros de viaje');
    await expect(page.getByRole('heading', { name: 'Vía Verde del Aceite: de Jaén a Córdoba' })).toBeVisible();
    await expect(page.locator('.trip-card')).toHaveCount(4);
    await shoot(page, 'landing');
    expect(errors).toEqual([]);
  });

  test('switches to English and back', async ({ page }) => {
    await installMockApi(page);
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Routes, stories and riding companions');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Latest published trips' })).toBeVisible();
    await page.getByRole('button', { name: 'Español' }).click();
    await expect(page.getByRole('heading', { name: 'Últimos viajes publicados' })).toBeVisible();
  });

  test('login and register forms validate and are labelled', async ({ page }) => {
    await installMockApi(page);
    await page.goto('/register');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    await expect(page.getByText('Este campo es obligatorio.').first()).toBeVisible();
    await expect(page.getByLabel('Nombre de usuario')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Contraseña', { exact: true }).fill('abc');
    await shoot(page, 'register');
    await page.goto('/login');
    await expect(page.getByLabel('Email o usuario')).toBeVisible();
    await shoot(page, 'login');
  });

  test('trip detail: gallery, map without tiles, elevation profile and comments', async ({ page }) => {
    const errors = failOnPageErrors(page);
    await installMockApi(page);
    await page.goto('/trips/t-3');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Camino de Santiago: León a Astorga');
    await expect(page.locator('.leaflet-container')).toBeVisible();
    await expect(page.getByTestId('map-tiles-note')).toBeVisible();
    await expect(page.locator('.leaflet-marker-icon').first()).toBeVisible();
    await expect(page.locator('path.leaflet-interactive')).toHaveCount(1);
    const chart = page.getByRole('img', { name: /Perfil de elevación: 52 km/ });
    await expect(chart).toBeVisible();
    await chart.focus();
    await page.keyboard.press('End');
    await expect(page.locator('.elevation__readout')).toContainText('52 km');
    await expect(page.getByText('¡Qué envidia!')).toBeVisible();

    await page.getByRole('button', { name: 'Ampliar foto 2' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('dialog')).toContainText('Foto 3 de 3');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();

    await shoot(page, 'trip-detail');
    expect(errors).toEqual([]);
  });

  test('a rider profile with stats and achievements', async ({ page }) => {
    await installMockApi(page);
    await page.goto('/users/lucia_rueda');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lucía Rueda');
    await expect(page.getByText('Centurión')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Inicia sesión para seguir' })).toBeVisible();
    await shoot(page, 'profile');
  });

  test('keyboard: skip link and visible focus', async ({ page }) => {
    await installMockApi(page);
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Saltar al contenido' });
    await expect(skip).toBeFocused();
    const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect(page.locator('#main')).toBeFocused();
  });

  test('nothing overflows at 360 px', async ({ page }) => {
    await installMockApi(page);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/', '/login', '/register', '/trips/t-3', '/users/lucia_rueda', '/users/lucia_rueda/trips', '/forgot-password']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
  });
});

test.describe('logged-in rider', () => {
  test.beforeEach(async ({ page }) => {
    await installMockApi(page, { loggedIn: true });
  });

  test('personal feed', async ({ page }) => {
    await page.goto('/feed');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tu feed');
    await expect(page.locator('.trip-card')).toHaveCount(4);
    await expect(page.getByRole('button', { name: /Quitar me gusta/ }).first()).toHaveAttribute('aria-pressed', 'true');
    await shoot(page, 'feed');
  });

  test('my trips with filters', async ({ page }) => {
    await page.goto('/users/marta_pedales/trips');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mis viajes');
    await page.getByLabel('Ordenar por').selectOption('distance-desc');
    await expect(page).toHaveURL(/sort=distance-desc/);
    await expect(page.locator('.trip-card .badge--draft')).toHaveText('Borrador');
    await shoot(page, 'trip-list');
  });

  test('trip editor with the map and the tag input', async ({ page }) => {
    const errors = failOnPageErrors(page);
    await page.goto('/trips/new');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nuevo viaje');
    await page.getByLabel('Etiquetas').fill('gravel');
    await page.getByLabel('Etiquetas').press('Enter');
    await expect(page.getByText('#gravel')).toBeVisible();
    // Clicking the map adds a place even though tiles and reverse geocoding are offline.
    await page.locator('.leaflet-container').click({ position: { x: 200, y: 150 } });
    await expect(page.getByLabel('Nombre del lugar 1')).toHaveValue('Punto 1');
    await page.getByLabel('Buscar un lugar').fill('Astorga');
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await expect(page.getByText(/La búsqueda de lugares no está disponible/)).toBeVisible();
    await page.getByRole('button', { name: 'Guardar borrador' }).click();
    await expect(page.getByText('Revisa los campos marcados.')).toBeVisible();
    await shoot(page, 'trip-editor');
    expect(errors).toEqual([]);
  });

  test('GPX wizard: analyse a track, create the trip, add a point of interest', async ({ page }) => {
    const errors = failOnPageErrors(page);
    await page.goto('/trips/new/gpx');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Asistente GPX');
    await page.getByLabel('Archivo GPX').setInputFiles({ name: 'leon-astorga.gpx', mimeType: 'application/gpx+xml', buffer: Buffer.from('<gpx></gpx>') });
    await page.getByRole('button', { name: 'Analizar' }).click();
    await expect(page.getByLabel('Título')).toHaveValue('León Astorga');
    await expect(page.getByLabel('Fecha de inicio')).toHaveValue('2024-05-11');
    await expect(page.getByRole('img', { name: /Perfil de elevación/ })).toBeVisible();
    await page.getByRole('button', { name: 'Crear viaje' }).click();
    await expect(page.getByText('Para publicar, la historia necesita al menos 50 caracteres.')).toBeVisible();
    await page.getByLabel('Historia').fill('Una etapa clásica del Camino Francés, con la meseta leonesa y el puente de Órbigo.');
    await shoot(page, 'gpx-wizard');
    await page.getByRole('button', { name: 'Crear viaje' }).click();
    await expect(page.getByRole('heading', { name: '3. Puntos de interés' })).toBeVisible();
    await page.locator('.leaflet-container').click({ position: { x: 160, y: 120 } });
    await page.getByLabel('Nombre', { exact: true }).fill('Puente de Órbigo');
    await page.getByLabel('Tipo').selectOption('viewpoint');
    await page.getByRole('button', { name: '+ Añadir punto' }).click();
    await expect(page.locator('.poi-list')).toContainText('Puente de Órbigo');
    expect(errors).toEqual([]);
  });

  test('settings', async ({ page }) => {
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajustes');
    await expect(page.getByLabel('Nombre completo')).toHaveValue('Marta Pedales');
    await expect(page.getByLabel('Visibilidad del perfil')).toHaveValue('public');
    await shoot(page, 'settings');
  });

  test('the mobile menu opens and closes on navigation', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto('/');
    const toggle = page.getByRole('button', { name: 'Menú' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await page.getByRole('link', { name: 'Mi feed', exact: true }).click();
    await expect(page).toHaveURL(/\/feed$/);
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });
});
