import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useI18n } from '../i18n/core';

/** Last line of defence for render errors and failed chunk loads. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const chunkFailed = error instanceof Error && /dynamically imported module|Importing a module script/i.test(error.message);
  return (
    <main className="main" id="main">
      <section className="section state state--error" role="alert">
        <h1>{isRouteErrorResponse(error) && error.status === 404 ? t('common.notFoundTitle') : t('common.error')}</h1>
        <p>{chunkFailed ? t('errors.NETWORK_ERROR') : t('errors.generic')}</p>
        <p className="row">
          <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
            {t('common.retry')}
          </button>
          <Link to="/" className="btn btn--ghost" reloadDocument>
            {t('common.goHome')}
          </Link>
        </p>
      </section>
    </main>
  );
}
