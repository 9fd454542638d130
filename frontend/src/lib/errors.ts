import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError } from '../api';
import { isMessageKey, type I18nValue } from '../i18n/core';

const STARLETTE_DEFAULTS = new Set(['Not Found', 'Method Not Allowed', 'Internal Server Error']);

/** A message for any error, in the UI language (the backend localises its own messages). */
export function errorText(error: unknown, t: I18nValue['t']): string {
  if (isApiError(error)) {
    if (error.code === 'NETWORK_ERROR') return t('errors.NETWORK_ERROR');
    if (error.status === 503) return t('errors.SERVICE_UNAVAILABLE');
    if (error.status >= 500) return t('errors.INTERNAL_ERROR');
    const key = `errors.${error.code}`;
    if (error.message && error.message !== error.code && !STARLETTE_DEFAULTS.has(error.message)) return error.message;
    if (isMessageKey(key)) return t(key);
    if (error.status === 404) return t('errors.NOT_FOUND');
    if (error.status === 403) return t('errors.FORBIDDEN');
    return t('errors.generic');
  }
  return t('errors.generic');
}

/**
 * Puts an API error next to the field it concerns.
 * The backend's `field` is a dotted path (`password`, `locations.0.latitude`); `fields` lists
 * the form's top-level fields, and `aliases` renames server fields (`new_password` → `password`).
 * Errors with no matching field go to `root.server`.  Returns the field used, if any.
 */
export function applyServerError<F extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<F>,
  t: I18nValue['t'],
  fields: readonly string[],
  aliases: Record<string, string> = {},
): string | null {
  const message = errorText(error, t);
  if (isApiError(error) && error.field) {
    let field = error.field.replace(/^body\./, '');
    const head = field.split('.')[0];
    if (aliases[field]) field = aliases[field];
    else if (aliases[head]) field = aliases[head] + field.slice(head.length);
    const top = field.split('.')[0];
    if (fields.includes(top)) {
      setError(field as Path<F>, { type: 'server', message }, { shouldFocus: true });
      return field;
    }
  }
  setError('root.server' as Path<F>, { type: 'server', message });
  return null;
}
