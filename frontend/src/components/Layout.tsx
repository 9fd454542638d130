import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { useI18n, type Lang } from '../i18n/core';
import { Avatar, LoadingState } from './ui';

export function Logo() {
  return (
    <svg className="logo__mark" viewBox="0 0 48 32" aria-hidden="true" width="40" height="27">
      <circle cx="10" cy="21" r="8" />
      <circle cx="38" cy="21" r="8" />
      <path d="M10 21 L19 8 L31 8 L38 21 M19 8 L25 21 L10 21 M31 8 L25 21 M17 4 h6 M30 8 l-1-4 h5" />
    </svg>
  );
}

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const options: { code: Lang; label: string; name: string }[] = [
    { code: 'es', label: 'ES', name: 'Español' },
    { code: 'en', label: 'EN', name: 'English' },
  ];
  return (
    <div className="lang-switch" role="group" aria-label={t('nav.language')}>
      {options.map((o) => (
        <button
          key={o.code}
          type="button"
          lang={o.code}
          className="lang-switch__btn"
          aria-pressed={lang === o.code}
          onClick={() => setLang(o.code)}
        >
          {/* The name is the language's (visible text stays part of it: no aria-label). */}
          <span aria-hidden="true">{o.label}</span>
          <span className="visually-hidden">{o.name}</span>
        </button>
      ))}
    </div>
  );
}

export function Layout() {
  const { t } = useI18n();
  const { user, isAdmin, logout } = useAuth();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  // Close the mobile menu when the route changes (state adjusted during render).
  const [menuPath, setMenuPath] = useState(location.pathname);
  if (menuPath !== location.pathname) {
    setMenuPath(location.pathname);
    setOpen(false);
  }
  const navigate = useNavigate();


  const onLogout = async () => {
    // Leave a private page (synchronously) before the session ends, or RequireAuth would
    // send us to /login?next=….
    await navigate('/', { flushSync: true });
    await logout();
  };

  const linkClass = ({ isActive }: { isActive: boolean }) => `nav__link${isActive ? ' nav__link--active' : ''}`;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="header">
        <div className="header__inner">
          <Link to="/" className="logo">
            <Logo />
            <span className="logo__text">{t('app.name')}</span>
          </Link>
          <button
            type="button"
            className="nav-toggle"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((v) => !v)}
          >
            <span className="nav-toggle__bars" aria-hidden="true" />
            <span className="visually-hidden">{t('nav.menu')}</span>
          </button>
          <nav id="main-nav" className={`nav${open ? ' nav--open' : ''}`} aria-label={t('nav.main')}>
            <ul className="nav__list">
              <li>
                <NavLink to="/" end className={linkClass}>
                  {t('nav.home')}
                </NavLink>
              </li>
              {user ? (
                <>
                  <li>
                    <NavLink to="/feed" className={linkClass}>
                      {t('nav.feed')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to={`/users/${encodeURIComponent(user.username)}/trips`} className={linkClass}>
                      {t('nav.myTrips')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/trips/new" className={({ isActive }) => `nav__link nav__link--cta${isActive ? ' nav__link--active' : ''}`}>
                      + {t('nav.newTrip')}
                    </NavLink>
                  </li>
                  {isAdmin && (
                    <li>
                      <NavLink to="/admin/cycling-types" className={linkClass}>
                        {t('nav.admin')}
                      </NavLink>
                    </li>
                  )}
                  <li>
                    <NavLink to={`/users/${encodeURIComponent(user.username)}`} end className={linkClass}>
                      <span className="nav__user">
                        <Avatar url={user.photo_url} name={user.username} size={26} />
                        <span>{user.username}</span>
                      </span>
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/settings" className={linkClass}>
                      {t('nav.settings')}
                    </NavLink>
                  </li>
                  <li>
                    <button type="button" className="nav__link nav__button" onClick={onLogout}>
                      {t('nav.logout')}
                    </button>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <NavLink to="/login" className={linkClass}>
                      {t('nav.login')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/register" className={({ isActive }) => `nav__link nav__link--cta${isActive ? ' nav__link--active' : ''}`}>
                      {t('nav.register')}
                    </NavLink>
                  </li>
                </>
              )}
            </ul>
            <LanguageSwitch />
          </nav>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
