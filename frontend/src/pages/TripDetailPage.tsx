import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api';
import { poisApi, tripsApi } from '../api/endpoints';
import type { TripResponse } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Comments } from '../components/Comments';
import { Gallery } from '../components/Gallery';
import { LikeButton } from '../components/LikeButton';
import { useToast } from '../components/toast';
import TripRoute from '../components/TripRoute';
import { Avatar, ErrorState, FormError, LoadingState, StatTile, usePageTitle } from '../components/ui';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';
import { sanitizeHtml } from '../lib/html';

export function PublishButton({ trip, onPublished }: { trip: Pick<TripResponse, 'trip_id' | 'status'>; onPublished: (publishedAt: string) => void }) {
  const { t } = useI18n();
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (trip.status !== 'draft') return null;
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await tripsApi.publish(trip.trip_id);
      notify(t('trip.publishedOk'));
      onPublished(result.published_at);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="publish">
      <button type="button" className="btn btn--primary" onClick={publish} disabled={busy}>
        {busy ? t('trip.publishing') : t('trip.publish')}
      </button>
      <FormError message={error} />
    </div>
  );
}

export default function TripDetailPage() {
  const { tripId = '' } = useParams();
  const { t, formatDate, formatNumber } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const notify = useToast();
  const trip = useAsync(() => tripsApi.get(tripId), [tripId, user?.user_id]);
  const pois = useAsync(() => poisApi.list(tripId).catch(() => ({ pois: [], total: 0 })), [tripId]);
  usePageTitle(trip.data?.title);

  if (trip.loading && !trip.data) return <LoadingState />;
  if (trip.error || !trip.data) {
    const forbidden = isApiError(trip.error) && trip.error.status === 403;
    return <ErrorState error={trip.error} title={forbidden ? t('trip.forbidden') : undefined} onRetry={forbidden ? undefined : trip.reload} />;
  }
  const data = trip.data;
  const isOwner = user?.user_id === data.user_id;
  const author = data.author;

  const remove = async () => {
    if (!window.confirm(t('common.confirmDelete'))) return;
    try {
      await tripsApi.remove(data.trip_id);
      notify(t('trip.deleted'));
      navigate(user ? `/users/${encodeURIComponent(user.username)}/trips` : '/');
    } catch (err) {
      notify(errorText(err, t), 'error');
    }
  };

  return (
    <article className="trip">
      <header className="trip__header">
        <p className="trip__badges">
          {data.status === 'draft' ? <span className="badge badge--draft">{t('trip.draft')}</span> : <span className="badge badge--ok">{t('trip.published')}</span>}
          {data.is_private && <span className="badge">{t('trip.private')}</span>}
          {data.difficulty && <span className={`badge badge--difficulty badge--${data.difficulty}`}>{t(`difficulty.${data.difficulty}`)}</span>}
        </p>
        <h1>{data.title}</h1>
        <div className="trip__byline">
          {author && (
            <Link to={`/users/${encodeURIComponent(author.username)}`} className="user-link">
              <Avatar url={author.profile_photo_url} name={author.username} size={36} />
              <span>{author.full_name || author.username}</span>
            </Link>
          )}
          <LikeButton key={`${data.trip_id}-${data.like_count}-${data.is_liked}`} tripId={data.trip_id} count={data.like_count} liked={data.is_liked} ownerId={data.user_id} />
        </div>
        {isOwner && (
          <div className="trip__owner">
            {data.status === 'draft' && <p className="notice">{t('trip.publishHint')}</p>}
            <div className="row">
              <Link to={`/trips/${data.trip_id}/edit`} className="btn btn--secondary">
                {t('trip.edit')}
              </Link>
              <PublishButton trip={data} onPublished={(published_at) => trip.setData({ ...data, status: 'published', published_at })} />
              <button type="button" className="btn btn--danger-ghost" onClick={remove}>
                {t('trip.delete')}
              </button>
            </div>
          </div>
        )}
      </header>

      <dl className="stats-grid">
        <StatTile
          label={t('trip.dates')}
          value={
            <>
              <time dateTime={data.start_date}>{formatDate(data.start_date)}</time>
              {data.end_date && data.end_date !== data.start_date && (
                <>
                  {' – '}
                  <time dateTime={data.end_date}>{formatDate(data.end_date)}</time>
                </>
              )}
            </>
          }
        />
        {data.distance_km != null && <StatTile label={t('trip.distance')} value={t('common.km', { value: formatNumber(data.distance_km, 1) })} />}
        {data.difficulty && <StatTile label={t('trip.difficulty')} value={t(`difficulty.${data.difficulty}`)} />}
        <StatTile label={t('trip.photos')} value={data.photos.length} />
      </dl>

      {data.photos.length > 0 && (
        <section className="section" aria-label={t('trip.photos')}>
          <Gallery photos={data.photos} title={data.title} />
        </section>
      )}

      <section className="section story" aria-label={t('editor.section.story')}>
        {data.description ? (
          <div className="story__text" dangerouslySetInnerHTML={{ __html: sanitizeHtml(data.description) }} />
        ) : (
          <p className="hint">{t('trip.noDescription')}</p>
        )}
        {data.tags.length > 0 && (
          <ul className="tags" aria-label={t('trip.tags')}>
            {data.tags.map((tag) => (
              <li key={tag.tag_id} className="tag">
                <Link to={`/users/${encodeURIComponent(author?.username ?? '')}/trips?tag=${encodeURIComponent(tag.normalized)}`}>#{tag.name}</Link>
              </li>
            ))}
          </ul>
        )}
        {data.locations.length > 0 && (
          <>
            <h2 className="h3">{t('trip.locations')}</h2>
            <ol className="places">
              {[...data.locations]
                .sort((a, b) => a.sequence - b.sequence)
                .map((loc) => (
                  <li key={loc.location_id}>{loc.name}</li>
                ))}
            </ol>
          </>
        )}
      </section>

      <TripRoute title={data.title} locations={data.locations} pois={pois.data?.pois ?? []} gpx={data.gpx_file} />

      {pois.data && pois.data.pois.length > 0 && (
        <section className="section" aria-labelledby="pois-title">
          <h2 id="pois-title">{t('trip.pois')}</h2>
          <ul className="poi-list">
            {pois.data.pois.map((poi) => (
              <li key={poi.poi_id} className="poi">
                <strong>{poi.name}</strong> <span className="badge">{t(`poi.${poi.poi_type}`)}</span>
                {poi.distance_from_start_km != null && <span className="hint"> · km {formatNumber(poi.distance_from_start_km, 1)}</span>}
                {poi.description && <p>{poi.description}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <Comments tripId={data.trip_id} tripOwnerId={data.user_id} canComment={data.status === 'published'} />
    </article>
  );
}
