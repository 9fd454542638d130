import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { tripsApi } from '../api/endpoints';
import type { FeedItem } from '../api/types';
import { TripCard } from '../components/TripCard';
import { EmptyState, ErrorState, LoadingState, usePageTitle } from '../components/ui';
import { useI18n } from '../i18n/core';
import { plainExcerpt } from '../lib/html';

const PAGE_SIZE = 10;

export default function FeedPage() {
  const { t } = useI18n();
  usePageTitle(t('feed.title'));
  const [items, setItems] = useState<FeedItem[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (nextPage: number) => {
    setLoading(true);
    setError(null);
    try {
      const data = await tripsApi.feed(nextPage, PAGE_SIZE);
      setItems((prev) => {
        const merged = nextPage === 1 ? data.trips : [...prev, ...data.trips];
        const seen = new Set<string>();
        return merged.filter((item) => (seen.has(item.trip_id) ? false : (seen.add(item.trip_id), true)));
      });
      setHasMore(data.has_more);
      setPage(nextPage);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    // First page on mount; `load` flips the loading flag before fetching.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load(1);
  }, [load]);

  return (
    <section className="section">
      <header className="page-header">
        <h1>{t('feed.title')}</h1>
        <p className="lead">{t('feed.intro')}</p>
      </header>
      {error && items.length === 0 ? (
        <ErrorState error={error} onRetry={() => load(1)} />
      ) : loading && items.length === 0 ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState
          action={
            <Link className="btn btn--primary" to="/trips/new">
              {t('nav.newTrip')}
            </Link>
          }
        >
          {t('feed.empty')}
        </EmptyState>
      ) : (
        <>
          <ul className="feed-list">
            {items.map((item) => (
              <li key={item.trip_id}>
                <TripCard
                  trip={{
                    tripId: item.trip_id,
                    title: item.title,
                    photoUrl: item.photos[0]?.photo_url,
                    author: { username: item.author.username, photo: item.author.profile_photo_url, userId: item.author.user_id },
                    startDate: item.start_date,
                    distanceKm: item.distance_km,
                    location: item.locations[0]?.name,
                    excerpt: plainExcerpt(item.description, 220),
                    tags: item.tags.map((tag) => tag.name),
                    likeCount: item.likes_count,
                    isLiked: item.is_liked_by_me,
                    commentsCount: item.comments_count,
                  }}
                  headingLevel={2}
                />
              </li>
            ))}
          </ul>
          {error !== null && <ErrorState error={error} onRetry={() => load(page + 1)} />}
          {hasMore && (
            <p className="center">
              <button type="button" className="btn btn--secondary" onClick={() => load(page + 1)} disabled={loading}>
                {loading ? t('common.loading') : t('common.loadMore')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
