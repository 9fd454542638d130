export { api, request, ApiError, isApiError, mediaUrl, buildUrl, setApiLanguage, onSessionExpired, refreshSession, API_BASE } from './client';
export type { ApiResult, RequestOptions } from './client';
export { tokenStore } from './tokens';
