import { Link } from 'react-router';
import { mediaUrl } from '../api';
import type { Difficulty, TripStatus } from '../api/types';
import { useI18n } from '../i18n/core';
import { LikeButton } from './LikeButton';
import { Avatar } from './ui';

export interface TripCardData {
  tripId: string;
  title: string;
  photoUrl?: string | null;
  author?: { username: string; photo?: string | null; userId?: string } | null;
  startDate?: string | null;
  distanceKm?: number | null;
  difficulty?: Difficulty | null;
  location?: string | null;
  excerpt?: string | null;
  tags?: string[];
  likeCount?: number;
  isLiked?: boolean | null;
  commentsCount?: number;
  photoCount?: number;
  status?: TripStatus;
  isPrivate?: boolean;
}

export function TripCard({ trip, headingLevel = 3 }: { trip: TripCardData; headingLevel?: 2 | 3 }) {
  const { t, formatDate, formatNumber } = useI18n();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const photo = mediaUrl(trip.photoUrl);
  const href = `/trips/${trip.tripId}`;
  return (
    <article className="trip-card">
      <Link to={href} className="trip-card__media" tabIndex={-1} aria-hidden="true">
        {photo ? (
          <img src={photo} alt="" loading="lazy" />
        ) : (
          <div className="trip-card__placeholder">
            <svg viewBox="0 0 120 60" aria-hidden="true">
              <path d="M0 50 L25 28 L42 40 L70 12 L95 36 L120 22 L120 60 L0 60 Z" />
            </svg>
          </div>
        )}
        {trip.status === 'draft' && <span className="badge badge--draft trip-card__badge">{t('trip.draft')}</span>}
      </Link>
      <div className="trip-card__body">
        <Heading className="trip-card__title">
          <Link to={href}>{trip.title}</Link>
        </Heading>
        <p className="trip-card__meta">
          {trip.startDate && <time dateTime={trip.startDate}>{formatDate(trip.startDate)}</time>}
          {trip.distanceKm != null && <span>{t('common.km', { value: formatNumber(trip.distanceKm, 1) })}</span>}
          {trip.location && <span>{trip.location}</span>}
          {trip.difficulty && <span>{t(`difficulty.${trip.difficulty}`)}</span>}
          {trip.isPrivate && <span className="badge">{t('trip.private')}</span>}
          {trip.photoCount != null && trip.photoCount > 0 && <span>{t('trips.photos', { count: trip.photoCount })}</span>}
        </p>
        {trip.excerpt && <p className="trip-card__excerpt">{trip.excerpt}</p>}
        {trip.tags && trip.tags.length > 0 && (
          <ul className="tags" aria-label={t('trip.tags')}>
            {trip.tags.slice(0, 5).map((tag) => (
              <li key={tag} className="tag">
                #{tag}
              </li>
            ))}
          </ul>
        )}
        {(trip.author || trip.likeCount !== undefined) && (
          <div className="trip-card__footer">
            {trip.author && (
              <Link to={`/users/${encodeURIComponent(trip.author.username)}`} className="user-link">
                <Avatar url={trip.author.photo} name={trip.author.username} size={28} />
                <span>{trip.author.username}</span>
              </Link>
            )}
            <span className="trip-card__actions">
              {trip.commentsCount !== undefined && (
                <Link to={`${href}#comments`} className="trip-card__comments">
                  {t('feed.comments', { count: trip.commentsCount })}
                </Link>
              )}
              {trip.likeCount !== undefined && (
                <LikeButton tripId={trip.tripId} count={trip.likeCount} liked={trip.isLiked} ownerId={trip.author?.userId} compact />
              )}
            </span>
          </div>
        )}
      </div>
    </article>
  );
}
