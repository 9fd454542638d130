import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { __resetClientForTests } from '../api/client';
import { mockFetch, ok } from '../test/utils';
import { en } from './en';
import { es } from './es';
import { I18nProvider } from './I18nProvider';
import { LANG_STORAGE_KEY, translate, useI18n } from './core';

function Probe() {
  const { t, lang, setLang, formatNumber } = useI18n();
  return (
    <div>
      <p>{t('nav.login')}</p>
      <p>{t('common.page', { page: 2, total: 5 })}</p>
      <p data-testid="num">{formatNumber(1234.5, 1)}</p>
      <button type="button" onClick={() => setLang(lang === 'es' ? 'en' : 'es')}>
        switch
      </button>
    </div>
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  __resetClientForTests();
});

describe('i18n', () => {
  it('is Spanish by default and switches to English', async () => {
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('Entrar')).toBeInTheDocument();
    expect(screen.getByText('Página 2 de 5')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('es');
    await userEvent.click(screen.getByRole('button', { name: 'switch' }));
    expect(screen.getByText('Log in')).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 5')).toBeInTheDocument();
    expect(screen.getByTestId('num')).toHaveTextContent('1,234.5');
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
  });

  it('remembers the chosen language', () => {
    window.localStorage.setItem(LANG_STORAGE_KEY, 'en');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('Log in')).toBeInTheDocument();
  });

  it('sends the UI language as Accept-Language', async () => {
    const fetchMock = mockFetch(() => ok(null));
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    await act(() => api.get('/x'));
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>)['Accept-Language']).toBe('es');
    await userEvent.click(screen.getByRole('button', { name: 'switch' }));
    await act(() => api.get('/x'));
    expect((fetchMock.mock.calls[1][1]?.headers as Record<string, string>)['Accept-Language']).toBe('en');
  });

  it('has an English text for every key, with the same placeholders', () => {
    for (const key of Object.keys(es) as (keyof typeof es)[]) {
      expect(en[key], key).toBeTruthy();
      const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(names(en[key]), key).toBe(names(es[key]));
    }
  });

  it('interpolates parameters', () => {
    expect(translate('es', 'trips.title', { username: 'ana' })).toBe('Viajes de ana');
  });
});
