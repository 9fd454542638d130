/**
 * The API's data shapes.
 *
 * Each shape is written by hand from the HTTP contract (§2.17 of contravento-api.md) as
 * `XContract`, and the exported `X` is the type generated from the backend's OpenAPI schema
 * (src/api/schema.d.ts, `npm run gen:api`) whenever the schema has a component of that
 * name; until then it is the hand-written contract type.  src/api/contract-check.ts makes
 * `npm run type-check` fail when a generated type stops satisfying the contract.
 */
import type { components } from './schema';

type Schemas = [components['schemas']] extends [never] ? Record<never, never> : components['schemas'];

/**
 * A response shape as it arrives on the wire.  Pydantic marks fields that have a default
 * (`bio: str | None = None`) as optional in the schema, but responses always carry them,
 * so every field is present (possibly null).
 */
export type Wire<T> = T extends readonly (infer U)[]
  ? Wire<U>[]
  : T extends object
    ? { [K in keyof T]-?: Wire<Exclude<T[K], undefined>> }
    : T;

/** The generated component `Name` as sent, when the backend publishes it, else `Fallback`. */
export type GeneratedRaw<Name extends string, Fallback> = Name extends keyof Schemas ? Wire<Schemas[Name]> : Fallback;

/**
 * Field by field: the generated type where it is at least as wide as the contract's (so the
 * UI still handles every case the contract allows, e.g. a `gpx_file` the backend does not
 * fill yet), the contract's otherwise, plus any extra fields the backend publishes.
 */
type Derive<G, C> = { [K in keyof C]: K extends keyof G ? ([C[K]] extends [G[K]] ? G[K] : C[K]) : C[K] } & Omit<G, keyof C>;

/** The contract shape `Fallback`, derived from the generated component `Name` when it exists. */
export type Generated<Name extends string, Fallback> = Name extends keyof Schemas ? Derive<Wire<Schemas[Name]>, Fallback> : Fallback;

// ---------------------------------------------------------------------------------------
// Enums (§3)
export const DIFFICULTIES = ['easy', 'moderate', 'difficult', 'very_difficult', 'extreme'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
export type TripStatus = 'draft' | 'published';
export const PROFILE_VISIBILITIES = ['public', 'private'] as const;
export type ProfileVisibility = (typeof PROFILE_VISIBILITIES)[number];
export const TRIP_VISIBILITIES = ['public', 'followers', 'private'] as const;
export type TripVisibility = (typeof TRIP_VISIBILITIES)[number];
export const POI_TYPES = ['viewpoint', 'town', 'water', 'accommodation', 'restaurant', 'mountain_pass', 'other'] as const;
export type PoiType = (typeof POI_TYPES)[number];
export type GpxProcessingStatus = 'pending' | 'processing' | 'completed' | 'failed';
export const TRIP_SORTS = ['date-desc', 'date-asc', 'distance-desc', 'distance-asc', 'popularity-desc'] as const;
export type TripSort = (typeof TRIP_SORTS)[number];

// ---------------------------------------------------------------------------------------
// Envelopes (§1.1, §1.2)
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string | null;
}
export interface Envelope<T> {
  success: boolean;
  data: T;
  error?: ApiErrorBody | null;
  message?: string | null;
}

// ---------------------------------------------------------------------------------------
// Auth & users
export interface UserResponseContract {
  user_id: string;
  username: string;
  email: string;
  is_verified: boolean;
  profile_visibility: ProfileVisibility;
  trip_visibility: TripVisibility;
  created_at: string;
  photo_url: string | null;
  bio: string | null;
  location: string | null;
  cycling_type: string | null;
}
export type UserResponse = Generated<'UserResponse', UserResponseContract>;

export interface RegisterResultContract {
  user_id: string;
  username: string;
  email: string;
  is_verified: boolean;
  is_active: boolean;
  created_at: string;
}
export type RegisterResult = Generated<'RegisterData', RegisterResultContract>;

export interface TokenPairContract {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}
export type TokenPair = Generated<'TokenData', TokenPairContract>;

export interface LoginDataContract extends TokenPairContract {
  user: UserResponseContract;
}
export type LoginData = Generated<'LoginData', LoginDataContract>;

// ---------------------------------------------------------------------------------------
// Profiles, stats, achievements, social
export interface ProfileStatsSummary {
  total_trips: number;
  total_kilometers: number;
  achievements_count: number;
}
export interface ProfileResponseContract {
  username: string;
  full_name: string | null;
  bio: string | null;
  photo_url: string | null;
  location: string | null;
  cycling_type: string | null;
  profile_visibility: ProfileVisibility;
  trip_visibility: TripVisibility;
  show_email: boolean;
  show_location: boolean;
  followers_count: number;
  following_count: number;
  is_following: boolean | null;
  stats: ProfileStatsSummary | null;
  created_at: string;
}
export type ProfileResponse = Generated<'ProfileResponse', ProfileResponseContract>;

export interface ProfileUpdate {
  full_name?: string;
  bio?: string;
  location?: string;
  cycling_type?: string;
  profile_visibility?: ProfileVisibility;
  trip_visibility?: TripVisibility;
  show_email?: boolean;
  show_location?: boolean;
}

export interface ProfilePhotoResultContract {
  photo_url: string;
  photo_width: number;
  photo_height: number;
}
export type ProfilePhotoResult = Generated<'PhotoData', ProfilePhotoResultContract>;

export interface CountryVisited {
  code: string;
  name: string;
}
export interface StatsResponseContract {
  total_trips: number;
  total_kilometers: number;
  countries_visited: CountryVisited[];
  total_photos: number;
  achievements_count: number;
  last_trip_date: string | null;
  updated_at: string;
}
export type StatsResponse = Generated<'StatsResponse', StatsResponseContract>;

export interface AchievementDefinitionContract {
  code: string;
  name: string;
  description: string;
  badge_icon: string;
  requirement_type: 'distance' | 'trips' | 'countries' | 'photos' | 'followers' | string;
  requirement_value: number;
}
export type AchievementDefinition = Generated<'AchievementDefinition', AchievementDefinitionContract>;
export interface AchievementResponseContract extends AchievementDefinitionContract {
  awarded_at: string;
}
export type AchievementResponse = Generated<'AchievementResponse', AchievementResponseContract>;
export interface AchievementList<T> {
  achievements: T[];
  total_count: number;
}

export interface FollowResponseContract {
  success: boolean;
  message: string;
  follower_username: string;
  following_username: string;
  is_following: boolean;
  follower_following_count: number;
  following_followers_count: number;
}
export type FollowResponse = Generated<'FollowResponse', FollowResponseContract>;

export interface SocialUserSummaryContract {
  username: string;
  full_name: string | null;
  profile_photo_url: string | null;
  bio: string | null;
  followers_count: number;
  following_count: number;
}
export type SocialUserSummary = Generated<'SocialUserSummary', SocialUserSummaryContract>;
export interface FollowersPageContract {
  followers: SocialUserSummaryContract[];
  total_count: number;
  page: number;
  limit: number;
  has_more: boolean;
}
export type FollowersPage = Generated<'FollowersPage', FollowersPageContract>;
export interface FollowingPageContract {
  following: SocialUserSummaryContract[];
  total_count: number;
  page: number;
  limit: number;
  has_more: boolean;
}
export type FollowingPage = Generated<'FollowingPage', FollowingPageContract>;
export interface FollowStatusContract {
  is_following: boolean;
  followed_at: string | null;
}
export type FollowStatus = Generated<'FollowStatus', FollowStatusContract>;

// ---------------------------------------------------------------------------------------
// Trips
export interface TripAuthor {
  user_id: string;
  username: string;
  full_name?: string | null;
  profile_photo_url: string | null;
  is_following?: boolean | null;
}
export interface TripPhotoContract {
  id?: string;
  photo_id?: string;
  photo_url: string;
  thumbnail_url?: string | null;
  thumb_url?: string | null;
  caption: string | null;
  order: number;
  width: number | null;
  height: number | null;
}
export type TripPhoto = TripPhotoContract;
export interface TripLocationContract {
  location_id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  sequence: number;
}
export type TripLocation = TripLocationContract;
export interface TripTagContract {
  tag_id: string;
  name: string;
  normalized: string;
  usage_count: number;
}
export type TripTag = TripTagContract;

export interface GpxFileMetadataContract {
  gpx_file_id: string;
  trip_id: string;
  file_name: string;
  file_size: number;
  distance_km: number | null;
  elevation_gain: number | null;
  elevation_loss: number | null;
  max_elevation: number | null;
  min_elevation: number | null;
  total_points: number | null;
  simplified_points: number | null;
  has_elevation: boolean;
  has_timestamps: boolean;
  processing_status: GpxProcessingStatus;
  error_message: string | null;
  uploaded_at: string;
  processed_at: string | null;
}
export type GpxFileMetadata = Generated<'GPXFileMetadata', GpxFileMetadataContract>;
export type GpxUpload = Omit<GpxFileMetadataContract, 'file_name' | 'file_size'> &
  Partial<Pick<GpxFileMetadataContract, 'file_name' | 'file_size'>>;

export interface TripResponseContract {
  trip_id: string;
  user_id: string;
  author: TripAuthor | null;
  title: string;
  description: string;
  status: TripStatus;
  start_date: string;
  end_date: string | null;
  distance_km: number | null;
  difficulty: Difficulty | null;
  is_private: boolean;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  photos: TripPhotoContract[];
  locations: TripLocationContract[];
  tags: TripTagContract[];
  like_count: number;
  is_liked: boolean | null;
  gpx_file: GpxFileMetadataContract | null;
}
export type TripResponse = Generated<'TripResponse', TripResponseContract>;

export interface TripLocationInput {
  name: string;
  country?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}
export interface TripCreate {
  title: string;
  description: string;
  start_date: string;
  end_date?: string | null;
  distance_km?: number | null;
  difficulty?: Difficulty | null;
  locations?: TripLocationInput[];
  tags?: string[];
}
export interface TripUpdate extends Partial<TripCreate> {
  is_private?: boolean;
  client_updated_at?: string;
}
export interface PublishResult {
  trip_id: string;
  status: TripStatus;
  published_at: string;
}

export interface TripListItemContract {
  trip_id: string;
  user_id: string;
  title: string;
  description: string;
  start_date: string;
  end_date: string | null;
  distance_km: number | null;
  status: TripStatus;
  is_private: boolean;
  photo_count: number;
  tag_names: string[];
  thumbnail_url: string | null;
  created_at: string;
  updated_at: string;
}
export type TripListItem = Generated<'TripListItem', TripListItemContract>;
export interface UserTripsPage {
  trips: TripListItem[];
  count: number;
  total?: number;
  limit: number;
  offset: number;
}

export interface PublicTripSummaryContract {
  trip_id: string;
  title: string;
  start_date: string;
  distance_km: number | null;
  photo: { photo_url: string; thumbnail_url: string | null } | null;
  location: { name: string } | null;
  author: TripAuthor;
  published_at: string;
  like_count: number;
  is_liked: boolean | null;
}
export type PublicTripSummary = Generated<'PublicTripSummary', PublicTripSummaryContract>;
export interface PublicFeedPage {
  trips: PublicTripSummary[];
  pagination: { total: number; page: number; limit: number; total_pages: number };
}

export interface FeedItemContract {
  trip_id: string;
  title: string;
  description: string;
  author: TripAuthor;
  photos: { photo_url: string; caption: string | null }[];
  distance_km: number | null;
  start_date: string;
  end_date: string | null;
  locations: { name: string; latitude: number | null; longitude: number | null }[];
  tags: { name: string; normalized: string }[];
  likes_count: number;
  comments_count: number;
  shares_count: number;
  is_liked_by_me: boolean;
  created_at: string;
}
export type FeedItem = Generated<'FeedItem', FeedItemContract>;
export interface FeedPage {
  trips: FeedItem[];
  total_count: number;
  page: number;
  limit: number;
  has_more: boolean;
}

export interface TripPhotoUploadResult {
  id?: string;
  photo_id?: string;
  trip_id: string;
  photo_url: string;
  thumb_url?: string | null;
  thumbnail_url?: string | null;
  order: number;
  file_size: number;
  width: number;
  height: number;
  uploaded_at: string;
}

export interface TagResponseContract {
  tag_id: string;
  name: string;
  normalized: string;
  usage_count: number;
  created_at: string;
}
export type TagResponse = TagResponseContract;
export interface TagList {
  tags: TagResponse[];
  count: number;
}

// ---------------------------------------------------------------------------------------
// Likes & comments
export interface LikeResult {
  like_id: string;
  user_id: string;
  trip_id: string;
  created_at: string;
}
export interface LikesPage {
  likes: { user: { username: string; profile_photo_url: string | null }; created_at: string }[];
  total_count: number;
  page: number;
  limit: number;
  has_more: boolean;
}
export interface CommentResponseContract {
  id: string;
  user_id: string;
  trip_id: string;
  content: string;
  created_at: string;
  updated_at: string | null;
  is_edited: boolean;
  author: { user_id: string; username: string; full_name: string | null; profile_photo_url: string | null } | null;
}
export type CommentResponse = Generated<'CommentResponse', CommentResponseContract>;
export interface CommentsPage {
  items: CommentResponse[];
  total: number;
  limit: number;
  offset: number;
}

// ---------------------------------------------------------------------------------------
// Cycling types
export interface CyclingType {
  code: string;
  display_name: string;
  description: string | null;
}
export interface CyclingTypeFullContract extends CyclingType {
  id: string;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}
export type CyclingTypeFull = CyclingTypeFullContract;

// ---------------------------------------------------------------------------------------
// GPX
export interface TrackPoint {
  point_id?: string;
  latitude: number;
  longitude: number;
  elevation: number | null;
  distance_km: number;
  sequence?: number;
  gradient?: number | null;
}
export interface GradientBucket {
  distance_km: number;
  percentage: number;
}
export interface RouteStatistics {
  stats_id: string;
  gpx_file_id: string;
  avg_speed_kmh: number | null;
  max_speed_kmh: number | null;
  total_time_minutes: number | null;
  moving_time_minutes: number | null;
  avg_gradient: number | null;
  max_gradient: number | null;
  top_climbs:
    | { start_km: number; end_km: number; elevation_gain_m: number; avg_gradient: number; description: string }[]
    | null;
  created_at: string;
  gradient_distribution?: Record<'llano' | 'moderado' | 'empinado' | 'muy_empinado', GradientBucket> | null;
}
export interface TrackData {
  gpx_file_id: string;
  trip_id: string;
  distance_km: number;
  elevation_gain: number | null;
  simplified_points_count: number;
  has_elevation: boolean;
  start_point: { latitude: number; longitude: number };
  end_point: { latitude: number; longitude: number };
  trackpoints: TrackPoint[];
  route_statistics: RouteStatistics | null;
}
export interface GpxStatus {
  gpx_file_id: string;
  processing_status: GpxProcessingStatus;
  distance_km: number | null;
  elevation_gain: number | null;
  total_points: number | null;
  simplified_points: number | null;
  uploaded_at: string;
  processed_at: string | null;
  error_message: string | null;
}
export interface GpxTelemetry {
  distance_km: number;
  elevation_gain: number | null;
  elevation_loss: number | null;
  max_elevation: number | null;
  min_elevation: number | null;
  has_elevation: boolean;
  has_timestamps: boolean;
  start_date: string | null;
  end_date: string | null;
  total_time_minutes: number | null;
  moving_time_minutes: number | null;
  difficulty: Difficulty;
  suggested_title: string;
  trackpoints: TrackPoint[];
}
export interface GpxWizardResult {
  trip_id: string;
  title: string;
  description: string;
  start_date: string;
  end_date: string | null;
  distance_km: number | null;
  difficulty: Difficulty | null;
  status: TripStatus;
  gpx_file: {
    gpx_file_id: string;
    total_distance_km: number;
    elevation_gain: number | null;
    elevation_loss: number | null;
    max_elevation: number | null;
    min_elevation: number | null;
    has_elevation: boolean;
    difficulty: Difficulty;
  };
}

// ---------------------------------------------------------------------------------------
// POIs
export interface PoiResponseContract {
  poi_id: string;
  trip_id: string;
  name: string;
  description: string | null;
  poi_type: PoiType;
  latitude: number;
  longitude: number;
  distance_from_start_km: number | null;
  photo_url: string | null;
  sequence: number;
  created_at: string;
}
export type PoiResponse = Generated<'POIResponse', PoiResponseContract>;
export interface PoiCreate {
  name: string;
  description?: string | null;
  poi_type: PoiType;
  latitude: number;
  longitude: number;
  distance_from_start_km?: number | null;
  sequence: number;
}
export interface PoiList {
  pois: PoiResponse[];
  total: number;
}

/** A photo's id: POST/GET payloads say `id`, PUT says `photo_id` (the contract emits both). */
export function photoId(photo: { id?: string; photo_id?: string }): string {
  return photo.id ?? photo.photo_id ?? '';
}

/** A photo's thumbnail: `thumbnail_url` in trip payloads, `thumb_url` on upload. */
export function photoThumb(photo: { thumbnail_url?: string | null; thumb_url?: string | null; photo_url: string }): string {
  return photo.thumbnail_url ?? photo.thumb_url ?? photo.photo_url;
}
