import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setApiLanguage } from '../api';
import { I18nContext, LANG_STORAGE_KEY, translate, type I18nValue, type Lang } from './core';

function initialLang(): Lang {
  try {
    const stored = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (stored === 'es' || stored === 'en') return stored;
  } catch {
    // no storage: Spanish
  }
  return 'es';
}

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => forced ?? initialLang());
  // Keep the API client in step before children render their first requests.
  setApiLanguage(lang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    setApiLanguage(next);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // ignore
    }
  }, []);

  const value = useMemo<I18nValue>(() => {
    const locale = lang === 'es' ? 'es-ES' : 'en-GB';
    const dateFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
    const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      formatDate: (value) => {
        if (!value) return '';
        const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
        return Number.isNaN(date.getTime()) ? value : dateFmt.format(date);
      },
      formatDateTime: (value) => {
        if (!value) return '';
        const date = new Date(value);
        return Number.isNaN(date.getTime()) ? value : dateTimeFmt.format(date);
      },
      formatNumber: (value, digits = 1) =>
        new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value ?? 0),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
