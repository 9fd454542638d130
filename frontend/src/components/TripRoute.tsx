import { useEffect, useMemo, useState } from 'react';
import { gpxApi } from '../api/endpoints';
import type { GpxFileMetadata, PoiResponse, TrackData, TripLocation } from '../api/types';
import { useI18n } from '../i18n/core';
import ElevationProfile from './ElevationProfile';
import { GpxDownloadButton } from './GpxDownloadButton';
import MapView, { type MapMarker } from './map/MapView';
import { ErrorState, LoadingState, StatTile } from './ui';

function minutes(value: number | null | undefined, lang: string): string {
  if (value == null) return '—';
  const h = Math.floor(value / 60);
  const m = Math.round(value % 60);
  return lang === 'es' ? `${h} h ${m} min` : `${h}h ${m}m`;
}

/** The trip's map (places, POIs, GPX track), elevation profile and route statistics. */
export function TripRoute({
  title,
  locations,
  pois,
  gpx,
}: {
  title: string;
  locations: TripLocation[];
  pois: PoiResponse[];
  gpx: GpxFileMetadata | null;
}) {
  const { t, lang, formatNumber } = useI18n();
  const [track, setTrack] = useState<TrackData | null>(null);
  const [trackError, setTrackError] = useState<unknown>(null);
  const [status, setStatus] = useState(gpx?.processing_status ?? null);
  const [cursor, setCursor] = useState<number | null>(null);
  const gpxId = gpx?.gpx_file_id;

  // Poll while the backend processes a large file, then fetch the simplified track.
  useEffect(() => {
    if (!gpxId) return;
    let cancelled = false;
    let timer: number | undefined;
    const fetchTrack = () =>
      gpxApi.track(gpxId).then(
        (data) => !cancelled && setTrack(data),
        (error) => !cancelled && setTrackError(error),
      );
    const poll = () =>
      gpxApi.status(gpxId).then(
        (s) => {
          if (cancelled) return;
          setStatus(s.processing_status);
          if (s.processing_status === 'completed') void fetchTrack();
          else if (s.processing_status !== 'failed') timer = window.setTimeout(poll, 2500);
        },
        (error) => !cancelled && setTrackError(error),
      );
    if (gpx?.processing_status === 'completed') void fetchTrack();
    else void poll();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [gpxId, gpx?.processing_status]);

  const markers = useMemo<MapMarker[]>(() => {
    const list: MapMarker[] = [];
    locations
      .filter((l) => l.latitude != null && l.longitude != null)
      .sort((a, b) => a.sequence - b.sequence)
      .forEach((l, i) => list.push({ id: `loc-${l.location_id}`, lat: l.latitude!, lon: l.longitude!, label: l.name, badge: String(i + 1) }));
    pois.forEach((p) =>
      list.push({ id: `poi-${p.poi_id}`, lat: p.latitude, lon: p.longitude, label: `${p.name} · ${t(`poi.${p.poi_type}`)}`, badge: '★', kind: 'poi' }),
    );
    return list;
  }, [locations, pois, t]);

  const line = useMemo<[number, number][]>(() => track?.trackpoints.map((p) => [p.latitude, p.longitude]) ?? [], [track]);
  const highlight = cursor !== null && track ? ([track.trackpoints[cursor].latitude, track.trackpoints[cursor].longitude] as [number, number]) : null;
  const stats = track?.route_statistics ?? null;

  if (markers.length === 0 && !gpx) return null;

  return (
    <section className="section trip-route" aria-labelledby="route-title">
      <h2 id="route-title">{gpx ? t('trip.route') : t('trip.map')}</h2>
      <MapView label={`${t('map.label')}: ${title}`} markers={markers} track={line} highlight={highlight} height={380} />
      {gpx && (
        <>
          {status && status !== 'completed' && status !== 'failed' && <LoadingState label={t('trip.gpxProcessing')} />}
          {status === 'failed' && <p className="form-error">{gpx.error_message ?? t('trip.gpxFailed')}</p>}
          {trackError !== null && <ErrorState error={trackError} />}
          <dl className="stats-grid">
            <StatTile label={t('trip.distance')} value={t('common.km', { value: formatNumber(track?.distance_km ?? gpx.distance_km, 1) })} />
            {gpx.elevation_gain != null && <StatTile label={t('trip.elevationGain')} value={t('common.m', { value: formatNumber(gpx.elevation_gain, 0) })} />}
            {gpx.elevation_loss != null && <StatTile label={t('trip.elevationLoss')} value={t('common.m', { value: formatNumber(gpx.elevation_loss, 0) })} />}
            {gpx.max_elevation != null && <StatTile label={t('trip.maxElevation')} value={t('common.m', { value: formatNumber(gpx.max_elevation, 0) })} />}
            {gpx.min_elevation != null && <StatTile label={t('trip.minElevation')} value={t('common.m', { value: formatNumber(gpx.min_elevation, 0) })} />}
            {stats?.avg_speed_kmh != null && <StatTile label={t('trip.avgSpeed')} value={`${formatNumber(stats.avg_speed_kmh, 1)} km/h`} />}
            {stats?.max_speed_kmh != null && <StatTile label={t('trip.maxSpeed')} value={`${formatNumber(stats.max_speed_kmh, 1)} km/h`} />}
            {stats?.moving_time_minutes != null && <StatTile label={t('trip.movingTime')} value={minutes(stats.moving_time_minutes, lang)} />}
            {stats?.total_time_minutes != null && <StatTile label={t('trip.totalTime')} value={minutes(stats.total_time_minutes, lang)} />}
          </dl>
          {track && (
            <>
              <h3>{t('trip.elevation')}</h3>
              <ElevationProfile points={track.trackpoints} onCursor={setCursor} />
            </>
          )}
          {stats?.gradient_distribution && (
            <>
              <h3>{t('trip.gradients')}</h3>
              <ul className="gradient-bars">
                {(['llano', 'moderado', 'empinado', 'muy_empinado'] as const).map((k) => {
                  const bucket = stats.gradient_distribution?.[k];
                  if (!bucket) return null;
                  return (
                    <li key={k}>
                      <span className="gradient-bars__label">{t(`trip.gradient.${k}`)}</span>
                      <span className="gradient-bars__bar" aria-hidden="true">
                        <span className={`gradient-bars__fill gradient-bars__fill--${k}`} style={{ width: `${Math.min(100, bucket.percentage)}%` }} />
                      </span>
                      <span>{formatNumber(bucket.percentage, 0)} % · {formatNumber(bucket.distance_km, 1)} km</span>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {stats?.top_climbs && stats.top_climbs.length > 0 && (
            <>
              <h3>{t('trip.climbs')}</h3>
              <ol className="climbs">
                {stats.top_climbs.map((c) => (
                  <li key={`${c.start_km}-${c.end_km}`}>
                    km {formatNumber(c.start_km, 1)}–{formatNumber(c.end_km, 1)} · +{formatNumber(c.elevation_gain_m, 0)} m ·{' '}
                    {formatNumber(c.avg_gradient, 1)} %
                  </li>
                ))}
              </ol>
            </>
          )}
          <GpxDownloadButton gpxFileId={gpx.gpx_file_id} title={title} />
        </>
      )}
    </section>
  );
}

export default TripRoute;
