import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { Link } from 'react-router';
import { mediaUrl } from '../api';
import { useI18n, useMaybeTranslate } from '../i18n/core';
import { errorText } from '../lib/errors';

/** Sets the document title for the page. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ContraVento` : 'ContraVento';
  }, [title]);
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <span className="spinner" role="status">
      <span className="spinner__wheel" aria-hidden="true" />
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
    </span>
  );
}

export function LoadingState({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state--loading" aria-busy="true">
      <Spinner label={label} />
      <p aria-hidden="true">{label ?? t('common.loading')}</p>
    </div>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state--error" role="alert">
      <p className="state__title">{title ?? t('common.error')}</p>
      <p>{errorText(error, t)}</p>
      {onRetry && (
        <button type="button" className="btn btn--secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state--empty">
      <svg className="state__icon" viewBox="0 0 64 40" aria-hidden="true">
        <circle cx="14" cy="26" r="11" />
        <circle cx="50" cy="26" r="11" />
        <path d="M14 26 L26 10 L40 10 L50 26 M26 10 L34 26 L14 26 M40 10 L34 26" />
      </svg>
      <p>{children}</p>
      {action}
    </div>
  );
}

/** A form-wide error (from the server), announced to screen readers. */
export function FormError({ message }: { message?: string | null }) {
  const show = useMaybeTranslate();
  return (
    <div className="form-error" role="alert" aria-live="assertive">
      {message ? show(message) : null}
    </div>
  );
}

export function FormSuccess({ message }: { message?: string | null }) {
  return (
    <div className="form-success" role="status" aria-live="polite">
      {message ?? null}
    </div>
  );
}

interface FieldProps {
  label: string;
  error?: string;
  help?: ReactNode;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
  className?: string;
}

/** Label + control + help + error, wired with ids for assistive technology. */
export function Field({ label, error, help, children, className }: FieldProps) {
  const id = useId();
  const show = useMaybeTranslate();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {help && (
        <div id={helpId} className="field__help">
          {help}
        </div>
      )}
      <p id={errorId} className="field__error" role={error ? 'alert' : undefined}>
        {error ? show(error) : null}
      </p>
    </div>
  );
}

type PasswordInputProps = InputHTMLAttributes<HTMLInputElement> & { inputRef?: Ref<HTMLInputElement> };

export function PasswordInput({ inputRef, ...props }: PasswordInputProps) {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  return (
    <div className="password-input">
      <input {...props} ref={inputRef} type={visible ? 'text' : 'password'} />
      <button
        type="button"
        className="password-input__toggle"
        onClick={() => setVisible((v) => !v)}
        aria-pressed={visible}
        aria-label={visible ? t('password.hide') : t('password.show')}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" width="20" height="20">
          <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" fill="none" stroke="currentColor" strokeWidth="2" />
          <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="2" />
          {visible && <path d="M3 3l18 18" stroke="currentColor" strokeWidth="2" />}
        </svg>
      </button>
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="progress">
      <div
        className="progress__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress__value" aria-hidden="true">
        {percent}%
      </span>
    </div>
  );
}

export function Avatar({ url, name, size = 40 }: { url: string | null | undefined; name: string; size?: number }) {
  const { t } = useI18n();
  const [broken, setBroken] = useState(false);
  const src = mediaUrl(url);
  const initials = name.slice(0, 2).toUpperCase();
  const style = { width: size, height: size, fontSize: Math.max(12, size / 2.6) };
  if (!src || broken) {
    return (
      <span className="avatar avatar--initials" style={style} aria-hidden="true">
        {initials}
      </span>
    );
  }
  return (
    <img
      className="avatar"
      src={src}
      alt={t('profile.avatarAlt', { username: name })}
      width={size}
      height={size}
      style={style}
      loading="lazy"
      onError={() => setBroken(true)}
    />
  );
}

export function UserLink({ username, photo, size = 32 }: { username: string; photo?: string | null; size?: number }) {
  return (
    <Link to={`/users/${encodeURIComponent(username)}`} className="user-link">
      <Avatar url={photo} name={username} size={size} />
      <span>{username}</span>
    </Link>
  );
}

export function Pager({
  page,
  totalPages,
  onPage,
}: {
  page: number;
  totalPages: number;
  onPage: (page: number) => void;
}) {
  const { t } = useI18n();
  if (totalPages <= 1) return null;
  return (
    <nav className="pager" aria-label={t('common.pagination')}>
      <button type="button" className="btn btn--ghost" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← {t('common.previous')}
      </button>
      <span aria-live="polite">{t('common.page', { page, total: totalPages })}</span>
      <button type="button" className="btn btn--ghost" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
        {t('common.next')} →
      </button>
    </nav>
  );
}

export function StatTile({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{value}</dd>
    </div>
  );
}
