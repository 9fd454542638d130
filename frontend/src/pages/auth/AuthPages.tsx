import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthContext';
import { Field, FormError, FormSuccess, LoadingState, PasswordInput, usePageTitle } from '../../components/ui';
import { useI18n } from '../../i18n/core';
import { applyServerError, errorText } from '../../lib/errors';
import {
  emailSchema,
  loginSchema,
  passwordChecks,
  registerSchema,
  resetSchema,
  type EmailValues,
  type LoginValues,
  type RegisterValues,
  type ResetValues,
} from '../../lib/validation';

function AuthCard({ title, intro, children }: { title: string; intro?: string; children: React.ReactNode }) {
  usePageTitle(title);
  return (
    <section className="auth">
      <div className="auth__card card">
        <h1>{title}</h1>
        {intro && <p className="lead">{intro}</p>}
        {children}
      </div>
    </section>
  );
}

function PasswordChecklist({ value }: { value: string }) {
  const { t } = useI18n();
  return (
    <ul className="checklist" aria-label={t('password.strength')}>
      {passwordChecks.map((rule) => {
        const ok = rule.test(value);
        return (
          <li key={rule.key} className={ok ? 'checklist__ok' : undefined}>
            <span aria-hidden="true">{ok ? '✓' : '○'}</span> {t(rule.key)}
            <span className="visually-hidden">{ok ? ` ✓` : ''}</span>
          </li>
        );
      })}
    </ul>
  );
}

// ---------------------------------------------------------------------------------------
export function RegisterPage() {
  const { t } = useI18n();
  const [done, setDone] = useState<{ email: string; verified: boolean } | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<RegisterValues>({
    resolver: zodResolver(registerSchema),
    defaultValues: { username: '', email: '', password: '', confirm: '' },
  });
  const password = useWatch({ control, name: 'password' });

  const onSubmit = handleSubmit(async (values) => {
    try {
      const { data } = await authApi.register({ username: values.username, email: values.email, password: values.password });
      setDone({ email: data.email, verified: Boolean(data.is_verified) });
    } catch (error) {
      applyServerError(error, setError, t, ['username', 'email', 'password']);
    }
  });

  if (done) {
    return (
      <AuthCard title={t('auth.register.done.title')}>
        <FormSuccess message={done.verified ? t('auth.register.done.verified') : t('auth.register.done.text', { email: done.email })} />
        <p className="auth__links">
          <Link to="/login" className="btn btn--primary">
            {t('auth.goLogin')}
          </Link>
          {!done.verified && (
            <Link to={`/resend-verification?email=${encodeURIComponent(done.email)}`}>{t('auth.login.resendLink')}</Link>
          )}
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('auth.register.title')} intro={t('auth.register.intro')}>
      <form onSubmit={onSubmit} noValidate className="form">
        <FormError message={errors.root?.server?.message} />
        <Field label={t('auth.username')} error={errors.username?.message}>
          {(a) => <input {...a} {...register('username')} autoComplete="username" autoCapitalize="none" />}
        </Field>
        <Field label={t('auth.email')} error={errors.email?.message}>
          {(a) => <input {...a} {...register('email')} type="email" autoComplete="email" />}
        </Field>
        <Field label={t('auth.password')} error={errors.password?.message} help={<PasswordChecklist value={password} />}>
          {(a) => {
            const { ref, ...rest } = register('password');
            return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="new-password" />;
          }}
        </Field>
        <Field label={t('auth.confirmPassword')} error={errors.confirm?.message}>
          {(a) => {
            const { ref, ...rest } = register('confirm');
            return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="new-password" />;
          }}
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={isSubmitting}>
          {isSubmitting ? t('auth.register.submitting') : t('auth.register.submit')}
        </button>
      </form>
      <p className="auth__switch">
        {t('auth.register.haveAccount')} <Link to="/login">{t('nav.login')}</Link>
      </p>
    </AuthCard>
  );
}

// ---------------------------------------------------------------------------------------
export function LoginPage() {
  const { t } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [unverified, setUnverified] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    getValues,
    formState: { errors, isSubmitting },
  } = useForm<LoginValues>({ resolver: zodResolver(loginSchema), defaultValues: { login: '', password: '' } });

  const onSubmit = handleSubmit(async (values) => {
    setUnverified(null);
    try {
      await login(values.login.trim(), values.password);
      const next = params.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/feed', { replace: true });
    } catch (error) {
      if (isApiError(error) && error.code === 'EMAIL_NOT_VERIFIED') {
        const typed = getValues('login');
        setUnverified(typed.includes('@') ? typed : '');
      }
      applyServerError(error, setError, t, ['login', 'password']);
    }
  });

  return (
    <AuthCard title={t('auth.login.title')}>
      <form onSubmit={onSubmit} noValidate className="form">
        <FormError message={errors.root?.server?.message} />
        {unverified !== null && (
          <p className="notice">
            {t('auth.login.notVerified')}{' '}
            <Link to={`/resend-verification${unverified ? `?email=${encodeURIComponent(unverified)}` : ''}`}>
              {t('auth.login.resendLink')}
            </Link>
          </p>
        )}
        <Field label={t('auth.login')} error={errors.login?.message}>
          {(a) => <input {...a} {...register('login')} autoComplete="username" autoCapitalize="none" />}
        </Field>
        <Field label={t('auth.password')} error={errors.password?.message}>
          {(a) => {
            const { ref, ...rest } = register('password');
            return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="current-password" />;
          }}
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={isSubmitting}>
          {isSubmitting ? t('auth.login.submitting') : t('auth.login.submit')}
        </button>
      </form>
      <p className="auth__links">
        <Link to="/forgot-password">{t('auth.login.forgot')}</Link>
        <Link to="/resend-verification">{t('auth.login.resendLink')}</Link>
      </p>
      <p className="auth__switch">
        {t('auth.login.noAccount')} <Link to="/register">{t('nav.register')}</Link>
      </p>
    </AuthCard>
  );
}

// ---------------------------------------------------------------------------------------
type VerifyState = { kind: 'working' } | { kind: 'ok'; message: string } | { kind: 'failed'; message: string } | { kind: 'missing' };

export function VerifyEmailPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token');
  const [state, setState] = useState<VerifyState>(token ? { kind: 'working' } : { kind: 'missing' });
  const started = useRef<string | null>(null);

  useEffect(() => {
    // Tokens are single use: run once per token even under StrictMode's double effects.
    if (!token || started.current === token) return;
    started.current = token;
    authApi.verifyEmail(token).then(
      (result) => setState({ kind: 'ok', message: result.message ?? t('auth.verify.ok') }),
      (error) =>
        setState({
          kind: 'failed',
          message: isApiError(error) && error.status < 500 && error.message ? error.message : errorText(error, t),
        }),
    );
  }, [token, t]);

  return (
    <AuthCard title={t('auth.verify.title')}>
      {state.kind === 'working' && <LoadingState label={t('auth.verify.working')} />}
      {state.kind === 'ok' && (
        <>
          <FormSuccess message={state.message} />
          <p>{t('auth.verify.ok')}</p>
          <Link to="/login" className="btn btn--primary">
            {t('auth.goLogin')}
          </Link>
        </>
      )}
      {state.kind === 'failed' && (
        <>
          <FormError message={state.message} />
          <p>{t('auth.verify.failed')}</p>
          <Link to="/resend-verification" className="btn btn--secondary">
            {t('auth.login.resendLink')}
          </Link>
        </>
      )}
      {state.kind === 'missing' && (
        <>
          <FormError message={t('auth.verify.missing')} />
          <Link to="/resend-verification">{t('auth.login.resendLink')}</Link>
        </>
      )}
    </AuthCard>
  );
}

// ---------------------------------------------------------------------------------------
function EmailRequestForm({
  title,
  intro,
  submit,
  done,
  send,
}: {
  title: string;
  intro: string;
  submit: string;
  done: string;
  send: (email: string) => Promise<{ message: string | null }>;
}) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [sent, setSent] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<EmailValues>({ resolver: zodResolver(emailSchema), defaultValues: { email: params.get('email') ?? '' } });

  const onSubmit = handleSubmit(async ({ email }) => {
    try {
      const result = await send(email.trim());
      setSent(result.message ?? done);
    } catch (error) {
      applyServerError(error, setError, t, ['email']);
    }
  });

  return (
    <AuthCard title={title} intro={intro}>
      {sent ? (
        <>
          <FormSuccess message={sent} />
          <p>{done}</p>
          <Link to="/login" className="btn btn--primary">
            {t('auth.goLogin')}
          </Link>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <FormError message={errors.root?.server?.message} />
          <Field label={t('auth.email')} error={errors.email?.message}>
            {(a) => <input {...a} {...register('email')} type="email" autoComplete="email" />}
          </Field>
          <button type="submit" className="btn btn--primary btn--block" disabled={isSubmitting}>
            {submit}
          </button>
        </form>
      )}
    </AuthCard>
  );
}

export function ResendVerificationPage() {
  const { t } = useI18n();
  return (
    <EmailRequestForm
      title={t('auth.resend.title')}
      intro={t('auth.resend.intro')}
      submit={t('auth.resend.submit')}
      done={t('auth.resend.done')}
      send={(email) => authApi.resendVerification(email)}
    />
  );
}

export function ForgotPasswordPage() {
  const { t } = useI18n();
  return (
    <EmailRequestForm
      title={t('auth.forgot.title')}
      intro={t('auth.forgot.intro')}
      submit={t('auth.forgot.submit')}
      done={t('auth.forgot.done')}
      send={(email) => authApi.requestPasswordReset(email)}
    />
  );
}

// ---------------------------------------------------------------------------------------
export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token');
  const [done, setDone] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ResetValues>({ resolver: zodResolver(resetSchema), defaultValues: { password: '', confirm: '' } });
  const password = useWatch({ control, name: 'password' });

  if (!token) {
    return (
      <AuthCard title={t('auth.reset.title')}>
        <FormError message={t('auth.reset.missing')} />
        <Link to="/forgot-password">{t('auth.login.forgot')}</Link>
      </AuthCard>
    );
  }

  const onSubmit = handleSubmit(async (values) => {
    try {
      const result = await authApi.confirmPasswordReset(token, values.password);
      setDone(result.message ?? t('auth.reset.done'));
    } catch (error) {
      applyServerError(error, setError, t, ['password'], { new_password: 'password' });
    }
  });

  return (
    <AuthCard title={t('auth.reset.title')}>
      {done ? (
        <>
          <FormSuccess message={done} />
          <p>{t('auth.reset.done')}</p>
          <Link to="/login" className="btn btn--primary">
            {t('auth.goLogin')}
          </Link>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <FormError message={errors.root?.server?.message} />
          <Field label={t('auth.reset.newPassword')} error={errors.password?.message} help={<PasswordChecklist value={password} />}>
            {(a) => {
              const { ref, ...rest } = register('password');
              return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="new-password" />;
            }}
          </Field>
          <Field label={t('auth.confirmPassword')} error={errors.confirm?.message}>
            {(a) => {
              const { ref, ...rest } = register('confirm');
              return <PasswordInput {...a} {...rest} inputRef={ref} autoComplete="new-password" />;
            }}
          </Field>
          <button type="submit" className="btn btn--primary btn--block" disabled={isSubmitting}>
            {t('auth.reset.submit')}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
