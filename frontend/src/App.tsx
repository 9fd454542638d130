import { lazy, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useParams, type RouteObject } from 'react-router';
import { AuthProvider } from './auth/AuthProvider';
import { RequireAuth } from './auth/RequireAuth';
import { useAuth } from './auth/AuthContext';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Layout } from './components/Layout';
import { ToastProvider } from './components/toast';
import { LoadingState } from './components/ui';
import { I18nProvider } from './i18n/I18nProvider';
import { flushRouterUpdates } from './lib/flush';

// Route-level code splitting: each page is its own chunk.
const HomePage = lazy(() => import('./pages/HomePage'));
const FeedPage = lazy(() => import('./pages/FeedPage'));
const TripDetailPage = lazy(() => import('./pages/TripDetailPage'));
const TripListPage = lazy(() => import('./pages/trips/TripListPage'));
const GpxWizardPage = lazy(() => import('./pages/trips/GpxWizardPage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));
const AdminCyclingTypesPage = lazy(() => import('./pages/AdminCyclingTypesPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const auth = () => import('./pages/auth/AuthPages');
const RegisterPage = lazy(() => auth().then((m) => ({ default: m.RegisterPage })));
const LoginPage = lazy(() => auth().then((m) => ({ default: m.LoginPage })));
const VerifyEmailPage = lazy(() => auth().then((m) => ({ default: m.VerifyEmailPage })));
const ResendVerificationPage = lazy(() => auth().then((m) => ({ default: m.ResendVerificationPage })));
const ForgotPasswordPage = lazy(() => auth().then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => auth().then((m) => ({ default: m.ResetPasswordPage })));
const editor = () => import('./pages/trips/TripEditorPage');
const NewTripPage = lazy(() => editor().then((m) => ({ default: m.NewTripPage })));
const EditTripPage = lazy(() => editor().then((m) => ({ default: m.EditTripPage })));
const FollowListPage = lazy(() => import('./pages/ProfilePage').then((m) => ({ default: m.FollowListPage })));

function Private({ children }: { children: ReactNode }) {
  return <RequireAuth>{children}</RequireAuth>;
}

/** Logged-in riders skip the login/register screens. */
function GuestOnly({ children }: { children: ReactNode }) {
  const { user, initializing } = useAuth();
  if (initializing) return <LoadingState />;
  return user ? <Navigate to="/feed" replace /> : <>{children}</>;
}

function FollowList({ kind }: { kind: 'followers' | 'following' }) {
  const { username } = useParams();
  return <FollowListPage key={`${kind}-${username}`} kind={kind} />;
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <ErrorBoundary />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'register', element: <GuestOnly><RegisterPage /></GuestOnly> },
      { path: 'login', element: <GuestOnly><LoginPage /></GuestOnly> },
      { path: 'verify-email', element: <VerifyEmailPage /> },
      { path: 'resend-verification', element: <ResendVerificationPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'feed', element: <Private><FeedPage /></Private> },
      { path: 'trips/new', element: <Private><NewTripPage /></Private> },
      { path: 'trips/new/gpx', element: <Private><GpxWizardPage /></Private> },
      { path: 'trips/:tripId', element: <TripDetailPage /> },
      { path: 'trips/:tripId/edit', element: <Private><EditTripPage /></Private> },
      { path: 'users/:username', element: <ProfilePage /> },
      { path: 'users/:username/trips', element: <TripListPage /> },
      { path: 'users/:username/followers', element: <FollowList kind="followers" /> },
      { path: 'users/:username/following', element: <FollowList kind="following" /> },
      { path: 'settings', element: <Private><SettingsPage /></Private> },
      { path: 'admin/cycling-types', element: <Private><AdminCyclingTypesPage /></Private> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function Providers({ children }: { children: ReactNode }) {
  return (
    <I18nProvider>
      <ToastProvider>
        <AuthProvider>{children}</AuthProvider>
      </ToastProvider>
    </I18nProvider>
  );
}

export default function App() {
  return (
    <Providers>
      {/* flushSync: lets navigate(…, { flushSync: true }) render the new page at once. */}
      <RouterProvider router={router} flushSync={flushRouterUpdates} />
    </Providers>
  );
}
