/**
 * The rest of the rider's and the admin's features against the REAL backend:
 *  - the GPX wizard with a real track (camino_del_cid.gpx): summary, map, elevation profile,
 *    a draft trip, two points of interest added on the map and reordered, the trip detail,
 *    and the owner downloading the draft's GPX (it needs the token: no bare link);
 *  - a GPX uploaded on an existing trip's edit page;
 *  - the admin's cycling types (create, edit, delete) and that a rider cannot reach them;
 *  - the profile photo (preview, a progress bar that moves, the new photo everywhere);
 *  - changing the password, then deleting the account.
 *
 * Riders are registered through the API and verified with the captured email's token (the UI
 * path is in flow.spec.ts); the admin is created by the backend command (create_admin.py).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { backendUrl, harness } from './harness/env';
import { apiData, call, fixture, itemTexts, needs, registerVerified, runId, signedInPage, uiLogin, type Rider, type Tokens } from './harness/backend';
import { makeNoisePng } from './harness/png';
import { shoot } from './harness/screenshots';

test.skip(!backendUrl(), 'No backend: set E2E_BACKEND_CMD (the harness starts it) or E2E_API_URL.');
test.describe.configure({ mode: 'serial' });

let rider: Rider;
let page: Page;
let tokens: Tokens;

test.beforeAll(async ({ browser }) => {
  rider = await registerVerified('cleo');
  ({ page, tokens } = await signedInPage(browser, rider));
});
test.afterAll(async () => {
  await page?.context().close();
});

const camino = fixture('camino_del_cid.gpx');
let wizardTripId = '';

test('GPX wizard: a real track becomes a draft trip with two reordered points of interest', async () => {
  await needs('POST /gpx/analyze', 'POST /trips/gpx-wizard', 'POST /trips/{trip_id}/pois', 'POST /trips/{trip_id}/pois/reorder', 'GET /gpx/{gpx_file_id}/track');
  await page.goto('/trips/new/gpx');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Asistente GPX');
  await page.getByLabel('Archivo GPX').setInputFiles({ name: 'camino_del_cid.gpx', mimeType: 'application/gpx+xml', buffer: camino });
  await page.getByRole('button', { name: 'Analizar' }).click();

  // Step 2: the backend's analysis of the 20-point track (8.4 km, 245 → 625 m).
  const summary = page.locator('section', { has: page.getByRole('heading', { name: 'Resumen del track' }) });
  await expect(summary.locator('.stat', { hasText: 'Distancia' })).toContainText('8,4 km');
  await expect(summary.locator('.stat', { hasText: 'Desnivel +' })).toContainText('380 m');
  await expect(summary.locator('path.leaflet-interactive')).toHaveCount(1);
  await expect(summary.getByRole('img', { name: /Perfil de elevación: 8,4 km, entre 245 y 625 m/ })).toBeVisible();
  await expect(page.getByLabel('Fecha de inicio')).toHaveValue('2024-06-01');

  await page.getByLabel('Título').fill(`Camino del Cid ${runId}`);
  await page.getByLabel('Historia').fill('De Zaragoza hacia Caspe por caminos de tierra, subiendo despacio entre campos de cereal.');
  await page.getByRole('button', { name: 'Crear viaje' }).click();

  // Step 3: points of interest, placed by clicking the map.
  await expect(page.getByRole('heading', { name: '3. Puntos de interés' })).toBeVisible();
  const editor = page.locator('.poi-editor');
  const addPoi = async (x: number, y: number, name: string, type: string) => {
    await editor.locator('.leaflet-container').click({ position: { x, y } });
    await expect(editor.getByText(/^En -?\d/)).toBeVisible();
    await editor.getByLabel('Nombre', { exact: true }).fill(name);
    await editor.getByLabel('Tipo').selectOption(type);
    await editor.getByRole('button', { name: '+ Añadir punto' }).click();
    await expect(editor.getByTestId('poi-list')).toContainText(name);
  };
  await addPoi(180, 110, 'Fuente de la plaza', 'water');
  await addPoi(420, 220, 'Mirador del Ebro', 'viewpoint');
  expect(await itemTexts(page, '[data-testid="poi-list"] > li')).toEqual(['Fuente de la plaza', 'Mirador del Ebro']);

  await editor.getByRole('button', { name: 'Subir: Mirador del Ebro' }).click();
  await expect(editor.getByRole('status').filter({ hasText: 'Mirador del Ebro: ahora en la posición 1 de 2.' })).toBeAttached();
  expect(await itemTexts(page, '[data-testid="poi-list"] > li')).toEqual(['Mirador del Ebro', 'Fuente de la plaza']);
  await expect(editor.getByRole('button', { name: 'Subir: Mirador del Ebro' })).toBeDisabled();

  await page.getByRole('link', { name: 'Ver viaje' }).click();
  await expect(page).toHaveURL(/\/trips\/[^/]+$/);
  wizardTripId = /\/trips\/([^/]+)$/.exec(page.url())![1];

  // The trip detail: a draft with the track's distance, the map with the track, the elevation
  // profile and the points of interest in their new order (as the server now stores them).
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Camino del Cid ${runId}`);
  await expect(page.locator('.trip__badges')).toContainText('Borrador');
  await expect(page.locator('.stats-grid').first().locator('.stat', { hasText: 'Distancia' })).toContainText('8,4 km');
  const route = page.locator('section.trip-route');
  await expect(route.locator('path.leaflet-interactive')).toHaveCount(1);
  await expect(route.locator('.leaflet-marker-icon')).toHaveCount(2);
  await expect(route.getByRole('img', { name: /Perfil de elevación: 8,4 km/ })).toBeVisible();
  expect(await itemTexts(page, 'section[aria-labelledby="pois-title"] .poi-list > li')).toEqual(['Mirador del Ebro', 'Fuente de la plaza']);
  const stored = await apiData<{ pois: { name: string; sequence: number }[] }>(`/trips/${wizardTripId}/pois`, { token: tokens.access_token });
  expect(stored.pois.map((p) => [p.name, p.sequence])).toEqual([
    ['Mirador del Ebro', 0],
    ['Fuente de la plaza', 1],
  ]);
  await shoot(page, 'flow-gpx-trip');
});

test("the owner downloads the draft's GPX (sent with the token, saved from a blob)", async () => {
  await needs('GET /gpx/{gpx_file_id}/download');
  expect(wizardTripId, 'the wizard created the trip').not.toBe('');
  const trip = await apiData<{ gpx_file: { gpx_file_id: string } }>(`/trips/${wizardTripId}`, { token: tokens.access_token });
  // Without the token the file is refused: a plain link could never have worked for a draft.
  const anonymous = await call(`/gpx/${trip.gpx_file.gpx_file_id}/download`);
  expect(anonymous.status).toBeGreaterThanOrEqual(400);

  await page.goto(`/trips/${wizardTripId}`);
  await expect(page.getByRole('link', { name: 'Descargar GPX' })).toHaveCount(0);
  const downloaded = page.waitForEvent('download', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Descargar GPX' }).click();
  const download = await downloaded;
  expect(download.url()).toMatch(/^blob:/);
  expect(download.suggestedFilename()).toMatch(/\.gpx$/);
  const path = await download.path();
  expect(readFileSync(path).equals(camino)).toBe(true);
  await expect(page.locator('.gpx-download [role="alert"]')).toBeEmpty();
});

test("a GPX uploaded on an existing trip's edit page", async () => {
  await needs('POST /trips/{trip_id}/gpx', 'GET /gpx/{gpx_file_id}/status');
  const trip = await apiData<{ trip_id: string }>('/trips', {
    method: 'POST',
    token: tokens.access_token,
    json: { title: `Paseo por Madrid ${runId}`, description: 'Vuelta corta.', start_date: '2024-06-15' },
  });
  await page.goto(`/trips/${trip.trip_id}/edit`);
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Track GPX' }) });
  await expect(section.getByText('Un archivo .gpx por viaje, hasta 10 MB.')).toBeVisible();
  await section.getByTestId('gpx-input').setInputFiles({ name: 'short_route.gpx', mimeType: 'application/gpx+xml', buffer: fixture('short_route.gpx') });
  await expect(section.locator('.gpx-card')).toContainText('Track listo · 1,3 km');
  await expect(section.locator('.gpx-card')).toContainText('10 puntos');

  await page.getByRole('link', { name: 'Ver viaje' }).click();
  const route = page.locator('section.trip-route');
  await expect(route.getByRole('heading', { name: 'Ruta' })).toBeVisible();
  await expect(route.locator('path.leaflet-interactive')).toHaveCount(1);
  await expect(route.locator('.stat', { hasText: 'Distancia' })).toContainText('1,3 km');
  await expect(route.getByRole('img', { name: /Perfil de elevación: 1,3 km/ })).toBeVisible();
});

test('a large GPX (> 1 MB) shows the processing state, then the processed track', async () => {
  await needs('POST /trips/{trip_id}/gpx', 'GET /gpx/{gpx_file_id}/status');
  // A real 1.1 MB Wikiloc track (Vía Verde del Aceite): over 1 MB the backend queues it (202).
  const big = readFileSync(resolve(import.meta.dirname, '..', '..', 'backend', 'tests', 'gpx', 'data', 'via-verde.gpx'));
  expect(big.length).toBeGreaterThan(1024 * 1024);
  const trip = await apiData<{ trip_id: string }>('/trips', {
    method: 'POST',
    token: tokens.access_token,
    json: { title: `Vía Verde del Aceite ${runId}`, description: 'De Jaén a Puente Genil.', start_date: '2017-05-09' },
  });
  await page.goto(`/trips/${trip.trip_id}/edit`);
  const card = page.locator('.gpx-card');
  await page.getByTestId('gpx-input').setInputFiles({ name: 'via-verde.gpx', mimeType: 'application/gpx+xml', buffer: big });
  await expect(card).toContainText('Procesando el track…');
  // ~143 km of 11 443 points, processed in the background while the page polls its status.
  await expect(card).toContainText(/Track listo · 14\d,\d km · \+\d+ m · 11443 puntos/, { timeout: 45_000 });
  const km = /14\d,\d km/.exec((await card.textContent()) ?? '')![0];

  await page.getByRole('link', { name: 'Ver viaje' }).click();
  const route = page.locator('section.trip-route');
  await expect(route.locator('path.leaflet-interactive')).toHaveCount(1);
  await expect(route.locator('.stat', { hasText: 'Distancia' })).toContainText(km);
  await expect(route.getByRole('img', { name: /Perfil de elevación: 14\d,\d km/ })).toBeVisible();
});

test('admin: creates, edits and deletes a cycling type; riders cannot reach the page', async ({ browser }) => {
  await needs('GET /admin/cycling-types', 'POST /admin/cycling-types', 'PUT /admin/cycling-types/{code}', 'DELETE /admin/cycling-types/{code}');
  const code = `e2e_${runId}`;
  const { page: admin } = await signedInPage(browser, { ...harness.admin });
  try {
    await admin.goto('/feed');
    await admin.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Tipos de ciclismo' }).click();
    await expect(admin).toHaveURL(/\/admin\/cycling-types$/);
    await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Tipos de ciclismo');

    await admin.getByLabel('Código').fill(code);
    await admin.getByLabel('Nombre', { exact: true }).fill('Cicloturismo lento');
    await admin.getByLabel('Descripción (opcional)').fill('Etapas cortas con alforjas.');
    await admin.getByRole('button', { name: 'Crear tipo' }).click();
    const row = admin.getByRole('row', { name: new RegExp(code) });
    await expect(row).toContainText('Cicloturismo lento');
    await expect(row).toContainText('Activo');

    await row.getByRole('button', { name: 'Editar' }).click();
    await row.getByLabel(`Nombre ${code}`).fill('Cicloturismo pausado');
    await row.getByRole('button', { name: 'Guardar' }).click();
    await expect(row).toContainText('Cicloturismo pausado');
    await admin.reload();
    await expect(admin.getByRole('row', { name: new RegExp(code) })).toContainText('Cicloturismo pausado');
    const publicTypes = await apiData<{ code: string; display_name: string }[]>('/cycling-types');
    expect(publicTypes.find((t) => t.code === code)?.display_name).toBe('Cicloturismo pausado');

    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByRole('row', { name: new RegExp(code) }).getByRole('button', { name: 'Borrar definitivamente' }).click();
    await expect(admin.getByRole('row', { name: new RegExp(code) })).toHaveCount(0);
    await admin.reload();
    await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Tipos de ciclismo');
    await expect(admin.getByRole('row', { name: new RegExp(code) })).toHaveCount(0);
    expect((await apiData<{ code: string }[]>('/cycling-types')).some((t) => t.code === code)).toBe(false);
  } finally {
    await admin.context().close();
  }

  // A rider: no link in the menu, and the page refuses (the API answers 403).
  await page.goto('/feed');
  await expect(page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Ajustes' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Tipos de ciclismo' })).toHaveCount(0);
  await page.goto('/admin/cycling-types');
  await expect(page.getByRole('alert').filter({ hasText: 'Solo los administradores pueden gestionar los tipos de ciclismo.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Crear tipo' })).toHaveCount(0);
  expect((await call('/admin/cycling-types', { token: tokens.access_token })).status).toBe(403);

  // A visitor is sent to the login page.
  const visitor = await browser.newContext({ baseURL: harness.webUrl, locale: 'es-ES' });
  const anon = await visitor.newPage();
  await anon.goto('/admin/cycling-types');
  await expect(anon).toHaveURL(/\/login\?next=%2Fadmin%2Fcycling-types$/);
  await visitor.close();
});

test('profile photo: preview, a moving progress bar, then the new photo everywhere', async () => {
  await needs('POST /users/{username}/profile/photo');
  await page.goto('/settings');
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Foto de perfil' }) });
  await expect(section.locator('.avatar--initials')).toBeVisible();

  // About 470 kB of noise, sent at 160 kB/s: the upload takes ~3 s, long enough to watch.
  await section.getByTestId('avatar-input').setInputFiles({ name: 'retrato.png', mimeType: 'image/png', buffer: makeNoisePng(400, 390, 7) });
  const preview = section.getByRole('img', { name: 'Vista previa' });
  await expect(preview).toBeVisible();
  await expect(preview).toHaveAttribute('src', /^blob:/);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 160 * 1024 });
  try {
    await section.getByRole('button', { name: 'Subir foto' }).click();
    const bar = section.getByRole('progressbar', { name: 'Progreso de subida' });
    await expect(bar).toBeVisible();
    // It moves: some value strictly between 0 and 100 shows up while the bytes go out.
    await expect
      .poll(async () => Number((await bar.getAttribute('aria-valuenow').catch(() => null)) ?? -1), { intervals: [100], timeout: 15_000 })
      .toBeGreaterThan(0);
    const midway = Number((await bar.getAttribute('aria-valuenow').catch(() => '100')) ?? 100);
    expect(midway, 'progress seen before the upload finished').toBeLessThan(100);
    await expect(section.getByRole('status').filter({ hasText: 'Foto de perfil actualizada correctamente' })).toBeVisible({ timeout: 30_000 });
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  }
  await expect(section.getByRole('progressbar')).toHaveCount(0);
  await expect(preview).toHaveCount(0);

  const photo = section.getByRole('img', { name: `Foto de ${rider.username}` });
  await expect(photo).toHaveAttribute('src', /\/storage\/profile_photos\/.+/);
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await expect(nav.getByRole('img', { name: `Foto de ${rider.username}` })).toHaveAttribute('src', /\/storage\/profile_photos\//);

  // Saved: after a reload, and on the public profile.
  await page.reload();
  await expect(section.getByRole('img', { name: `Foto de ${rider.username}` })).toBeVisible();
  await page.goto(`/users/${rider.username}`);
  const avatar = page.locator('main').getByRole('img', { name: `Foto de ${rider.username}` }).first();
  await expect(avatar).toBeVisible();
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
});

test('changes the password, then deletes the account', async () => {
  await needs('PUT /users/{username}/profile/password', 'DELETE /auth/me');
  const newPassword = `Cadencia#${runId}7`;
  await page.goto('/settings');
  const passwordSection = page.locator('section', { has: page.getByRole('heading', { name: 'Contraseña', exact: true }) });
  await passwordSection.getByLabel('Contraseña actual').fill(rider.password);
  await passwordSection.getByLabel('Contraseña nueva').fill(newPassword);
  await passwordSection.getByLabel('Repite la contraseña').fill(newPassword);
  await passwordSection.getByRole('button', { name: 'Cambiar contraseña' }).click();
  await expect(passwordSection.getByRole('status')).toHaveText('Contraseña cambiada correctamente');

  // The old password no longer opens the account; the new one does.
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await nav.getByRole('button', { name: 'Salir' }).click();
  await expect(page).toHaveURL(`${harness.webUrl}/`);
  await expect(nav.getByRole('link', { name: 'Entrar' })).toBeVisible();
  await page.goto('/login');
  await page.getByLabel('Email o usuario').fill(rider.username);
  await page.getByLabel('Contraseña', { exact: true }).fill(rider.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Email/usuario o contraseña incorrectos' })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await uiLogin(page, { username: rider.username, password: newPassword });

  // Delete the account (password + confirmation dialog).
  await page.goto('/settings');
  const danger = page.locator('section', { has: page.getByRole('heading', { name: 'Eliminar cuenta' }) });
  await danger.getByLabel('Escribe tu contraseña para confirmar').fill(newPassword);
  page.once('dialog', (dialog) => void dialog.accept());
  await danger.getByRole('button', { name: 'Eliminar mi cuenta' }).click();
  await expect(page).toHaveURL(`${harness.webUrl}/`);
  await expect(nav.getByRole('link', { name: 'Entrar' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Tu cuenta se ha eliminado.' })).toBeVisible();

  // Gone: no login with either password, no profile, no trips.
  await page.goto('/login');
  await page.getByLabel('Email o usuario').fill(rider.username);
  await page.getByLabel('Contraseña', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Email/usuario o contraseña incorrectos' })).toBeVisible();
  expect((await call('/auth/login', { method: 'POST', json: { login: rider.username, password: newPassword } })).status).toBe(401);
  await page.goto(`/users/${rider.username}`);
  await expect(page.getByRole('alert').filter({ hasText: `El usuario '${rider.username}' no existe` })).toBeVisible();
  expect((await call(`/users/${rider.username}/profile`)).status).toBe(404);
  if (wizardTripId) expect((await call(`/trips/${wizardTripId}`)).status).toBe(404);
});
