/**
 * Place search and reverse geocoding through a Nominatim-compatible service
 * (VITE_GEOCODER_URL).  Every failure (offline, blocked, slow, disabled) resolves to a
 * `GeocoderUnavailable` error the UI turns into a hint; nothing throws past the caller.
 */
import { config } from '../../config';

export interface Place {
  name: string;
  label: string;
  lat: number;
  lon: number;
}

export class GeocoderUnavailable extends Error {
  constructor() {
    super('geocoder unavailable');
    this.name = 'GeocoderUnavailable';
  }
}

const TIMEOUT_MS = 6000;
const cache = new Map<string, unknown>();

async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  if (!config.geocoderUrl) throw new GeocoderUnavailable();
  const cached = cache.get(url);
  if (cached !== undefined) return cached;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/json' } });
    if (!response.ok) throw new GeocoderUnavailable();
    const body: unknown = await response.json();
    if (cache.size > 50) cache.delete(cache.keys().next().value as string);
    cache.set(url, body);
    return body;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new GeocoderUnavailable();
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

interface NominatimPlace {
  display_name?: string;
  name?: string;
  lat?: string;
  lon?: string;
  address?: Record<string, string>;
}

function toPlace(item: NominatimPlace): Place | null {
  const lat = Number(item.lat);
  const lon = Number(item.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const label = item.display_name ?? `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
  const a = item.address ?? {};
  const name = item.name || a.village || a.town || a.city || a.hamlet || a.municipality || label.split(',')[0];
  return { name: name.slice(0, 200), label, lat: Number(lat.toFixed(6)), lon: Number(lon.toFixed(6)) };
}

export async function searchPlaces(query: string, lang: string, signal?: AbortSignal): Promise<Place[]> {
  const params = new URLSearchParams({ q: query, format: 'jsonv2', limit: '6', addressdetails: '1', 'accept-language': lang });
  const body = await getJson(`${config.geocoderUrl}/search?${params}`, signal);
  if (!Array.isArray(body)) return [];
  return body.map((item) => toPlace(item as NominatimPlace)).filter((p): p is Place => p !== null);
}

export async function reversePlace(lat: number, lon: number, lang: string, signal?: AbortSignal): Promise<Place | null> {
  const params = new URLSearchParams({
    lat: lat.toFixed(6),
    lon: lon.toFixed(6),
    format: 'jsonv2',
    zoom: '14',
    addressdetails: '1',
    'accept-language': lang,
  });
  const body = await getJson(`${config.geocoderUrl}/reverse?${params}`, signal);
  if (!body || typeof body !== 'object' || 'error' in body) return null;
  return toPlace(body as NominatimPlace);
}

export function __clearGeocoderCache(): void {
  cache.clear();
}
