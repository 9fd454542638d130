import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { __resetClientForTests } from '../api/client';
import { tokenStore } from '../api/tokens';
import { AuthProvider } from '../auth/AuthProvider';
import { RequireAuth } from '../auth/RequireAuth';
import { ToastProvider } from '../components/toast';
import { I18nProvider } from '../i18n/I18nProvider';
import { flushRouterUpdates } from '../lib/flush';
import { mockFetch, ok } from '../test/utils';
import SettingsPage from './SettingsPage';

const me = {
  user_id: 'u1',
  username: 'cleo',
  email: 'cleo@example.com',
  is_verified: true,
  profile_visibility: 'public',
  trip_visibility: 'public',
  created_at: '2024-01-01T00:00:00Z',
  photo_url: null,
  bio: null,
  location: null,
  cycling_type: null,
};
const profile = {
  username: 'cleo',
  full_name: null,
  bio: null,
  photo_url: null,
  location: null,
  cycling_type: null,
  profile_visibility: 'public',
  trip_visibility: 'public',
  show_email: false,
  show_location: true,
  followers_count: 0,
  following_count: 0,
  is_following: null,
  stats: { total_trips: 0, total_kilometers: 0, achievements_count: 0 },
  created_at: '2024-01-01T00:00:00Z',
};

beforeEach(() => {
  __resetClientForTests();
  window.sessionStorage.setItem('contravento.admin.u1', '0');
});
afterEach(() => vi.unstubAllGlobals());

describe('SettingsPage: account deletion', () => {
  it('ends on the home page, logged out (not on /login?next=/settings)', async () => {
    tokenStore.set('A1', 'R1');
    const deleted: string[] = [];
    mockFetch((url, init) => {
      if (url.pathname === '/api/auth/me' && init.method === 'DELETE') {
        deleted.push(String(init.body));
        return ok(null, 'Tu cuenta y todos sus datos han sido eliminados');
      }
      if (url.pathname === '/api/auth/me') return ok(me);
      if (url.pathname === '/api/users/cleo/profile') return { body: profile };
      if (url.pathname === '/api/cycling-types') return { body: [] };
      return ok(null);
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const router = createMemoryRouter(
      [
        { path: '/', element: <p>home</p> },
        { path: '/login', element: <p>login page</p> },
        {
          path: '/settings',
          element: (
            <RequireAuth>
              <SettingsPage />
            </RequireAuth>
          ),
        },
      ],
      { initialEntries: ['/settings'] },
    );
    render(
      <I18nProvider lang="en">
        <ToastProvider>
          <AuthProvider>
            <RouterProvider router={router} flushSync={flushRouterUpdates} />
          </AuthProvider>
        </ToastProvider>
      </I18nProvider>,
    );
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Type your password to confirm'), 'Secreto#2024');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(deleted).toEqual(['{"password":"Secreto#2024"}']);
    expect(await screen.findByText('home')).toBeInTheDocument();
    expect(screen.queryByText('login page')).toBeNull();
    expect(tokenStore.access()).toBeNull();
    // Settled: nothing redirects afterwards.
    await new Promise((r) => setTimeout(r, 50));
    expect(router.state.location.pathname).toBe('/');
  });
});
