"""Request and response models of likes and comments (contract §2.11, §2.12, §2.17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, StringConstraints
from pydantic_core import PydanticCustomError

from src.core.sanitize import sanitize_html

MAX_COMMENT_LENGTH = 500


def _sanitised(value: str) -> str:
    """Allowed markup only (§4.7); markup alone (``<script>…</script>``) is an empty comment."""
    cleaned = sanitize_html(value)
    if not cleaned:
        raise PydanticCustomError("comment_blank", "comment is blank")
    return cleaned


#: 1-500 characters after trimming, then sanitised (contract §4.7)
CommentText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT_LENGTH),
    AfterValidator(_sanitised),
]


class CommentInput(BaseModel):
    content: CommentText


# --------------------------------------------------------------------------------------
# likes
# --------------------------------------------------------------------------------------
class LikeResponse(BaseModel):
    like_id: str
    user_id: str
    trip_id: str
    created_at: datetime


class UnlikeResponse(BaseModel):
    success: bool
    message: str


class LikeUser(BaseModel):
    username: str
    #: absolute URL
    profile_photo_url: str | None


class LikeItem(BaseModel):
    user: LikeUser
    created_at: datetime


class LikesPage(BaseModel):
    likes: list[LikeItem]
    total_count: int
    page: int
    limit: int
    has_more: bool


# --------------------------------------------------------------------------------------
# comments
# --------------------------------------------------------------------------------------
class CommentAuthor(BaseModel):
    user_id: str
    username: str
    full_name: str | None
    #: absolute URL
    profile_photo_url: str | None


class CommentResponse(BaseModel):
    id: str
    user_id: str
    trip_id: str
    content: str
    created_at: datetime
    updated_at: datetime | None
    is_edited: bool
    #: filled in lists; null in the answers to POST and PUT (as the original)
    author: CommentAuthor | None


class CommentsPage(BaseModel):
    items: list[CommentResponse]
    total: int
    limit: int
    offset: int
