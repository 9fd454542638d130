"""Profiles: the users domain's rules (visibility, editing, photos, password change)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.core.dependencies import Services
from src.core.errors import DomainError, Forbidden
from src.core.images import process_profile_photo
from src.core.storage import (
    absolute_url,
    delete_after_commit,
    new_key,
    save_for_request,
)
from src.cycling import service as cycling_service
from src.users import repository
from src.users.models import UserProfile
from src.users.schemas import (
    PhotoData,
    PrivacyData,
    PrivacyUpdate,
    ProfileResponse,
    ProfileStats,
    ProfileUpdate,
)


async def create_profile(
    session: AsyncSession, user_id: str, full_name: str | None = None
) -> UserProfile:
    profile = UserProfile(user_id=user_id, full_name=full_name)
    session.add(profile)
    return profile


async def get_or_create_profile(session: AsyncSession, user_id: str) -> UserProfile:
    profile = await repository.get_profile(session, user_id)
    if profile is None:
        profile = await create_profile(session, user_id)
        await session.flush()
    return profile


async def profile_for_read(session: AsyncSession, user_id: str) -> UserProfile:
    """The profile, or an unsaved empty one (reads never write: they may run on a replica)."""
    profile = await repository.get_profile(session, user_id)
    if profile is None:
        profile = UserProfile(
            user_id=user_id,
            show_email=False,
            show_location=True,
            followers_count=0,
            following_count=0,
        )
    return profile


def ensure_owner(current: User, username: str) -> None:
    """Profile edits: only the owner (checked before anything else, as the original did)."""
    if current.username != username:
        raise Forbidden("profile_not_yours")


def can_view_profile(viewer: User | None, owner: User) -> bool:
    """The one place that decides who may see a profile."""
    if viewer is not None and viewer.id == owner.id:
        return True
    return owner.profile_visibility == "public"


async def view(
    session: AsyncSession, services: Services, viewer: User | None, owner: User
) -> ProfileResponse:
    if not can_view_profile(viewer, owner):
        raise Forbidden("profile_private", code="PRIVATE_PROFILE")
    return await build_response(session, services, viewer, owner)


async def build_response(
    session: AsyncSession, services: Services, viewer: User | None, owner: User
) -> ProfileResponse:
    from src.social import service as social_service
    from src.stats import service as stats_service

    profile = await profile_for_read(session, owner.id)
    is_owner = viewer is not None and viewer.id == owner.id
    is_following: bool | None = None
    if viewer is not None and not is_owner:
        is_following = await social_service.is_following(session, viewer.id, owner.id)
    stats = await stats_service.for_read(session, owner.id)
    return ProfileResponse(
        username=owner.username,
        full_name=profile.full_name,
        bio=profile.bio,
        photo_url=absolute_url(profile.profile_photo_url, services.settings.BACKEND_URL),
        location=profile.location if (is_owner or profile.show_location) else None,
        cycling_type=profile.cycling_type,
        profile_visibility=owner.profile_visibility,
        trip_visibility=owner.trip_visibility,
        show_email=profile.show_email,
        show_location=profile.show_location,
        followers_count=profile.followers_count,
        following_count=profile.following_count,
        is_following=is_following,
        stats=ProfileStats(
            total_trips=stats.total_trips,
            total_kilometers=round(stats.total_kilometers, 2),
            achievements_count=stats.achievements_count,
        ),
        created_at=owner.created_at,
    )


async def update(
    session: AsyncSession, services: Services, user: User, data: ProfileUpdate
) -> ProfileResponse:
    profile = await get_or_create_profile(session, user.id)
    fields = data.model_dump(exclude_unset=True)
    for name in ("full_name", "bio", "location"):
        if name in fields and fields[name] is not None:
            setattr(profile, name, fields[name] or None)
    if data.cycling_type is not None:
        if data.cycling_type == "":
            profile.cycling_type = None
        else:
            codes = await cycling_service.active_codes(session)
            if data.cycling_type not in codes:
                raise DomainError(
                    "cycling_type_invalid", field="cycling_type", codes=", ".join(codes)
                )
            profile.cycling_type = data.cycling_type
    if data.profile_visibility is not None:
        user.profile_visibility = data.profile_visibility
    if data.trip_visibility is not None:
        user.trip_visibility = data.trip_visibility
    if data.show_email is not None:
        profile.show_email = data.show_email
    if data.show_location is not None:
        profile.show_location = data.show_location
    await session.flush()
    return await build_response(session, services, user, user)


async def update_privacy(session: AsyncSession, user: User, data: PrivacyUpdate) -> PrivacyData:
    profile = await get_or_create_profile(session, user.id)
    if data.show_email is not None:
        profile.show_email = data.show_email
    if data.show_location is not None:
        profile.show_location = data.show_location
    await session.flush()
    return PrivacyData(show_email=profile.show_email, show_location=profile.show_location)


async def replace_photo(
    session: AsyncSession, services: Services, user: User, data: bytes
) -> PhotoData:
    image = await process_profile_photo(data, field="photo")
    key = new_key("profile_photos", image.extension)
    await save_for_request(services.storage, session, key, image.data, image.content_type)
    profile = await get_or_create_profile(session, user.id)
    delete_after_commit(
        services.storage, session, services.storage.key_for(profile.profile_photo_url)
    )
    profile.profile_photo_url = services.storage.url(key)
    await session.flush()
    url = absolute_url(profile.profile_photo_url, services.settings.BACKEND_URL)
    return PhotoData(photo_url=url or "", photo_width=image.width, photo_height=image.height)


async def remove_photo(session: AsyncSession, services: Services, user: User) -> None:
    profile = await get_or_create_profile(session, user.id)
    delete_after_commit(
        services.storage, session, services.storage.key_for(profile.profile_photo_url)
    )
    profile.profile_photo_url = None
    await session.flush()


async def photo_key(session: AsyncSession, services: Services, user_id: str) -> str | None:
    profile = await repository.get_profile(session, user_id)
    return services.storage.key_for(profile.profile_photo_url) if profile else None
