import { createContext, useContext } from 'react';
import type { UserResponse } from '../api/types';

export interface AuthValue {
  user: UserResponse | null;
  /** True until the stored session has been checked. */
  initializing: boolean;
  isAdmin: boolean;
  login: (login: string, password: string) => Promise<UserResponse>;
  logout: () => Promise<void>;
  refreshUser: () => Promise<void>;
  /** Forget the session locally (after deleting the account). */
  forget: () => void;
}

export const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
