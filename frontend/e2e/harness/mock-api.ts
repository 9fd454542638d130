/**
 * An in-browser fake of the ContraVento API (contract shapes), for UI specs that must run
 * without a backend: page.route() answers every /api request.  Map tiles and the geocoder
 * are made to fail, as they would with no internet.
 */
import type { Page, Route } from '@playwright/test';
import { makePng } from './png';

const now = '2024-06-01T10:00:00Z';
const author = { user_id: 'u-lucia', username: 'lucia_rueda', full_name: 'Lucía Rueda', profile_photo_url: null, is_following: false };
const me = {
  user_id: 'u-marta',
  username: 'marta_pedales',
  email: 'marta@example.com',
  is_verified: true,
  profile_visibility: 'public',
  trip_visibility: 'public',
  created_at: '2023-03-14T09:00:00Z',
  photo_url: null,
  bio: 'Cicloturista de fin de semana.',
  location: 'Valladolid',
  cycling_type: 'touring',
};

const titles = [
  ['t-1', 'Vía Verde del Aceite: de Jaén a Córdoba', 128.5, 'Jaén', [196, 120, 60]],
  ['t-2', 'Bikepacking por el Valle de Ordesa', 320, 'Torla', [70, 120, 90]],
  ['t-3', 'Camino de Santiago: León a Astorga', 52, 'León', [150, 100, 70]],
  ['t-4', 'Vuelta al Lago de Sanabria', 45, 'Puebla de Sanabria', [60, 100, 140]],
] as const;

function trackPoints() {
  const points = [];
  for (let i = 0; i <= 120; i += 1) {
    const f = i / 120;
    points.push({
      point_id: `p${i}`,
      latitude: 42.5987 - f * 0.14 + Math.sin(f * 9) * 0.01,
      longitude: -5.5671 - f * 0.49,
      elevation: 830 + Math.sin(f * 6) * 60 + f * 40,
      distance_km: Math.round(f * 52 * 1000) / 1000,
      sequence: i,
      gradient: null,
    });
  }
  return points;
}

export const mockTrip = {
  trip_id: 't-3',
  user_id: author.user_id,
  author,
  title: 'Camino de Santiago: León a Astorga',
  description:
    '<p>Salimos de León con la catedral aún iluminada y el viento del oeste de cara.</p><p>La meseta se hace larga, pero los pueblos de adobe y el puente de Hospital de Órbigo compensan cada pedalada.</p>',
  status: 'published',
  start_date: '2024-05-11',
  end_date: '2024-05-11',
  distance_km: 52,
  difficulty: 'moderate',
  is_private: false,
  created_at: now,
  updated_at: now,
  published_at: now,
  photos: [0, 1, 2].map((i) => ({
    id: `ph-${i}`,
    photo_url: `/storage/trip_photos/demo-${i}.png`,
    thumbnail_url: `/storage/trip_photos/demo-${i}.png`,
    caption: null,
    order: i,
    width: 960,
    height: 600,
  })),
  locations: [
    { location_id: 'l1', name: 'León', latitude: 42.598726, longitude: -5.567095, sequence: 0 },
    { location_id: 'l2', name: 'Hospital de Órbigo', latitude: 42.4637, longitude: -5.8813, sequence: 1 },
    { location_id: 'l3', name: 'Astorga', latitude: 42.4588, longitude: -6.0563, sequence: 2 },
  ],
  tags: [
    { tag_id: 'g1', name: 'camino', normalized: 'camino', usage_count: 4 },
    { tag_id: 'g2', name: 'meseta', normalized: 'meseta', usage_count: 2 },
  ],
  like_count: 7,
  is_liked: false,
  gpx_file: {
    gpx_file_id: 'gpx-1',
    trip_id: 't-3',
    file_name: 'leon-astorga.gpx',
    file_size: 184000,
    distance_km: 52,
    elevation_gain: 410,
    elevation_loss: 330,
    max_elevation: 930,
    min_elevation: 780,
    total_points: 4100,
    simplified_points: 121,
    has_elevation: true,
    has_timestamps: true,
    processing_status: 'completed',
    error_message: null,
    uploaded_at: now,
    processed_at: now,
  },
};

function publicFeed() {
  return {
    trips: titles.map(([id, title, km, place], i) => ({
      trip_id: id,
      title,
      start_date: `2024-0${5 - (i % 3)}-1${i}`,
      distance_km: km,
      photo: { photo_url: `/storage/trip_photos/demo-${i}.png`, thumbnail_url: `/storage/trip_photos/demo-${i}.png` },
      location: { name: place },
      author: { user_id: author.user_id, username: author.username, profile_photo_url: null, is_following: null },
      published_at: now,
      like_count: 3 + i,
      is_liked: null,
    })),
    pagination: { total: 4, page: 1, limit: 12, total_pages: 1 },
  };
}

function feed() {
  return {
    trips: titles.map(([id, title, km, place], i) => ({
      trip_id: id,
      title,
      description: '<p>Una jornada de sol, viento y caminos de tierra entre pueblos con encanto.</p>',
      author,
      photos: [{ photo_url: `/storage/trip_photos/demo-${i}.png`, caption: null }],
      distance_km: km,
      start_date: '2024-05-11',
      end_date: null,
      locations: [{ name: place, latitude: 42.5, longitude: -5.6 }],
      tags: [{ name: 'gravel', normalized: 'gravel' }],
      likes_count: 2 + i,
      comments_count: i,
      shares_count: 0,
      is_liked_by_me: i === 0,
      created_at: now,
    })),
    total_count: 4,
    page: 1,
    limit: 10,
    has_more: false,
  };
}

const envelope = (data: unknown, message?: string) => ({ success: true, data, error: null, ...(message ? { message } : {}) });

export interface MockOptions {
  loggedIn?: boolean;
}

export async function installMockApi(page: Page, options: MockOptions = {}): Promise<void> {
  const photos = [makePng(960, 600, [196, 120, 60]), makePng(960, 600, [70, 120, 90]), makePng(960, 600, [150, 100, 70]), makePng(960, 600, [60, 100, 140])];
  let loggedIn = Boolean(options.loggedIn);
  const wizardPois: Record<string, unknown>[] = [];
  if (loggedIn) {
    await page.addInitScript(() => {
      window.localStorage.setItem('contravento.access_token', 'mock-access');
      window.localStorage.setItem('contravento.refresh_token', 'mock-refresh');
    });
  }

  // No internet: tiles and geocoding fail, and the app must cope.
  await page.route(/tile\.openstreetmap\.org|nominatim\.openstreetmap\.org/, (route) => route.abort('internetdisconnected'));

  await page.route('**/api/**', async (route: Route) => {
    const url = new URL(route.request().url());
    const path = url.pathname.replace(/^\/api/, '');
    const method = route.request().method();
    const json = (body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

    if (path.startsWith('/storage/')) {
      const n = Number(/demo-(\d)/.exec(path)?.[1] ?? 0);
      return route.fulfill({ status: 200, contentType: 'image/png', body: photos[n % photos.length] });
    }
    if (path === '/auth/login' && method === 'POST') {
      loggedIn = true;
      return json(envelope({ access_token: 'mock-access', refresh_token: 'mock-refresh', token_type: 'bearer', expires_in: 900, user: me }));
    }
    if (path === '/auth/me') return loggedIn ? json(envelope(me)) : json({ success: false, data: null, error: { code: 'UNAUTHORIZED', message: 'No autenticado' } }, 401);
    if (path === '/auth/logout') {
      loggedIn = false;
      return json(envelope(null, 'Sesión cerrada correctamente'));
    }
    if (path === '/auth/register') {
      return json({ success: true, data: { user_id: 'u-new', username: 'nuevo', email: 'nuevo@example.com', is_verified: false, is_active: true, created_at: now }, error: null, message: 'Usuario registrado.' }, 201);
    }
    if (path === '/gpx/analyze' && method === 'POST') {
      return json(
        envelope({
          distance_km: 52.3,
          elevation_gain: 412,
          elevation_loss: 331,
          max_elevation: 931,
          min_elevation: 779,
          has_elevation: true,
          has_timestamps: true,
          start_date: '2024-05-11',
          end_date: '2024-05-11',
          total_time_minutes: 236,
          moving_time_minutes: 175,
          difficulty: 'moderate',
          suggested_title: 'León Astorga',
          trackpoints: trackPoints().map(({ latitude, longitude, elevation, distance_km }) => ({ latitude, longitude, elevation, distance_km })),
        }),
      );
    }
    if (path === '/trips/gpx-wizard' && method === 'POST') {
      return json(
        envelope({
          trip_id: 't-wizard',
          title: 'León Astorga',
          description: '<p>…</p>',
          start_date: '2024-05-11',
          end_date: '2024-05-11',
          distance_km: 52.3,
          difficulty: 'moderate',
          status: 'draft',
          gpx_file: { gpx_file_id: 'gpx-w', total_distance_km: 52.3, elevation_gain: 412, elevation_loss: 331, max_elevation: 931, min_elevation: 779, has_elevation: true, difficulty: 'moderate' },
        }),
        201,
      );
    }
    if (path === '/trips/t-wizard/pois') {
      if (method === 'POST') {
        const body = route.request().postDataJSON() as Record<string, unknown>;
        wizardPois.push({ poi_id: `wp${wizardPois.length}`, trip_id: 't-wizard', photo_url: null, created_at: now, description: null, distance_from_start_km: null, ...body });
        return json(wizardPois[wizardPois.length - 1], 201);
      }
      return json({ pois: wizardPois, total: wizardPois.length });
    }
    if (path === '/trips/public') return json(publicFeed());
    if (path === '/feed') return json(feed());
    if (path === '/tags') return json(envelope({ tags: mockTrip.tags.map((t) => ({ ...t, created_at: now })), count: 2 }));
    if (/^\/trips\/[^/]+$/.test(path) && method === 'GET') {
      const id = path.split('/')[2];
      const owned = id === 't-mine';
      return json(envelope(owned ? { ...mockTrip, trip_id: 't-mine', user_id: me.user_id, author: { ...author, ...me, profile_photo_url: null }, status: 'draft', published_at: null } : mockTrip));
    }
    if (/^\/trips\/[^/]+\/pois$/.test(path)) {
      return json({
        pois: [
          { poi_id: 'poi1', trip_id: 't-3', name: 'Puente de Órbigo', description: 'Puente medieval de 20 arcos.', poi_type: 'viewpoint', latitude: 42.4637, longitude: -5.8813, distance_from_start_km: 31.2, photo_url: null, sequence: 0, created_at: now },
        ],
        total: 1,
      });
    }
    if (/^\/trips\/[^/]+\/comments$/.test(path)) {
      return json(
        envelope({
          items: [
            { id: 'c1', user_id: 'u-pablo', trip_id: 't-3', content: '¡Qué envidia! Yo la hice en marzo con lluvia.', created_at: now, updated_at: null, is_edited: false, author: { user_id: 'u-pablo', username: 'pablo_gravel', full_name: null, profile_photo_url: null } },
          ],
          total: 1,
          limit: 50,
          offset: 0,
        }),
      );
    }
    if (/^\/trips\/[^/]+\/like$/.test(path)) return json(envelope({ like_id: 'k', user_id: me.user_id, trip_id: 't-3', created_at: now }), method === 'POST' ? 201 : 200);
    if (path === '/gpx/gpx-1/track') {
      return json({
        success: true,
        data: {
          gpx_file_id: 'gpx-1',
          trip_id: 't-3',
          distance_km: 52,
          elevation_gain: 410,
          simplified_points_count: 121,
          has_elevation: true,
          start_point: { latitude: 42.5987, longitude: -5.5671 },
          end_point: { latitude: 42.4588, longitude: -6.0563 },
          trackpoints: trackPoints(),
          route_statistics: {
            stats_id: 's1',
            gpx_file_id: 'gpx-1',
            avg_speed_kmh: 17.8,
            max_speed_kmh: 41.2,
            total_time_minutes: 236,
            moving_time_minutes: 175,
            avg_gradient: 2.1,
            max_gradient: 7.5,
            top_climbs: [{ start_km: 40.2, end_km: 44.9, elevation_gain_m: 62, avg_gradient: 3.4, description: 'Subida 1' }],
            created_at: now,
            gradient_distribution: {
              llano: { distance_km: 38.1, percentage: 73 },
              moderado: { distance_km: 10.4, percentage: 20 },
              empinado: { distance_km: 3.5, percentage: 7 },
              muy_empinado: { distance_km: 0, percentage: 0 },
            },
          },
        },
      });
    }
    const userMatch = /^\/users\/([^/]+)\/(profile|stats|achievements|trips|followers|following)$/.exec(path);
    if (userMatch) {
      const [, username, what] = userMatch;
      const isMe = username === me.username;
      if (what === 'profile') {
        return json({
          username,
          full_name: isMe ? 'Marta Pedales' : author.full_name,
          bio: isMe ? me.bio : 'Rutas largas, café corto. Siempre buscando el próximo puerto.',
          photo_url: null,
          location: isMe ? 'Valladolid' : 'Granada',
          cycling_type: 'touring',
          profile_visibility: 'public',
          trip_visibility: 'public',
          show_email: false,
          show_location: true,
          followers_count: 42,
          following_count: 17,
          is_following: loggedIn && !isMe ? false : null,
          stats: { total_trips: 12, total_kilometers: 2310.5, achievements_count: 3 },
          created_at: '2023-03-14T09:00:00Z',
        });
      }
      if (what === 'stats') {
        return json(envelope({ total_trips: 12, total_kilometers: 2310.5, countries_visited: [{ code: 'ES', name: 'España' }, { code: 'PT', name: 'Portugal' }], total_photos: 64, achievements_count: 3, last_trip_date: '2024-05-11', updated_at: now }));
      }
      if (what === 'achievements') {
        return json(
          envelope({
            achievements: [
              { code: 'FIRST_TRIP', name: 'Primer Viaje', description: 'Publicaste tu primer viaje', badge_icon: '🚴', requirement_type: 'trips', requirement_value: 1, awarded_at: '2023-04-01T10:00:00Z' },
              { code: 'CENTURY', name: 'Centurión', description: 'Recorriste 100 km en total', badge_icon: '💯', requirement_type: 'distance', requirement_value: 100, awarded_at: '2023-05-01T10:00:00Z' },
              { code: 'VOYAGER', name: 'Viajero', description: 'Acumulaste 1000 km', badge_icon: '🌍', requirement_type: 'distance', requirement_value: 1000, awarded_at: '2023-09-01T10:00:00Z' },
            ],
            total_count: 3,
          }),
        );
      }
      if (what === 'trips') {
        return json(
          envelope({
            trips: titles.map(([id, title, km], i) => ({
              trip_id: id,
              user_id: author.user_id,
              title,
              description: '<p>Una ruta para repetir.</p>',
              start_date: `2024-0${5 - (i % 3)}-1${i}`,
              end_date: null,
              distance_km: km,
              status: isMe && i === 3 ? 'draft' : 'published',
              is_private: false,
              photo_count: 3,
              tag_names: ['gravel', 'verano'],
              thumbnail_url: `/storage/trip_photos/demo-${i}.png`,
              created_at: now,
              updated_at: now,
            })),
            count: 4,
            limit: 12,
            offset: 0,
          }),
        );
      }
      const people = ['pablo_gravel', 'ana_montes', 'iker_bici'].map((u, i) => ({ username: u, full_name: null, profile_photo_url: null, bio: i === 0 ? 'Gravel y café.' : null, followers_count: 10 + i, following_count: 5 }));
      return json(envelope({ [what]: people, total_count: 3, page: 1, limit: 20, has_more: false }));
    }
    if (path === '/achievements') return json(envelope({ achievements: [], total_count: 0 }));
    if (path === '/cycling-types') return json([{ code: 'touring', display_name: 'Cicloturismo', description: null }, { code: 'gravel', display_name: 'Gravel', description: null }]);
    if (path.startsWith('/admin/')) return json({ success: false, data: null, error: { code: 'FORBIDDEN', message: 'Acceso denegado. Se requiere rol de administrador.' } }, 403);
    return json({ success: false, data: null, error: { code: 'HTTP_404', message: 'Not Found' } }, 404);
  });
}
