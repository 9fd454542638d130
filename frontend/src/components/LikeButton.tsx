import { useState } from 'react';
import { Link } from 'react-router';
import { tripsApi } from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';
import { useToast } from './toast';

interface Props {
  tripId: string;
  count: number;
  liked: boolean | null | undefined;
  /** The author cannot like their own trip. */
  ownerId?: string;
  compact?: boolean;
}

/** Heart toggle with an optimistic count; anonymous riders are invited to log in. */
export function LikeButton({ tripId, count, liked, ownerId, compact }: Props) {
  const { t } = useI18n();
  const { user } = useAuth();
  const notify = useToast();
  const [state, setState] = useState({ count, liked: Boolean(liked) });
  const [busy, setBusy] = useState(false);

  const label = t('trip.likes', { count: state.count });
  if (!user || user.user_id === ownerId) {
    const content = (
      <>
        <Heart filled={false} />
        <span>{state.count}</span>
      </>
    );
    return user ? (
      <span className={`like like--static${compact ? ' like--compact' : ''}`} aria-label={label} role="img">
        {content}
      </span>
    ) : (
      <Link to="/login" className={`like${compact ? ' like--compact' : ''}`} aria-label={`${label}. ${t('trip.likeLogin')}`}>
        {content}
      </Link>
    );
  }

  const toggle = async () => {
    if (busy) return;
    const previous = state;
    const next = { liked: !state.liked, count: Math.max(0, state.count + (state.liked ? -1 : 1)) };
    setState(next);
    setBusy(true);
    try {
      if (next.liked) await tripsApi.like(tripId);
      else await tripsApi.unlike(tripId);
    } catch (error) {
      setState(previous);
      notify(errorText(error, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <button
      type="button"
      className={`like${state.liked ? ' like--on' : ''}${compact ? ' like--compact' : ''}`}
      aria-pressed={state.liked}
      // The visible count stays in the name (no parentheses: they are not read as part of it).
      aria-label={`${state.liked ? t('trip.unlike') : t('trip.like')}, ${label}`}
      onClick={toggle}
      disabled={busy}
    >
      <Heart filled={state.liked} />
      <span>{state.count}</span>
    </button>
  );
}

function Heart({ filled }: { filled: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path
        d="M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3 4.5 6.6 4.5c2.1 0 3.6 1.2 5.4 3.3 1.8-2.1 3.3-3.3 5.4-3.3 3.6 0 5.7 3.9 4.2 7.3C19.5 16.4 12 21 12 21z"
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="2"
      />
    </svg>
  );
}
