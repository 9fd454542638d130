import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { tripsApi } from '../api/endpoints';
import type { CommentResponse } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';
import { htmlToText, sanitizeHtml } from '../lib/html';
import { useToast } from './toast';
import { Avatar, EmptyState, ErrorState, LoadingState } from './ui';

const MAX = 500;

export function Comments({ tripId, tripOwnerId, canComment }: { tripId: string; tripOwnerId: string; canComment: boolean }) {
  const { t, formatDateTime } = useI18n();
  const { user } = useAuth();
  const notify = useToast();
  const list = useAsync(() => tripsApi.comments(tripId, 50, 0), [tripId]);
  const [content, setContent] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ id: string; content: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = content.trim();
    if (!text || text.length > MAX) {
      setError(t('validation.comment'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await tripsApi.addComment(tripId, text);
      const withAuthor: CommentResponse = {
        ...created,
        author: created.author ?? (user ? { user_id: user.user_id, username: user.username, full_name: null, profile_photo_url: user.photo_url } : null),
      };
      list.setData((prev) => ({
        items: [...(prev?.items ?? []), withAuthor],
        total: (prev?.total ?? 0) + 1,
        limit: prev?.limit ?? 50,
        offset: prev?.offset ?? 0,
      }));
      setContent('');
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const saveEdit = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const text = editing.content.trim();
    if (!text || text.length > MAX) {
      notify(t('validation.comment'), 'error');
      return;
    }
    try {
      const updated = await tripsApi.editComment(editing.id, text);
      list.setData((prev) => ({
        ...(prev ?? { total: 0, limit: 50, offset: 0 }),
        items: (prev?.items ?? []).map((c) => (c.id === editing.id ? { ...c, ...updated, author: c.author } : c)),
      }));
      setEditing(null);
    } catch (err) {
      notify(errorText(err, t), 'error');
    }
  };

  const remove = async (id: string) => {
    if (!window.confirm(t('common.confirmDelete'))) return;
    try {
      await tripsApi.deleteComment(id);
      list.setData((prev) => ({
        ...(prev ?? { limit: 50, offset: 0, total: 1 }),
        items: (prev?.items ?? []).filter((c) => c.id !== id),
        total: Math.max(0, (prev?.total ?? 1) - 1),
      }));
    } catch (err) {
      notify(errorText(err, t), 'error');
    }
  };

  return (
    <section id="comments" className="section comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {t('trip.comments')} {list.data ? <span className="count">({list.data.total})</span> : null}
      </h2>
      {list.loading && !list.data ? (
        <LoadingState />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.data && list.data.items.length === 0 ? (
        <EmptyState>{t('trip.noComments')}</EmptyState>
      ) : (
        <ol className="comment-list">
          {list.data?.items.map((comment) => {
            const mine = user?.user_id === comment.user_id;
            const canDelete = mine || user?.user_id === tripOwnerId;
            return (
              <li key={comment.id} className="comment">
                <Avatar url={comment.author?.profile_photo_url} name={comment.author?.username ?? '?'} size={36} />
                <div className="comment__body">
                  <p className="comment__meta">
                    {comment.author ? (
                      <Link to={`/users/${encodeURIComponent(comment.author.username)}`}>{comment.author.username}</Link>
                    ) : (
                      <span>—</span>
                    )}
                    <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
                    {comment.is_edited && <span className="hint">{t('trip.commentEdited')}</span>}
                  </p>
                  {editing?.id === comment.id ? (
                    <form onSubmit={saveEdit} className="comment__edit">
                      <label className="visually-hidden" htmlFor={`edit-${comment.id}`}>
                        {t('common.edit')}
                      </label>
                      <textarea
                        id={`edit-${comment.id}`}
                        value={editing.content}
                        maxLength={MAX}
                        onChange={(e) => setEditing({ id: comment.id, content: e.target.value })}
                      />
                      <div className="row">
                        <button type="submit" className="btn btn--primary btn--small">
                          {t('common.save')}
                        </button>
                        <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditing(null)}>
                          {t('common.cancel')}
                        </button>
                      </div>
                    </form>
                  ) : (
                    <div className="comment__content" dangerouslySetInnerHTML={{ __html: sanitizeHtml(comment.content) }} />
                  )}
                  {(mine || canDelete) && editing?.id !== comment.id && (
                    <p className="comment__actions">
                      {mine && (
                        <button type="button" className="link-button" onClick={() => setEditing({ id: comment.id, content: htmlToText(comment.content) })}>
                          {t('common.edit')}
                        </button>
                      )}
                      {canDelete && (
                        <button type="button" className="link-button link-button--danger" onClick={() => remove(comment.id)}>
                          {t('common.delete')}
                        </button>
                      )}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {user && canComment ? (
        <form onSubmit={submit} className="form comment-form" noValidate>
          <label htmlFor="new-comment" className="field__label">
            {t('trip.commentLabel')}
          </label>
          <textarea
            id="new-comment"
            value={content}
            maxLength={MAX}
            rows={3}
            aria-invalid={Boolean(error)}
            aria-describedby="new-comment-error new-comment-count"
            onChange={(e) => setContent(e.target.value)}
          />
          <div className="comment-form__row">
            <span id="new-comment-count" className="hint">
              {content.length}/{MAX}
            </span>
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {t('trip.commentSubmit')}
            </button>
          </div>
          <p id="new-comment-error" className="field__error" role="alert">
            {error}
          </p>
        </form>
      ) : !user ? (
        <p className="hint">
          <Link to="/login">{t('trip.commentLogin')}</Link>
        </p>
      ) : null}
    </section>
  );
}
