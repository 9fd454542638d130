import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { authApi, cyclingTypesApi, usersApi } from '../api/endpoints';
import type { ProfileResponse, ProfileVisibility, TripVisibility } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useToast } from '../components/toast';
import { Avatar, ErrorState, Field, FormError, FormSuccess, LoadingState, PasswordInput, ProgressBar, usePageTitle } from '../components/ui';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';
import { applyServerError, errorText } from '../lib/errors';
import { changePasswordSchema, type ChangePasswordValues } from '../lib/validation';

const profileSchema = z.object({
  full_name: z.string().max(100, 'validation.max100'),
  bio: z.string().max(500, 'validation.max500'),
  location: z.string().max(100, 'validation.max100'),
  cycling_type: z.string(),
});
type ProfileValues = z.infer<typeof profileSchema>;

function ProfileForm({ profile, username, onSaved }: { profile: ProfileResponse; username: string; onSaved: (p: ProfileResponse) => void }) {
  const { t } = useI18n();
  const types = useAsync(() => cyclingTypesApi.list(), []);
  const [saved, setSaved] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ProfileValues>({
    resolver: zodResolver(profileSchema),
    defaultValues: { full_name: profile.full_name ?? '', bio: profile.bio ?? '', location: profile.location ?? '', cycling_type: profile.cycling_type ?? '' },
  });
  // The cycling-type <select> can only show the saved value once its options exist.
  if (types.loading && !types.data) return <LoadingState />;

  const submit = handleSubmit(async (values) => {
    setSaved(null);
    try {
      const { data, message } = await usersApi.updateProfile(username, values);
      onSaved(data);
      setSaved(message ?? t('common.saved'));
    } catch (error) {
      applyServerError(error, setError, t, ['full_name', 'bio', 'location', 'cycling_type']);
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={errors.root?.server?.message} />
      <Field label={t('settings.fullName')} error={errors.full_name?.message}>
        {(a) => <input {...a} {...register('full_name')} maxLength={100} autoComplete="name" />}
      </Field>
      <Field label={t('settings.bio')} error={errors.bio?.message}>
        {(a) => <textarea {...a} {...register('bio')} rows={4} maxLength={500} />}
      </Field>
      <div className="form-grid">
        <Field label={t('settings.location')} error={errors.location?.message}>
          {(a) => <input {...a} {...register('location')} maxLength={100} />}
        </Field>
        <Field label={t('settings.cyclingType')} error={errors.cycling_type?.message}>
          {(a) => (
            <select {...a} {...register('cycling_type')}>
              <option value="">{t('settings.cyclingTypeNone')}</option>
              {(types.data ?? []).map((ct) => (
                <option key={ct.code} value={ct.code}>
                  {ct.display_name}
                </option>
              ))}
              {profile.cycling_type && !types.data?.some((ct) => ct.code === profile.cycling_type) && <option value={profile.cycling_type}>{profile.cycling_type}</option>}
            </select>
          )}
        </Field>
      </div>
      <FormSuccess message={saved} />
      <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
        {isSubmitting ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}

function PhotoForm({ profile, username, onChange }: { profile: ProfileResponse; username: string; onChange: (url: string | null) => void }) {
  const { t } = useI18n();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const choose = (f: File | undefined) => {
    setError(null);
    setDone(null);
    if (!f) return;
    if (!['image/jpeg', 'image/png', 'image/webp'].includes(f.type)) return setError(t('validation.fileType'));
    if (f.size > 5 * 1024 * 1024) return setError(t('validation.fileSize', { mb: 5 }));
    setFile(f);
  };

  const upload = async () => {
    if (!file) return;
    setProgress(0);
    setError(null);
    try {
      const { data, message } = await usersApi.uploadPhoto(username, file, setProgress);
      onChange(data.photo_url);
      setFile(null);
      setDone(message ?? t('settings.photoDone'));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setProgress(null);
    }
  };

  const remove = async () => {
    setError(null);
    try {
      const { message } = await usersApi.deletePhoto(username);
      onChange(null);
      setDone(message ?? t('settings.photoRemoved'));
    } catch (err) {
      setError(errorText(err, t));
    }
  };

  return (
    <div className="photo-form">
      <div className="photo-form__preview">
        {preview ? <img src={preview} alt={t('settings.photoPreview')} className="avatar" width={112} height={112} /> : <Avatar url={profile.photo_url} name={username} size={112} />}
      </div>
      <div className="photo-form__controls">
        <p className="field__help">{t('settings.photoHelp')}</p>
        <div className="row">
          <input id={inputId} type="file" accept="image/jpeg,image/png,image/webp" className="visually-hidden-input" onChange={(e) => choose(e.target.files?.[0])} data-testid="avatar-input" />
          <label htmlFor={inputId} className="btn btn--secondary">
            {t('settings.photoChoose')}
          </label>
          {file && (
            <button type="button" className="btn btn--primary" onClick={upload} disabled={progress !== null}>
              {t('settings.photoUpload')}
            </button>
          )}
          {profile.photo_url && !file && (
            <button type="button" className="btn btn--danger-ghost" onClick={remove}>
              {t('settings.photoRemove')}
            </button>
          )}
        </div>
        {progress !== null && <ProgressBar value={progress} label={t('common.progress')} />}
        <FormError message={error} />
        <FormSuccess message={done} />
      </div>
    </div>
  );
}

function PrivacyForm({ profile, username, onSaved }: { profile: ProfileResponse; username: string; onSaved: (p: Partial<ProfileResponse>) => void }) {
  const { t } = useI18n();
  const ids = { pv: useId(), tv: useId() };
  const [values, setValues] = useState({
    profile_visibility: profile.profile_visibility,
    trip_visibility: profile.trip_visibility,
    show_email: profile.show_email,
    show_location: profile.show_location,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await usersApi.updateProfile(username, { profile_visibility: values.profile_visibility, trip_visibility: values.trip_visibility });
      const { message } = await usersApi.updatePrivacy(username, { show_email: values.show_email, show_location: values.show_location });
      onSaved(values);
      setSaved(message ?? t('common.saved'));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.pv} className="field__label">
            {t('settings.profileVisibility')}
          </label>
          <select id={ids.pv} value={values.profile_visibility} onChange={(e) => setValues({ ...values, profile_visibility: e.target.value as ProfileVisibility })}>
            <option value="public">{t('settings.visibility.public')}</option>
            <option value="private">{t('settings.visibility.private')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.tv} className="field__label">
            {t('settings.tripVisibility')}
          </label>
          <select id={ids.tv} value={values.trip_visibility} onChange={(e) => setValues({ ...values, trip_visibility: e.target.value as TripVisibility })}>
            <option value="public">{t('settings.visibility.public')}</option>
            <option value="followers">{t('settings.visibility.followers')}</option>
            <option value="private">{t('settings.visibility.private')}</option>
          </select>
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={values.show_email} onChange={(e) => setValues({ ...values, show_email: e.target.checked })} /> {t('settings.showEmail')}
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={values.show_location} onChange={(e) => setValues({ ...values, show_location: e.target.checked })} /> {t('settings.showLocation')}
      </label>
      <FormError message={error} />
      <FormSuccess message={saved} />
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {busy ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}

export function PasswordForm({ username }: { username: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ChangePasswordValues>({ resolver: zodResolver(changePasswordSchema), defaultValues: { current_password: '', new_password: '', confirm: '' } });
  const submit = handleSubmit(async (values) => {
    setDone(null);
    try {
      const { message } = await usersApi.changePassword(username, { current_password: values.current_password, new_password: values.new_password });
      reset();
      setDone(message ?? t('settings.passwordChanged'));
    } catch (error) {
      // INVALID_PASSWORD means the current password is wrong.
      const code = (error as { code?: string }).code;
      if (code === 'INVALID_PASSWORD') setError('current_password', { type: 'server', message: errorText(error, t) }, { shouldFocus: true });
      else applyServerError(error, setError, t, ['current_password', 'new_password']);
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={errors.root?.server?.message} />
      <Field label={t('settings.currentPassword')} error={errors.current_password?.message}>
        {(a) => {
          const { ref, ...rest } = register('current_password');
          return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="current-password" />;
        }}
      </Field>
      <Field label={t('settings.newPassword')} error={errors.new_password?.message} help={t('settings.passwordRules')}>
        {(a) => {
          const { ref, ...rest } = register('new_password');
          return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="new-password" />;
        }}
      </Field>
      <Field label={t('auth.confirmPassword')} error={errors.confirm?.message}>
        {(a) => {
          const { ref, ...rest } = register('confirm');
          return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="new-password" />;
        }}
      </Field>
      <FormSuccess message={done} />
      <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
        {t('settings.changePassword')}
      </button>
    </form>
  );
}

function DeleteAccount() {
  const { t } = useI18n();
  const { forget } = useAuth();
  const navigate = useNavigate();
  const notify = useToast();
  const id = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setError(t('validation.required'));
      return;
    }
    if (!window.confirm(t('common.confirmDelete'))) return;
    setBusy(true);
    setError(null);
    try {
      await authApi.deleteAccount(password);
      // Leave the private page first, synchronously: the router's update is a transition, so
      // forgetting the session before it renders would make RequireAuth redirect to
      // /login?next=/settings instead.
      await navigate('/', { replace: true, flushSync: true });
      forget();
      notify(t('settings.deleted'));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form danger-zone" onSubmit={submit} noValidate>
      <p>{t('settings.deleteText')}</p>
      <div className={`field${error ? ' field--invalid' : ''}`}>
        <label htmlFor={id} className="field__label">
          {t('settings.deleteConfirm')}
        </label>
        <PasswordInput id={id} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" aria-invalid={Boolean(error)} aria-describedby={`${id}-e`} />
        <p id={`${id}-e`} className="field__error" role={error ? 'alert' : undefined}>
          {error}
        </p>
      </div>
      <button type="submit" className="btn btn--danger" disabled={busy}>
        {t('settings.deleteButton')}
      </button>
    </form>
  );
}

export default function SettingsPage() {
  const { t } = useI18n();
  const { user, refreshUser } = useAuth();
  usePageTitle(t('settings.title'));
  const username = user?.username ?? '';
  const profile = useAsync(() => usersApi.profile(username), [username]);

  if (profile.loading && !profile.data) return <LoadingState />;
  if (profile.error || !profile.data) return <ErrorState error={profile.error} onRetry={profile.reload} />;
  const p = profile.data;

  return (
    <div className="settings">
      <h1>{t('settings.title')}</h1>
      <section className="card fieldset" aria-labelledby="s-profile">
        <h2 id="s-profile">{t('settings.profile')}</h2>
        <ProfileForm profile={p} username={username} onSaved={(next) => profile.setData({ ...p, ...next })} />
      </section>
      <section className="card fieldset" aria-labelledby="s-photo">
        <h2 id="s-photo">{t('settings.photo')}</h2>
        <PhotoForm
          profile={p}
          username={username}
          onChange={(url) => {
            profile.setData({ ...p, photo_url: url });
            void refreshUser();
          }}
        />
      </section>
      <section className="card fieldset" aria-labelledby="s-privacy">
        <h2 id="s-privacy">{t('settings.privacy')}</h2>
        <PrivacyForm profile={p} username={username} onSaved={(next) => profile.setData({ ...p, ...next })} />
      </section>
      <section className="card fieldset" aria-labelledby="s-password">
        <h2 id="s-password">{t('settings.password')}</h2>
        <PasswordForm username={username} />
      </section>
      <section className="card fieldset fieldset--danger" aria-labelledby="s-delete">
        <h2 id="s-delete">{t('settings.deleteTitle')}</h2>
        <DeleteAccount />
      </section>
    </div>
  );
}
