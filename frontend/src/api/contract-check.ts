/**
 * Compile-time guard: every type generated from the backend's OpenAPI schema must still
 * satisfy the hand-written contract type the UI is written against.  When the backend adds
 * one of these components, `npm run type-check` starts checking it; a mismatch fails with
 * the name of the shape.  (Until then each check compares the contract with itself.)
 */
import type * as T from './types';

/** Compares the shapes as sent: every field present, nested objects included. */
type Assignable<A, B> = [T.Wire<A>] extends [T.Wire<B>] ? true : false;
// Each line: the schema component as generated (or the contract itself while it is absent).
type Expect<Ok extends true> = Ok;

export type ContractChecks = [
  Expect<Assignable<T.GeneratedRaw<'UserResponse', T.UserResponseContract>, T.UserResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'LoginData', T.LoginDataContract>, T.LoginDataContract>>,
  Expect<Assignable<T.GeneratedRaw<'TokenData', T.TokenPairContract>, T.TokenPairContract>>,
  Expect<Assignable<T.GeneratedRaw<'RegisterData', T.RegisterResultContract>, T.RegisterResultContract>>,
  Expect<Assignable<T.GeneratedRaw<'ProfileResponse', T.ProfileResponseContract>, T.ProfileResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'StatsResponse', T.StatsResponseContract>, T.StatsResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'AchievementDefinition', T.AchievementDefinitionContract>, T.AchievementDefinitionContract>>,
  Expect<Assignable<T.GeneratedRaw<'AchievementResponse', T.AchievementResponseContract>, T.AchievementResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'FollowResponse', T.FollowResponseContract>, T.FollowResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'SocialUserSummary', T.SocialUserSummaryContract>, T.SocialUserSummaryContract>>,
  Expect<Assignable<T.GeneratedRaw<'FollowersPage', T.FollowersPageContract>, T.FollowersPageContract>>,
  Expect<Assignable<T.GeneratedRaw<'FollowingPage', T.FollowingPageContract>, T.FollowingPageContract>>,
  Expect<Assignable<T.GeneratedRaw<'FollowStatus', T.FollowStatusContract>, T.FollowStatusContract>>,
  Expect<Assignable<T.GeneratedRaw<'PhotoData', T.ProfilePhotoResultContract>, T.ProfilePhotoResultContract>>,
  Expect<Assignable<T.GeneratedRaw<'TripResponse', T.TripResponseContract>, T.TripResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'TripListItem', T.TripListItemContract>, T.TripListItemContract>>,
  Expect<Assignable<T.GeneratedRaw<'PublicTripSummary', T.PublicTripSummaryContract>, T.PublicTripSummaryContract>>,
  Expect<Assignable<T.GeneratedRaw<'FeedItem', T.FeedItemContract>, T.FeedItemContract>>,
  Expect<Assignable<T.GeneratedRaw<'CommentResponse', T.CommentResponseContract>, T.CommentResponseContract>>,
  Expect<Assignable<T.GeneratedRaw<'GPXFileMetadata', T.GpxFileMetadataContract>, T.GpxFileMetadataContract>>,
  Expect<Assignable<T.GeneratedRaw<'POIResponse', T.PoiResponseContract>, T.PoiResponseContract>>,
];
