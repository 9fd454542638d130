import { useCallback, useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { gpxApi, tripsApi } from '../../api/endpoints';
import type { MapMarker } from '../../components/map/MapView';
import { useAuth } from '../../auth/AuthContext';
import { GpxSection } from '../../components/GpxSection';
import PoiEditor from '../../components/PoiEditor';
import { PhotoManager } from '../../components/PhotoManager';
import { useToast } from '../../components/toast';
import { ErrorState, LoadingState, usePageTitle } from '../../components/ui';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../i18n/core';
import { PublishButton } from '../TripDetailPage';
import { TripForm } from './TripForm';

export function NewTripPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const notify = useToast();
  usePageTitle(t('editor.newTitle'));
  return (
    <section className="section editor">
      <header className="page-header">
        <h1>{t('editor.newTitle')}</h1>
        <p className="lead">{t('editor.intro')}</p>
        <Link to="/trips/new/gpx" className="btn btn--ghost">
          {t('editor.useWizard')} →
        </Link>
      </header>
      <TripForm
        submitLabel={t('editor.saveDraft')}
        onSubmit={async ({ is_private: _ignored, ...payload }) => {
          const trip = await tripsApi.create(payload);
          notify(t('editor.created'));
          navigate(`/trips/${trip.trip_id}/edit#photos`, { replace: true });
        }}
      />
      <p className="notice">{t('editor.photosAfterSave')}</p>
    </section>
  );
}

export function EditTripPage() {
  const { tripId = '' } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const notify = useToast();
  const trip = useAsync(() => tripsApi.get(tripId), [tripId]);
  usePageTitle(t('editor.editTitle'));
  const gpxId = trip.data?.gpx_file?.processing_status === 'completed' ? trip.data.gpx_file.gpx_file_id : null;
  const track = useAsync(() => (gpxId ? gpxApi.track(gpxId).then((d) => d.trackpoints) : Promise.resolve([])), [gpxId]);
  const reloadTrip = trip.reload;
  const onGpxChange = useCallback(() => reloadTrip(), [reloadTrip]);
  const locationMarkers = useMemo<MapMarker[]>(
    () =>
      (trip.data?.locations ?? [])
        .filter((l) => l.latitude != null && l.longitude != null)
        .map((l, i) => ({ id: `loc-${l.location_id}`, lat: l.latitude!, lon: l.longitude!, label: l.name, badge: String(i + 1) })),
    [trip.data?.locations],
  );

  if (trip.loading && !trip.data) return <LoadingState />;
  if (trip.error || !trip.data) return <ErrorState error={trip.error} onRetry={trip.reload} />;
  const data = trip.data;
  if (user && data.user_id !== user.user_id) return <ErrorState error={null} title={t('errors.FORBIDDEN')} />;

  return (
    <section className="section editor">
      <header className="page-header">
        <h1>{t('editor.editTitle')}</h1>
        <p className="row">
          <Link to={`/trips/${data.trip_id}`} className="btn btn--ghost">
            {t('editor.viewTrip')} →
          </Link>
          <PublishButton trip={data} onPublished={(published_at) => trip.setData({ ...data, status: 'published', published_at })} />
        </p>
        {data.status === 'draft' && <p className="notice">{t('trip.publishHint')}</p>}
      </header>

      <TripForm
        key={data.updated_at}
        initial={data}
        submitLabel={t('editor.saveChanges')}
        onSubmit={async (payload) => {
          const updated = await tripsApi.update(data.trip_id, payload);
          trip.setData({ ...data, ...updated, photos: data.photos, like_count: data.like_count, is_liked: data.is_liked });
          notify(t('editor.savedOk'));
        }}
      />

      <section id="photos" className="card fieldset" aria-labelledby="photos-title">
        <h2 id="photos-title" className="legend">
          {t('editor.section.photos')}
        </h2>
        <PhotoManager tripId={data.trip_id} initial={data.photos} />
      </section>

      <section className="card fieldset" aria-labelledby="gpx-title">
        <h2 id="gpx-title" className="legend">
          {t('editor.section.gpx')}
        </h2>
        <GpxSection key={data.gpx_file?.gpx_file_id ?? 'none'} tripId={data.trip_id} initial={data.gpx_file} onChange={onGpxChange} />
      </section>

      <section className="card fieldset" aria-labelledby="pois-title">
        <h2 id="pois-title" className="legend">
          {t('editor.section.pois')}
        </h2>
        <PoiEditor tripId={data.trip_id} track={track.data ?? []} extraMarkers={locationMarkers} />
      </section>
    </section>
  );
}
