import { Link, useSearchParams } from 'react-router';
import { tripsApi } from '../api/endpoints';
import type { PublicTripSummary } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { TripCard } from '../components/TripCard';
import { EmptyState, ErrorState, LoadingState, Pager, usePageTitle } from '../components/ui';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';

const PAGE_SIZE = 12;

export function publicSummaryCard(trip: PublicTripSummary) {
  return {
    tripId: trip.trip_id,
    title: trip.title,
    photoUrl: trip.photo?.thumbnail_url ?? trip.photo?.photo_url,
    author: { username: trip.author.username, photo: trip.author.profile_photo_url, userId: trip.author.user_id },
    startDate: trip.start_date,
    distanceKm: trip.distance_km,
    location: trip.location?.name,
    likeCount: trip.like_count,
    isLiked: trip.is_liked,
  };
}

export default function HomePage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  usePageTitle(undefined);
  const feed = useAsync(() => tripsApi.publicFeed(page, PAGE_SIZE), [page, user?.user_id]);

  return (
    <>
      <section className="hero">
        <div className="hero__text">
          <p className="eyebrow">{t('app.tagline')}</p>
          <h1>{t('home.hero.title')}</h1>
          <p className="lead">{t('home.hero.text')}</p>
          <p className="hero__actions">
            {user ? (
              <>
                <Link className="btn btn--primary" to="/feed">
                  {t('home.hero.ctaFeed')}
                </Link>
                <Link className="btn btn--secondary" to="/trips/new">
                  + {t('nav.newTrip')}
                </Link>
              </>
            ) : (
              <>
                <Link className="btn btn--primary" to="/register">
                  {t('home.hero.cta')}
                </Link>
                <Link className="btn btn--secondary" to="/login">
                  {t('nav.login')}
                </Link>
              </>
            )}
          </p>
        </div>
        <svg className="hero__art" viewBox="0 0 320 180" aria-hidden="true">
          <path className="hero__hill hero__hill--far" d="M0 120 Q60 60 120 100 T240 80 T320 95 V180 H0Z" />
          <path className="hero__hill" d="M0 150 Q80 100 160 140 T320 125 V180 H0Z" />
          <path className="hero__road" d="M20 170 C90 150 140 165 200 140 S290 110 310 100" />
          <g className="hero__bike" transform="translate(190 96)">
            <circle cx="0" cy="30" r="13" />
            <circle cx="44" cy="30" r="13" />
            <path d="M0 30 L14 10 L34 10 L44 30 M14 10 L24 30 L0 30 M34 10 L24 30 M11 4 h8 M32 10 l-2-7 h7" />
          </g>
          <circle className="hero__sun" cx="260" cy="40" r="18" />
        </svg>
      </section>

      <section className="section" aria-labelledby="public-feed-title">
        <h2 id="public-feed-title">{t('home.publicFeed')}</h2>
        {feed.loading && !feed.data ? (
          <LoadingState />
        ) : feed.error ? (
          <ErrorState error={feed.error} onRetry={feed.reload} />
        ) : feed.data && feed.data.trips.length === 0 ? (
          <EmptyState
            action={
              <Link className="btn btn--primary" to={user ? '/trips/new' : '/register'}>
                {user ? t('nav.newTrip') : t('home.hero.cta')}
              </Link>
            }
          >
            {t('home.empty')}
          </EmptyState>
        ) : (
          feed.data && (
            <>
              <ul className="card-grid" aria-busy={feed.loading}>
                {feed.data.trips.map((trip) => (
                  <li key={trip.trip_id}>
                    <TripCard trip={publicSummaryCard(trip)} />
                  </li>
                ))}
              </ul>
              <Pager
                page={feed.data.pagination.page}
                totalPages={feed.data.pagination.total_pages}
                onPage={(p) => {
                  setParams(p > 1 ? { page: String(p) } : {});
                  window.scrollTo({ top: 0, behavior: 'smooth' });
                }}
              />
            </>
          )
        )}
      </section>
    </>
  );
}
