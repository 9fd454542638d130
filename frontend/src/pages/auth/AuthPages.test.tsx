import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests } from '../../api/client';
import { tokenStore } from '../../api/tokens';
import { fail, mockFetch, ok, renderPage } from '../../test/utils';
import { useI18n } from '../../i18n/core';
import { LoginPage, RegisterPage, ResetPasswordPage, VerifyEmailPage } from './AuthPages';

function SwitchToEnglish() {
  const { setLang } = useI18n();
  return (
    <button type="button" onClick={() => setLang('en')}>
      to-en
    </button>
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  __resetClientForTests();
});

describe('RegisterPage', () => {
  it('shows client-side validation in Spanish and follows a switch to English', async () => {
    const fetchMock = mockFetch(() => ok(null));
    renderPage(
      <>
        <RegisterPage />
        <SwitchToEnglish />
      </>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Nombre de usuario'), 'ab');
    await user.type(screen.getByLabelText('Email'), 'no-es-email');
    await user.type(screen.getByLabelText('Contraseña'), 'short');
    await user.click(screen.getByRole('button', { name: 'Crear cuenta' }));

    expect(await screen.findByText('El nombre de usuario debe tener entre 3 y 30 caracteres.')).toBeInTheDocument();
    expect(screen.getByText('Introduce un email válido.')).toBeInTheDocument();
    expect(screen.getByText('La contraseña debe tener al menos 8 caracteres.')).toBeInTheDocument();
    expect(screen.getByLabelText('Nombre de usuario')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock).not.toHaveBeenCalled();

    // The visible errors are message keys, so they follow a language switch.
    await user.click(screen.getByRole('button', { name: 'to-en' }));
    expect(await screen.findByText('Username must be between 3 and 30 characters.')).toBeInTheDocument();
    expect(screen.getByText('Enter a valid email address.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
  });

  it('renders the same errors in English', async () => {
    mockFetch(() => ok(null));
    renderPage(<RegisterPage />, { lang: 'en' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'a b');
    await user.type(screen.getByLabelText('Password'), 'longenough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('Only letters, numbers and underscores.')).toBeInTheDocument();
    expect(screen.getByText('Must contain at least one uppercase letter.')).toBeInTheDocument();
    expect(screen.getAllByText('This field is required.').length).toBeGreaterThan(0);
  });

  it('puts server field errors next to the field they concern', async () => {
    const fetchMock = mockFetch(() => fail(400, 'USERNAME_TAKEN', 'El nombre de usuario ya está en uso', 'username'));
    renderPage(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Nombre de usuario'), 'ana_rides');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Contraseña'), 'Secret123!');
    await user.type(screen.getByLabelText('Repite la contraseña'), 'Secret123!');
    await user.click(screen.getByRole('button', { name: 'Crear cuenta' }));

    const message = await screen.findByText('El nombre de usuario ya está en uso');
    const input = screen.getByLabelText('Nombre de usuario');
    expect(input.getAttribute('aria-describedby')).toContain(message.id);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    const body = JSON.parse(String(fetchMock.mock.calls[0][1]?.body));
    expect(body).toEqual({ username: 'ana_rides', email: 'ana@example.com', password: 'Secret123!' });
  });

  it('maps a VALIDATION_ERROR on "password" to the password field', async () => {
    mockFetch(() => fail(400, 'VALIDATION_ERROR', "Error de validación en el campo 'password': demasiado común", 'password'));
    renderPage(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Nombre de usuario'), 'ana');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Contraseña'), 'Secret123!');
    await user.type(screen.getByLabelText('Repite la contraseña'), 'Secret123!');
    await user.click(screen.getByRole('button', { name: 'Crear cuenta' }));
    const message = await screen.findByText(/demasiado común/);
    expect(screen.getByLabelText('Contraseña').getAttribute('aria-describedby')).toContain(message.id);
  });

  it('tells the rider to check their email', async () => {
    mockFetch(() => ({ status: 201, body: { success: true, data: { user_id: 'u', username: 'ana', email: 'ana@example.com', is_verified: false, is_active: true, created_at: '' }, error: null } }));
    renderPage(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Nombre de usuario'), 'ana');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Contraseña'), 'Secret123!');
    await user.type(screen.getByLabelText('Repite la contraseña'), 'Secret123!');
    await user.click(screen.getByRole('button', { name: 'Crear cuenta' }));
    expect(await screen.findByText(/Te hemos enviado un enlace a ana@example.com/)).toBeInTheDocument();
  });
});

describe('LoginPage', () => {
  it('shows bad credentials as a form error, announced', async () => {
    mockFetch(() => fail(401, 'INVALID_CREDENTIALS', 'Email/usuario o contraseña incorrectos'));
    renderPage(<LoginPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email o usuario'), 'ana');
    await user.type(screen.getByLabelText('Contraseña'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    const alert = await screen.findByText('Email/usuario o contraseña incorrectos');
    expect(alert.closest('[aria-live]')).not.toBeNull();
    expect(tokenStore.access()).toBeNull();
  });

  it('offers to resend the verification email for unverified accounts', async () => {
    mockFetch(() => fail(400, 'EMAIL_NOT_VERIFIED', 'Verifica tu email antes de iniciar sesión'));
    renderPage(<LoginPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email o usuario'), 'ana@example.com');
    await user.type(screen.getByLabelText('Contraseña'), 'Secret123!');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    const link = await screen.findAllByRole('link', { name: 'Reenviar verificación' });
    expect(link[0]).toHaveAttribute('href', '/resend-verification?email=ana%40example.com');
  });

  it('stores both tokens on success', async () => {
    const user = { user_id: 'u1', username: 'ana', email: 'a@x.es', is_verified: true, profile_visibility: 'public', trip_visibility: 'public', created_at: '', photo_url: null, bio: null, location: null, cycling_type: null };
    mockFetch((url) => (url.pathname === '/api/auth/login' ? ok({ access_token: 'A', refresh_token: 'R', token_type: 'bearer', expires_in: 900, user }) : ok(user)));
    renderPage(<LoginPage />, { route: '/login' });
    const u = userEvent.setup();
    await u.type(screen.getByLabelText('Email o usuario'), 'ana');
    await u.type(screen.getByLabelText('Contraseña'), 'Secret123!');
    await u.click(screen.getByRole('button', { name: 'Entrar' }));
    await waitFor(() => expect(tokenStore.access()).toBe('A'));
    expect(tokenStore.refresh()).toBe('R');
  });
});

describe('VerifyEmailPage', () => {
  it('posts the token from the query string as a query parameter', async () => {
    const fetchMock = mockFetch(() => ok(null, 'Tu cuenta ha sido verificada correctamente'));
    renderPage(<VerifyEmailPage />, { route: '/verify-email?token=abc.def' });
    expect(await screen.findByText('Tu cuenta ha sido verificada correctamente')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(String(fetchMock.mock.calls[0][0])).toBe('/api/auth/verify-email?token=abc.def');
    expect(fetchMock.mock.calls[0][1]?.body).toBeUndefined();
  });

  it('explains an invalid token', async () => {
    mockFetch(() => fail(400, 'INVALID_TOKEN', 'Token inválido'));
    renderPage(<VerifyEmailPage />, { route: '/verify-email?token=bad' });
    expect(await screen.findByText('Token inválido')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Reenviar verificación' })).toBeInTheDocument();
  });
});

describe('ResetPasswordPage', () => {
  it('sends {token, new_password} and maps new_password errors to the field', async () => {
    const fetchMock = mockFetch(() => fail(400, 'VALIDATION_ERROR', 'Contraseña demasiado débil', 'new_password'));
    renderPage(<ResetPasswordPage />, { route: '/reset-password?token=T1' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Contraseña nueva'), 'Secret123!');
    await user.type(screen.getByLabelText('Repite la contraseña'), 'Secret123!');
    await user.click(screen.getByRole('button', { name: 'Cambiar contraseña' }));
    const message = await screen.findByText('Contraseña demasiado débil');
    expect(screen.getByLabelText('Contraseña nueva').getAttribute('aria-describedby')).toContain(message.id);
    expect(JSON.parse(String(fetchMock.mock.calls[0][1]?.body))).toEqual({ token: 'T1', new_password: 'Secret123!' });
  });

  it('checks that both passwords match', async () => {
    mockFetch(() => ok(null));
    renderPage(<ResetPasswordPage />, { route: '/reset-password?token=T1', lang: 'en' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('New password'), 'Secret123!');
    await user.type(screen.getByLabelText('Repeat the password'), 'Secret123?');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Passwords do not match.')).toBeInTheDocument();
  });
});
