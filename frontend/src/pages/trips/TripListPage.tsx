import { useId, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { usersApi } from '../../api/endpoints';
import { TRIP_SORTS, type TripSort, type TripStatus } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { TripCard } from '../../components/TripCard';
import { EmptyState, ErrorState, LoadingState, usePageTitle } from '../../components/ui';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../i18n/core';
import { plainExcerpt } from '../../lib/html';

const PAGE_SIZE = 12;

export default function TripListPage() {
  const { username = '' } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const ids = { tag: useId(), status: useId(), vis: useId(), sort: useId() };
  const isOwner = user?.username === username;
  usePageTitle(isOwner ? t('trips.mine') : t('trips.title', { username }));

  const tag = params.get('tag') ?? '';
  const status = (isOwner ? params.get('status') ?? '' : '') as TripStatus | '';
  const visibility = (isOwner ? params.get('visibility') ?? '' : '') as 'public' | 'private' | '';
  const sortParam = params.get('sort') as TripSort | null;
  const sort: TripSort = sortParam && (TRIP_SORTS as readonly string[]).includes(sortParam) ? sortParam : 'date-desc';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [tagDraft, setTagDraft] = useState(tag);

  const list = useAsync(
    (signal) => usersApi.trips(username, { tag: tag || undefined, status, visibility, sort_by: sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal),
    [username, tag, status, visibility, sort, page, user?.user_id],
  );

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const applyTag = (event: FormEvent) => {
    event.preventDefault();
    update({ tag: tagDraft.trim().toLowerCase() });
  };

  const filtered = Boolean(tag || status || visibility);
  const trips = list.data?.trips ?? [];
  const hasNext = list.data ? (list.data.total != null ? page * PAGE_SIZE < list.data.total : list.data.count >= PAGE_SIZE) : false;

  return (
    <section className="section">
      <header className="page-header page-header--row">
        <div>
          <h1>{isOwner ? t('trips.mine') : t('trips.title', { username })}</h1>
          {!isOwner && (
            <p>
              <Link to={`/users/${encodeURIComponent(username)}`}>← {username}</Link>
            </p>
          )}
        </div>
        {isOwner && (
          <Link to="/trips/new" className="btn btn--primary">
            + {t('nav.newTrip')}
          </Link>
        )}
      </header>

      <form className="filters card" onSubmit={applyTag} aria-label={t('trips.filters')}>
        <div className="field">
          <label htmlFor={ids.tag} className="field__label">
            {t('trips.filter.tag')}
          </label>
          <div className="row row--tight">
            <input id={ids.tag} type="search" value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} />
            <button type="submit" className="btn btn--secondary">
              {t('trips.apply')}
            </button>
          </div>
        </div>
        {isOwner && (
          <>
            <div className="field">
              <label htmlFor={ids.status} className="field__label">
                {t('trips.filter.status')}
              </label>
              <select id={ids.status} value={status} onChange={(e) => update({ status: e.target.value })}>
                <option value="">{t('trips.filter.all')}</option>
                <option value="draft">{t('trip.draft')}</option>
                <option value="published">{t('trip.published')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.vis} className="field__label">
                {t('trips.filter.visibility')}
              </label>
              <select id={ids.vis} value={visibility} onChange={(e) => update({ visibility: e.target.value })}>
                <option value="">{t('trips.filter.all')}</option>
                <option value="public">{t('trips.filter.public')}</option>
                <option value="private">{t('trips.filter.private')}</option>
              </select>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={ids.sort} className="field__label">
            {t('trips.sort')}
          </label>
          <select id={ids.sort} value={sort} onChange={(e) => update({ sort: e.target.value === 'date-desc' ? '' : e.target.value })}>
            {TRIP_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`trips.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => {
              setTagDraft('');
              setParams(sort === 'date-desc' ? {} : { sort });
            }}
          >
            {t('trips.clear')}
          </button>
        )}
      </form>

      {list.loading && !list.data ? (
        <LoadingState />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : trips.length === 0 ? (
        <EmptyState
          action={
            isOwner && !filtered ? (
              <Link to="/trips/new" className="btn btn--primary">
                {t('nav.newTrip')}
              </Link>
            ) : undefined
          }
        >
          {isOwner && !filtered ? t('trips.emptyMine') : t('trips.empty')}
        </EmptyState>
      ) : (
        <>
          <ul className="card-grid" aria-busy={list.loading}>
            {trips.map((trip) => (
              <li key={trip.trip_id}>
                <TripCard
                  trip={{
                    tripId: trip.trip_id,
                    title: trip.title,
                    photoUrl: trip.thumbnail_url,
                    startDate: trip.start_date,
                    distanceKm: trip.distance_km,
                    excerpt: plainExcerpt(trip.description ?? '', 140),
                    tags: trip.tag_names,
                    photoCount: trip.photo_count,
                    status: trip.status,
                    isPrivate: trip.is_private,
                  }}
                  headingLevel={2}
                />
              </li>
            ))}
          </ul>
          {(page > 1 || hasNext) && (
            <nav className="pager" aria-label={t('common.pagination')}>
              <button type="button" className="btn btn--ghost" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                ← {t('common.previous')}
              </button>
              <span>{page}</span>
              <button type="button" className="btn btn--ghost" disabled={!hasNext} onClick={() => update({ page: String(page + 1) })}>
                {t('common.next')} →
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
