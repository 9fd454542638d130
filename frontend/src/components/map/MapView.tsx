import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { config } from '../../config';
import { useI18n } from '../../i18n/core';

export interface MapMarker {
  id: string;
  lat: number;
  lon: number;
  label: string;
  /** Short text inside the pin (a number, an initial). */
  badge?: string;
  kind?: 'location' | 'poi' | 'start' | 'end' | 'draft';
}

export interface MapViewProps {
  label: string;
  markers?: MapMarker[];
  track?: [number, number][];
  /** A point to emphasise (e.g. the elevation chart's cursor). */
  highlight?: [number, number] | null;
  onMapClick?: (lat: number, lon: number) => void;
  onMarkerClick?: (id: string) => void;
  height?: number;
  className?: string;
}

/** A 1×1 transparent GIF shown in place of tiles that fail to load. */
const BLANK_TILE = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pinIcon(marker: MapMarker): L.DivIcon {
  return L.divIcon({
    className: `pin pin--${marker.kind ?? 'location'}`,
    html: `<span class="pin__body"><span class="pin__badge">${escapeText(marker.badge ?? '')}</span></span>`,
    iconSize: [30, 38],
    iconAnchor: [15, 36],
    popupAnchor: [0, -32],
  });
}

/**
 * Leaflet map.  Tiles come from VITE_MAP_TILE_URL; when they cannot load (offline, blocked)
 * the map keeps working on a plain background, markers and track included, and a quiet note
 * says so.  Tile errors never reach the console or the error boundary.
 */
export function MapView({ label, markers = [], track = [], highlight, onMapClick, onMarkerClick, height = 360, className }: MapViewProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const highlightRef = useRef<L.CircleMarker | null>(null);
  const clickRef = useRef(onMapClick);
  const markerClickRef = useRef(onMarkerClick);
  const [tilesFailed, setTilesFailed] = useState(false);

  useEffect(() => {
    clickRef.current = onMapClick;
    markerClickRef.current = onMarkerClick;
  });

  // Create the map once.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let map: L.Map;
    try {
      map = L.map(container, {
        center: config.defaultCenter,
        zoom: config.defaultZoom,
        scrollWheelZoom: false,
        attributionControl: true,
      });
    } catch {
      return;
    }
    mapRef.current = map;
    const tiles = L.tileLayer(config.mapTileUrl, {
      attribution: config.mapAttribution,
      maxZoom: 18,
      errorTileUrl: BLANK_TILE,
      crossOrigin: true,
    });
    let failures = 0;
    tiles.on('tileerror', () => {
      failures += 1;
      if (failures === 1) setTilesFailed(true);
    });
    tiles.on('tileload', () => {
      if (failures === 0) setTilesFailed(false);
    });
    tiles.addTo(map);
    layerRef.current = L.layerGroup().addTo(map);
    map.on('click', (event: L.LeafletMouseEvent) => clickRef.current?.(event.latlng.lat, event.latlng.lng));

    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => {
        try {
          map.invalidateSize();
        } catch {
          // detached
        }
      });
      observer.observe(container);
    }
    return () => {
      observer?.disconnect();
      map.off();
      map.remove();
      mapRef.current = null;
      layerRef.current = null;
      highlightRef.current = null;
    };
  }, []);

  // Draw markers and track, then frame them.
  const markersKey = JSON.stringify(markers);
  const trackKey = track.length ? `${track.length}:${track[0]}:${track[track.length - 1]}` : '';
  useEffect(() => {
    const map = mapRef.current;
    const layer = layerRef.current;
    if (!map || !layer) return;
    layer.clearLayers();
    const points: L.LatLngExpression[] = [];
    if (track.length > 1) {
      L.polyline(track, { color: '#b4441c', weight: 4, opacity: 0.9 }).addTo(layer);
      points.push(...track);
    }
    for (const marker of markers) {
      if (!Number.isFinite(marker.lat) || !Number.isFinite(marker.lon)) continue;
      const m = L.marker([marker.lat, marker.lon], {
        icon: pinIcon(marker),
        title: marker.label,
        alt: marker.label,
        keyboard: true,
      });
      m.bindTooltip(escapeText(marker.label));
      m.on('click', () => markerClickRef.current?.(marker.id));
      m.addTo(layer);
      points.push([marker.lat, marker.lon]);
    }
    try {
      if (points.length === 1) map.setView(points[0], 11);
      else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [28, 28], maxZoom: 14 });
    } catch {
      // A zero-size container (hidden tab, tests) cannot be framed; it will be on resize.
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [markersKey, trackKey]);

  // Elevation cursor.
  const hlKey = highlight ? highlight.join(',') : '';
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!highlight) {
      highlightRef.current?.remove();
      highlightRef.current = null;
      return;
    }
    if (!highlightRef.current) {
      highlightRef.current = L.circleMarker(highlight, {
        radius: 7,
        color: '#fff',
        weight: 3,
        fillColor: '#2f6b4f',
        fillOpacity: 1,
      }).addTo(map);
    } else highlightRef.current.setLatLng(highlight);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hlKey]);

  return (
    <figure className={`map${className ? ` ${className}` : ''}`}>
      <div
        ref={containerRef}
        className="map__canvas"
        style={{ height }}
        role="region"
        aria-label={label}
        data-testid="map"
      />
      {tilesFailed && (
        <figcaption className="map__note" data-testid="map-tiles-note">
          {t('map.tilesUnavailable')}
        </figcaption>
      )}
    </figure>
  );
}

export default MapView;
