import { createContext, useContext } from 'react';
import { en } from './en';
import { es, type MessageKey } from './es';

export type Lang = 'es' | 'en';
export type { MessageKey };
export const LANG_STORAGE_KEY = 'contravento.lang';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { es, en };

export type Params = Record<string, string | number>;

export function isMessageKey(value: string): value is MessageKey {
  return Object.prototype.hasOwnProperty.call(es, value);
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = dictionaries[lang][key] ?? es[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

export interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  formatDate: (value: string | null | undefined) => string;
  formatDateTime: (value: string | null | undefined) => string;
  formatNumber: (value: number | null | undefined, digits?: number) => string;
}

export const I18nContext = createContext<I18nValue | null>(null);

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

/** Translates `text` when it is a message key (client-side validation), else shows it as is (server text). */
export function useMaybeTranslate(): (text: string | undefined | null) => string {
  const { t } = useI18n();
  return (text) => (text ? (isMessageKey(text) ? t(text) : text) : '');
}
