import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { translate } from '../i18n/core';
import { applyServerError, errorText } from './errors';

const t = (key: Parameters<typeof translate>[1]) => translate('en', key);

describe('errorText', () => {
  it('uses the server message (already in the UI language)', () => {
    expect(errorText(new ApiError(400, 'EMAIL_TAKEN', 'Email already registered', 'email'), t)).toBe('Email already registered');
  });
  it('uses our own words for network and server failures', () => {
    expect(errorText(new ApiError(0, 'NETWORK_ERROR', 'Network error'), t)).toMatch(/Cannot reach the server/);
    expect(errorText(new ApiError(500, 'INTERNAL_ERROR', 'Traceback…'), t)).toMatch(/internal error/);
    // 503 (database restarting, password checks shed under load): a temporary condition
    expect(errorText(new ApiError(503, 'SERVICE_UNAVAILABLE', 'Servicio no disponible'), t)).toMatch(
      /try again in a few seconds/,
    );
  });
  it('replaces framework defaults such as "Not Found"', () => {
    expect(errorText(new ApiError(404, 'HTTP_404', 'Not Found'), t)).toBe('Not found.');
  });
});

describe('applyServerError', () => {
  const fields = ['password', 'locations', 'title'] as const;

  it('puts a field error on that field', () => {
    const setError = vi.fn();
    const used = applyServerError(new ApiError(400, 'VALIDATION_ERROR', 'Too weak', 'password'), setError, t, fields);
    expect(used).toBe('password');
    expect(setError).toHaveBeenCalledWith('password', { type: 'server', message: 'Too weak' }, { shouldFocus: true });
  });

  it('keeps nested paths such as locations.0.latitude', () => {
    const setError = vi.fn();
    applyServerError(new ApiError(400, 'VALIDATION_ERROR', 'Bad latitude', 'locations.0.latitude'), setError, t, fields);
    expect(setError).toHaveBeenCalledWith('locations.0.latitude', expect.objectContaining({ message: 'Bad latitude' }), { shouldFocus: true });
  });

  it('renames server fields through aliases', () => {
    const setError = vi.fn();
    applyServerError(new ApiError(400, 'VALIDATION_ERROR', 'Weak', 'new_password'), setError, t, fields, { new_password: 'password' });
    expect(setError).toHaveBeenCalledWith('password', expect.anything(), expect.anything());
  });

  it('sends unknown or missing fields to root.server', () => {
    const setError = vi.fn();
    expect(applyServerError(new ApiError(401, 'INVALID_CREDENTIALS', 'Wrong'), setError, t, fields)).toBeNull();
    expect(setError).toHaveBeenCalledWith('root.server', { type: 'server', message: 'Wrong' });
    applyServerError(new ApiError(400, 'VALIDATION_ERROR', 'Limit', 'query.limit'), setError, t, fields);
    expect(setError).toHaveBeenLastCalledWith('root.server', expect.objectContaining({ message: 'Limit' }));
  });
});
