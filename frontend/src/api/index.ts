export { api, request, requestBlob, ApiError, isApiError, mediaUrl, buildUrl, setApiLanguage, onSessionExpired, refreshSession, API_BASE } from './client';
export type { ApiResult, BlobResult, RequestOptions } from './client';
export { tokenStore } from './tokens';
