import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api';
import { usersApi } from '../api/endpoints';
import type { ProfileResponse, SocialUserSummary } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useToast } from '../components/toast';
import { TripCard } from '../components/TripCard';
import { Avatar, EmptyState, ErrorState, LoadingState, Pager, StatTile, UserLink, usePageTitle } from '../components/ui';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';

export function FollowButton({ profile, onChange }: { profile: ProfileResponse; onChange: (following: boolean, followers: number) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  if (!user) {
    return (
      <Link to={`/login?next=${encodeURIComponent(`/users/${profile.username}`)}`} className="btn btn--primary">
        {t('profile.followLogin')}
      </Link>
    );
  }
  if (user.username === profile.username) return null;
  const following = Boolean(profile.is_following);
  const toggle = async () => {
    setBusy(true);
    try {
      const result = following ? await usersApi.unfollow(profile.username) : await usersApi.follow(profile.username);
      onChange(result.is_following, result.following_followers_count);
    } catch (error) {
      notify(errorText(error, t), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className={`btn ${following ? 'btn--secondary' : 'btn--primary'}`} aria-pressed={following} onClick={toggle} disabled={busy}>
      {following ? t('profile.unfollow') : t('profile.follow')}
    </button>
  );
}

export default function ProfilePage() {
  const { username = '' } = useParams();
  const { t, formatDate, formatNumber } = useI18n();
  const { user } = useAuth();
  const profile = useAsync(() => usersApi.profile(username), [username, user?.user_id]);
  const stats = useAsync(() => usersApi.stats(username), [username]);
  const achievements = useAsync(
    () => Promise.all([usersApi.achievements(username), usersApi.allAchievements().catch(() => ({ achievements: [], total_count: 0 }))]),
    [username],
  );
  const trips = useAsync(() => usersApi.trips(username, { limit: 6, sort_by: 'date-desc' }), [username, user?.user_id]);
  usePageTitle(username);

  if (profile.loading && !profile.data) return <LoadingState />;
  if (profile.error || !profile.data) {
    const code = isApiError(profile.error) ? profile.error.code : '';
    if (code === 'PRIVATE_PROFILE') {
      return (
        <section className="section">
          <EmptyState>{t('profile.private')}</EmptyState>
        </section>
      );
    }
    return <ErrorState error={profile.error} onRetry={code === 'USER_NOT_FOUND' ? undefined : profile.reload} />;
  }
  const p = profile.data;
  const isMe = user?.username === p.username;
  const earned = achievements.data?.[0].achievements ?? [];
  const earnedCodes = new Set(earned.map((a) => a.code));
  const locked = (achievements.data?.[1].achievements ?? []).filter((a) => !earnedCodes.has(a.code));

  return (
    <div className="profile">
      <section className="profile__header card">
        <Avatar url={p.photo_url} name={p.username} size={112} />
        <div className="profile__info">
          <h1>{p.full_name || p.username}</h1>
          {p.full_name && <p className="profile__handle">@{p.username}</p>}
          {p.bio && <p className="profile__bio">{p.bio}</p>}
          <p className="profile__meta">
            {p.location && <span>📍 {p.location}</span>}
            {p.cycling_type && <span>🚲 {p.cycling_type}</span>}
            <span>{t('profile.memberSince', { date: formatDate(p.created_at) })}</span>
          </p>
          <p className="profile__counts">
            <Link to={`/users/${encodeURIComponent(p.username)}/followers`}>
              <strong>{p.followers_count}</strong> {t('profile.followers')}
            </Link>
            <Link to={`/users/${encodeURIComponent(p.username)}/following`}>
              <strong>{p.following_count}</strong> {t('profile.following')}
            </Link>
          </p>
          <div className="row">
            {isMe ? (
              <Link to="/settings" className="btn btn--secondary">
                {t('profile.edit')}
              </Link>
            ) : (
              <FollowButton profile={p} onChange={(following, followers) => profile.setData({ ...p, is_following: following, followers_count: followers })} />
            )}
          </div>
        </div>
      </section>

      <section className="section" aria-labelledby="stats-title">
        <h2 id="stats-title">{t('profile.stats')}</h2>
        {stats.error ? (
          <ErrorState error={stats.error} onRetry={stats.reload} />
        ) : !stats.data ? (
          <LoadingState />
        ) : (
          <dl className="stats-grid">
            <StatTile label={t('profile.totalTrips')} value={stats.data.total_trips} />
            <StatTile label={t('profile.totalKm')} value={formatNumber(stats.data.total_kilometers, 1)} />
            <StatTile label={t('profile.countries')} value={stats.data.countries_visited.map((c) => c.name).join(', ') || '0'} />
            <StatTile label={t('profile.photos')} value={stats.data.total_photos} />
            {stats.data.last_trip_date && <StatTile label={t('profile.lastTrip')} value={formatDate(stats.data.last_trip_date)} />}
          </dl>
        )}
      </section>

      <section className="section" aria-labelledby="achievements-title">
        <h2 id="achievements-title">{t('profile.achievements')}</h2>
        {achievements.error ? (
          <ErrorState error={achievements.error} onRetry={achievements.reload} />
        ) : !achievements.data ? (
          <LoadingState />
        ) : earned.length === 0 && locked.length === 0 ? (
          <EmptyState>{t('profile.noAchievements')}</EmptyState>
        ) : (
          <ul className="badges">
            {earned.map((a) => (
              <li key={a.code} className="achievement">
                <span className="achievement__icon" aria-hidden="true">
                  {a.badge_icon}
                </span>
                <strong>{a.name}</strong>
                <span>{a.description}</span>
                <span className="hint">{t('profile.awarded', { date: formatDate(a.awarded_at) })}</span>
              </li>
            ))}
            {locked.map((a) => (
              <li key={a.code} className="achievement achievement--locked">
                <span className="achievement__icon" aria-hidden="true">
                  {a.badge_icon}
                </span>
                <strong>{a.name}</strong>
                <span>{a.description}</span>
                <span className="hint">{t('profile.locked')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="trips-title">
        <div className="page-header--row">
          <h2 id="trips-title">{t('profile.trips')}</h2>
          <Link to={`/users/${encodeURIComponent(p.username)}/trips`}>{t('profile.allTrips')} →</Link>
        </div>
        {trips.error ? (
          <ErrorState error={trips.error} onRetry={trips.reload} />
        ) : !trips.data ? (
          <LoadingState />
        ) : trips.data.trips.length === 0 ? (
          <EmptyState>{t('profile.noTrips')}</EmptyState>
        ) : (
          <ul className="card-grid">
            {trips.data.trips.map((trip) => (
              <li key={trip.trip_id}>
                <TripCard
                  trip={{
                    tripId: trip.trip_id,
                    title: trip.title,
                    photoUrl: trip.thumbnail_url,
                    startDate: trip.start_date,
                    distanceKm: trip.distance_km,
                    tags: trip.tag_names,
                    status: trip.status,
                    isPrivate: trip.is_private,
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function FollowListPage({ kind }: { kind: 'followers' | 'following' }) {
  const { username = '' } = useParams();
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const title = kind === 'followers' ? t('profile.followersOf', { username }) : t('profile.followingOf', { username });
  usePageTitle(title);
  const list = useAsync<{ users: SocialUserSummary[]; total: number; hasMore: boolean }>(
    () =>
      kind === 'followers'
        ? usersApi.followers(username, page).then((d) => ({ users: d.followers, total: d.total_count, hasMore: d.has_more }))
        : usersApi.following(username, page).then((d) => ({ users: d.following, total: d.total_count, hasMore: d.has_more })),
    [username, kind, page],
  );

  return (
    <section className="section">
      <header className="page-header">
        <h1>{title}</h1>
        <p>
          <Link to={`/users/${encodeURIComponent(username)}`}>← {username}</Link>
        </p>
      </header>
      {list.loading && !list.data ? (
        <LoadingState />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.data && list.data.users.length === 0 ? (
        <EmptyState>{kind === 'followers' ? t('profile.noFollowers') : t('profile.noFollowing')}</EmptyState>
      ) : (
        <>
          <ul className="people">
            {list.data?.users.map((u) => (
              <li key={u.username} className="person card">
                <UserLink username={u.username} photo={u.profile_photo_url} size={48} />
                <div>
                  {u.full_name && <p className="person__name">{u.full_name}</p>}
                  {u.bio && <p className="hint">{u.bio}</p>}
                  <p className="hint">
                    {u.followers_count} {t('profile.followers')} · {u.following_count} {t('profile.following')}
                  </p>
                </div>
              </li>
            ))}
          </ul>
          <Pager page={page} totalPages={list.data?.hasMore ? page + 1 : page} onPage={(n) => setParams(n > 1 ? { page: String(n) } : {})} />
        </>
      )}
    </section>
  );
}
