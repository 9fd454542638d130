/** One function per backend route the web app uses (contract §2). */
import { api, request, requestBlob, tokenStore } from './index';
import type * as T from './types';

const u = encodeURIComponent;
type Progress = ((fraction: number) => void) | undefined;

function formWith(field: string, file: Blob, name?: string, extra?: Record<string, string | undefined | null>): FormData {
  const form = new FormData();
  if (name) form.append(field, file, name);
  else form.append(field, file);
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value !== undefined && value !== null && value !== '') form.append(key, value);
  }
  return form;
}

// --- auth (§2.2) -------------------------------------------------------------------------
export const authApi = {
  register: (body: { username: string; email: string; password: string }) =>
    request<T.RegisterResult>('/auth/register', { method: 'POST', json: body, auth: 'none' }),
  verifyEmail: (token: string) =>
    request<null>('/auth/verify-email', { method: 'POST', query: { token }, auth: 'none' }),
  resendVerification: (email: string) =>
    request<null>('/auth/resend-verification', { method: 'POST', query: { email }, auth: 'none' }),
  login: (body: { login: string; password: string }) =>
    api.post<T.LoginData>('/auth/login', { json: body, auth: 'none' }),
  me: () => api.get<T.UserResponse>('/auth/me'),
  /** Ends the session on the server (best effort) and always forgets the tokens locally. */
  async logout(): Promise<void> {
    const refreshToken = tokenStore.refresh();
    try {
      if (refreshToken && tokenStore.access()) {
        await api.post<null>('/auth/logout', { query: { refresh_token: refreshToken } }).catch(async (error: unknown) => {
          // An expired access token was refreshed on the way, which rotated the refresh
          // token: revoke the new one instead.
          const rotated = tokenStore.refresh();
          if (rotated && rotated !== refreshToken) await api.post<null>('/auth/logout', { query: { refresh_token: rotated } });
          else throw error;
        });
      }
    } catch {
      // The server may already consider the session over; locally it ends regardless.
    } finally {
      tokenStore.clear();
    }
  },
  requestPasswordReset: (email: string) =>
    request<null>('/auth/password-reset/request', { method: 'POST', json: { email }, auth: 'none' }),
  confirmPasswordReset: (token: string, new_password: string) =>
    request<null>('/auth/password-reset/confirm', { method: 'POST', json: { token, new_password }, auth: 'none' }),
  deleteAccount: (password: string) => request<null>('/auth/me', { method: 'DELETE', json: { password } }),
};

// --- profiles, stats, achievements, social (§2.3–2.5) --------------------------------------
export const usersApi = {
  profile: (username: string) =>
    api.get<T.ProfileResponse>(`/users/${u(username)}/profile`, { publicFallback: true }),
  updateProfile: (username: string, body: T.ProfileUpdate) =>
    request<T.ProfileResponse>(`/users/${u(username)}/profile`, { method: 'PUT', json: body }),
  uploadPhoto: (username: string, file: Blob, onProgress?: Progress) =>
    request<T.ProfilePhotoResult>(`/users/${u(username)}/profile/photo`, {
      method: 'POST',
      form: formWith('photo', file),
      onUploadProgress: onProgress ?? (() => undefined),
    }),
  deletePhoto: (username: string) => request<null>(`/users/${u(username)}/profile/photo`, { method: 'DELETE' }),
  updatePrivacy: (username: string, body: { show_email?: boolean; show_location?: boolean }) =>
    request<{ show_email: boolean; show_location: boolean }>(`/users/${u(username)}/profile/privacy`, {
      method: 'PUT',
      json: body,
    }),
  changePassword: (username: string, body: { current_password: string; new_password: string }) =>
    request<null>(`/users/${u(username)}/profile/password`, { method: 'PUT', json: body }),
  stats: (username: string) => api.get<T.StatsResponse>(`/users/${u(username)}/stats`, { publicFallback: true }),
  achievements: (username: string) =>
    api.get<T.AchievementList<T.AchievementResponse>>(`/users/${u(username)}/achievements`, { publicFallback: true }),
  allAchievements: () => api.get<T.AchievementList<T.AchievementDefinition>>('/achievements', { publicFallback: true }),
  follow: (username: string) => api.post<T.FollowResponse>(`/users/${u(username)}/follow`),
  unfollow: (username: string) => api.del<T.FollowResponse>(`/users/${u(username)}/follow`),
  followers: (username: string, page = 1, limit = 20) =>
    api.get<T.FollowersPage>(`/users/${u(username)}/followers`, { query: { page, limit }, publicFallback: true }),
  following: (username: string, page = 1, limit = 20) =>
    api.get<T.FollowingPage>(`/users/${u(username)}/following`, { query: { page, limit }, publicFallback: true }),
  trips: (
    username: string,
    params: { tag?: string; status?: T.TripStatus | ''; visibility?: 'public' | 'private' | ''; sort_by?: T.TripSort; limit?: number; offset?: number },
    signal?: AbortSignal,
  ) => api.get<T.UserTripsPage>(`/users/${u(username)}/trips`, { query: params, publicFallback: true, signal }),
};

// --- trips (§2.6–2.8, 2.10–2.12) ------------------------------------------------------------
export const tripsApi = {
  publicFeed: (page = 1, limit = 8) =>
    api.get<T.PublicFeedPage>('/trips/public', { query: { page, limit }, publicFallback: true }),
  feed: (page = 1, limit = 10) => api.get<T.FeedPage>('/feed', { query: { page, limit } }),
  get: (tripId: string) => api.get<T.TripResponse>(`/trips/${u(tripId)}`, { publicFallback: true }),
  create: (body: T.TripCreate) => api.post<T.TripResponse>('/trips', { json: body }),
  update: (tripId: string, body: T.TripUpdate) => api.put<T.TripResponse>(`/trips/${u(tripId)}`, { json: body }),
  remove: (tripId: string) => api.del<unknown>(`/trips/${u(tripId)}`),
  publish: (tripId: string) => api.post<T.PublishResult>(`/trips/${u(tripId)}/publish`),
  uploadPhoto: (tripId: string, file: Blob, onProgress?: Progress, signal?: AbortSignal) =>
    api.post<T.TripPhotoUploadResult>(`/trips/${u(tripId)}/photos`, {
      form: formWith('photo', file),
      onUploadProgress: onProgress ?? (() => undefined),
      signal,
    }),
  deletePhoto: (tripId: string, photoId: string) =>
    api.del<unknown>(`/trips/${u(tripId)}/photos/${u(photoId)}`),
  reorderPhotos: (tripId: string, photoOrder: string[]) =>
    api.put<unknown>(`/trips/${u(tripId)}/photos/reorder`, { json: { photo_order: photoOrder } }),
  tags: () => api.get<T.TagList>('/tags'),
  like: (tripId: string) => api.post<T.LikeResult>(`/trips/${u(tripId)}/like`),
  unlike: (tripId: string) => api.del<unknown>(`/trips/${u(tripId)}/like`),
  likes: (tripId: string, page = 1, limit = 20) =>
    api.get<T.LikesPage>(`/trips/${u(tripId)}/likes`, { query: { page, limit }, publicFallback: true }),
  comments: (tripId: string, limit = 50, offset = 0) =>
    api.get<T.CommentsPage>(`/trips/${u(tripId)}/comments`, { query: { limit, offset }, publicFallback: true }),
  addComment: (tripId: string, content: string) =>
    api.post<T.CommentResponse>(`/trips/${u(tripId)}/comments`, { json: { content } }),
  editComment: (commentId: string, content: string) =>
    api.put<T.CommentResponse>(`/comments/${u(commentId)}`, { json: { content } }),
  deleteComment: (commentId: string) => api.del<null>(`/comments/${u(commentId)}`),
};

// --- GPX, wizard and POIs (§2.14–2.16) ------------------------------------------------------
export const gpxApi = {
  upload: (tripId: string, file: File, onProgress?: Progress) =>
    request<T.GpxUpload>(`/trips/${u(tripId)}/gpx`, {
      method: 'POST',
      form: formWith('file', file, file.name),
      onUploadProgress: onProgress ?? (() => undefined),
    }),
  metadata: (tripId: string) => api.get<T.GpxFileMetadata>(`/trips/${u(tripId)}/gpx`, { publicFallback: true }),
  remove: (tripId: string) => api.del<null>(`/trips/${u(tripId)}/gpx`),
  status: (gpxId: string) => api.get<T.GpxStatus>(`/gpx/${u(gpxId)}/status`, { publicFallback: true }),
  track: (gpxId: string) => api.get<T.TrackData>(`/gpx/${u(gpxId)}/track`, { publicFallback: true }),
  /** The GPX file as a Blob, sent with the rider's token (drafts and private trips need it). */
  download: (gpxId: string) => requestBlob(`/gpx/${u(gpxId)}/download`, { publicFallback: true }),
  analyze: (file: File, onProgress?: Progress) =>
    api.post<T.GpxTelemetry>('/gpx/analyze', {
      form: formWith('file', file, file.name),
      onUploadProgress: onProgress ?? (() => undefined),
    }),
  createFromWizard: (
    file: File,
    fields: { title: string; description: string; start_date: string; end_date?: string | null },
    onProgress?: Progress,
  ) =>
    api.post<T.GpxWizardResult>('/trips/gpx-wizard', {
      form: formWith('gpx_file', file, file.name, { ...fields, end_date: fields.end_date ?? undefined }),
      onUploadProgress: onProgress ?? (() => undefined),
    }),
};

export const poisApi = {
  list: (tripId: string) => api.get<T.PoiList>(`/trips/${u(tripId)}/pois`, { publicFallback: true }),
  create: (tripId: string, body: T.PoiCreate) => api.post<T.PoiResponse>(`/trips/${u(tripId)}/pois`, { json: body }),
  update: (poiId: string, body: Partial<T.PoiCreate>) => api.put<T.PoiResponse>(`/pois/${u(poiId)}`, { json: body }),
  remove: (poiId: string) => api.del<null>(`/pois/${u(poiId)}`),
  /** `poiIds` must be exactly the trip's POIs, in the new order; returns the reordered list. */
  reorder: (tripId: string, poiIds: string[]) =>
    api.post<T.PoiList>(`/trips/${u(tripId)}/pois/reorder`, { json: { poi_ids: poiIds } }),
};

// --- cycling types (§2.9) -------------------------------------------------------------------
export const cyclingTypesApi = {
  list: () => api.get<T.CyclingType[]>('/cycling-types', { auth: 'none' }),
  adminList: () => api.get<T.CyclingTypeFull[]>('/admin/cycling-types'),
  create: (body: { code: string; display_name: string; description?: string | null; is_active?: boolean }) =>
    api.post<T.CyclingTypeFull>('/admin/cycling-types', { json: body }),
  update: (code: string, body: { display_name?: string; description?: string | null; is_active?: boolean }) =>
    api.put<T.CyclingTypeFull>(`/admin/cycling-types/${u(code)}`, { json: body }),
  remove: (code: string, hard = false) =>
    api.del<null>(`/admin/cycling-types/${u(code)}`, { query: { hard: hard ? 'true' : undefined } }),
};
