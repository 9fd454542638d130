/** Build-time configuration (Vite env).  Defaults work with OpenStreetMap and Nominatim. */
const env = import.meta.env;

export const config = {
  mapTileUrl: env.VITE_MAP_TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  mapAttribution:
    env.VITE_MAP_ATTRIBUTION || '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
  /** Nominatim-compatible geocoder; an empty value disables search. */
  geocoderUrl: (env.VITE_GEOCODER_URL ?? 'https://nominatim.openstreetmap.org').replace(/\/$/, ''),
  /** Spain, where most of the seeded routes are. */
  defaultCenter: [40.4168, -3.7038] as [number, number],
  defaultZoom: 5,
  maxTripPhotos: 6,
  maxTags: 10,
  maxPois: 6,
};
