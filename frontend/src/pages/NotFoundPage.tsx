import { Link } from 'react-router';
import { EmptyState, usePageTitle } from '../components/ui';
import { useI18n } from '../i18n/core';

export default function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('common.notFoundTitle'));
  return (
    <section className="section">
      <h1>{t('common.notFoundTitle')}</h1>
      <EmptyState
        action={
          <Link to="/" className="btn btn--primary">
            {t('common.goHome')}
          </Link>
        }
      >
        {t('common.notFound')}
      </EmptyState>
    </section>
  );
}
