"""Response models of the follow routes (contract §2.5, §2.17)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class FollowResponse(BaseModel):
    success: bool = True
    message: str
    follower_username: str
    following_username: str
    is_following: bool
    follower_following_count: int
    following_followers_count: int


class SocialUserSummary(BaseModel):
    username: str
    full_name: str | None
    profile_photo_url: str | None
    bio: str | None
    followers_count: int
    following_count: int


class FollowersPage(BaseModel):
    followers: list[SocialUserSummary]
    total_count: int
    page: int
    limit: int
    has_more: bool


class FollowingPage(BaseModel):
    following: list[SocialUserSummary]
    total_count: int
    page: int
    limit: int
    has_more: bool


class FollowStatus(BaseModel):
    is_following: bool
    followed_at: datetime | None
