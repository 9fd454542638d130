import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isApiError, onSessionExpired, tokenStore } from '../api';
import { authApi, cyclingTypesApi } from '../api/endpoints';
import type { UserResponse } from '../api/types';
import { useToast } from '../components/toast';
import { useI18n } from '../i18n/core';
import { AuthContext, type AuthValue } from './AuthContext';

export function AuthProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const notify = useToast();
  const [user, setUser] = useState<UserResponse | null>(null);
  const [initializing, setInitializing] = useState(() => tokenStore.access() !== null || tokenStore.refresh() !== null);

  const refreshUser = useCallback(async () => {
    if (!tokenStore.access() && !tokenStore.refresh()) {
      setUser(null);
      return;
    }
    try {
      setUser(await authApi.me());
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        tokenStore.clear();
        setUser(null);
      }
    }
  }, []);

  // Restore the stored session once.
  useEffect(() => {
    if (!initializing) return;
    authApi
      .me()
      .then(setUser, (error: unknown) => {
        if (isApiError(error) && error.status === 401) tokenStore.clear();
      })
      .finally(() => setInitializing(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Tokens removed elsewhere (other tab, failed refresh): the session is over.
  useEffect(
    () =>
      tokenStore.subscribe(() => {
        if (!tokenStore.access() && !tokenStore.refresh()) setUser(null);
      }),
    [],
  );
  useEffect(() => onSessionExpired(() => notify(t('errors.sessionExpired'), 'info')), [notify, t]);

  // The admin role is in no user payload: ask the admin endpoint once per session.
  const userId = user?.user_id ?? null;
  const role = user ? (user as { role?: string }).role : undefined;
  const [adminProbe, setAdminProbe] = useState<{ userId: string; admin: boolean } | null>(null);
  useEffect(() => {
    if (!userId || role) return;
    const key = `contravento.admin.${userId}`;
    const cached = window.sessionStorage.getItem(key);
    let live = true;
    const probe = cached !== null ? Promise.resolve(cached === '1') : cyclingTypesApi.adminList().then(() => true, () => false);
    probe.then((admin) => {
      window.sessionStorage.setItem(key, admin ? '1' : '0');
      if (live) setAdminProbe({ userId, admin });
    });
    return () => {
      live = false;
    };
  }, [userId, role]);
  const isAdmin = role ? role === 'admin' : Boolean(userId && adminProbe?.userId === userId && adminProbe.admin);

  const login = useCallback(async (loginName: string, password: string) => {
    const data = await authApi.login({ login: loginName, password });
    tokenStore.set(data.access_token, data.refresh_token);
    setUser(data.user);
    // The login payload has no profile fields; /auth/me fills them in.
    authApi.me().then(setUser, () => undefined);
    return data.user;
  }, []);

  const logout = useCallback(async () => {
    await authApi.logout();
    setUser(null);
  }, []);

  const forget = useCallback(() => {
    tokenStore.clear();
    setUser(null);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({ user, initializing, isAdmin, login, logout, refreshUser, forget }),
    [user, initializing, isAdmin, login, logout, refreshUser, forget],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
