"""HTTP routes of profiles (contract §2.3).  ``GET /users/{u}`` and ``PATCH /users/{u}`` are
the same operations as GET/PUT ``/users/{u}/profile`` (the deployment guide and the original
load-test client use them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from src.auth.dependencies import AuthServiceDep, CurrentClaims, CurrentUser, OptionalUser
from src.core.dependencies import AppServices, DbSession
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, MessageEnvelope
from src.core.uploads import read_limited
from src.users import service
from src.users.dependencies import UsernamePath, get_target_user
from src.users.schemas import (
    PasswordChange,
    PhotoData,
    PrivacyData,
    PrivacyUpdate,
    ProfileResponse,
    ProfileUpdate,
)

router = APIRouter(tags=["profiles"], responses=ERROR_RESPONSES)

PROFILE_PHOTO_MAX_BYTES = 5 * 1024 * 1024


async def _view(
    username: str, viewer: OptionalUser, session: DbSession, services: AppServices
) -> Any:
    if viewer is not None:
        target = await get_target_user(username, session)
        return await service.view(session, services, viewer, target)

    # Anonymous views are the same for everyone: cached (invalidated by any write).  The
    # rider is looked up only on a miss, so a hit touches no database; a 404/403 is raised,
    # never cached.
    async def produce() -> bytes:
        target = await get_target_user(username, session)
        profile = await service.view(session, services, None, target)
        return profile.model_dump_json().encode()

    body = await services.cache.get_or_set(("profile", username), produce)
    return Response(content=body, media_type="application/json")


@router.get("/users/{username}/profile", response_model=ProfileResponse)
async def get_profile(
    username: UsernamePath, viewer: OptionalUser, session: DbSession, services: AppServices
) -> Any:
    return await _view(username, viewer, session, services)


@router.get("/users/{username}", response_model=ProfileResponse)
async def get_user(
    username: UsernamePath, viewer: OptionalUser, session: DbSession, services: AppServices
) -> Any:
    return await _view(username, viewer, session, services)


async def _update(
    username: str, body: ProfileUpdate, user: CurrentUser, session: DbSession, services: AppServices
) -> MessageEnvelope[ProfileResponse]:
    service.ensure_owner(user, username)
    profile = await service.update(session, services, user, body)
    return MessageEnvelope[ProfileResponse](data=profile, message=translate("profile_updated"))


@router.put("/users/{username}/profile", response_model=MessageEnvelope[ProfileResponse])
async def put_profile(
    username: UsernamePath,
    body: ProfileUpdate,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    return await _update(username, body, user, session, services)


@router.patch("/users/{username}", response_model=MessageEnvelope[ProfileResponse])
async def patch_user(
    username: UsernamePath,
    body: ProfileUpdate,
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    return await _update(username, body, user, session, services)


@router.post("/users/{username}/profile/photo", response_model=MessageEnvelope[PhotoData])
async def upload_photo(
    username: UsernamePath,
    photo: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 5 MB")],
    user: CurrentUser,
    session: DbSession,
    services: AppServices,
) -> Any:
    service.ensure_owner(user, username)
    data = await read_limited(photo, PROFILE_PHOTO_MAX_BYTES, field="photo")
    result = await service.replace_photo(session, services, user, data)
    return MessageEnvelope[PhotoData](data=result, message=translate("photo_updated"))


@router.delete("/users/{username}/profile/photo", response_model=MessageEnvelope[None])
async def delete_photo(
    username: UsernamePath, user: CurrentUser, session: DbSession, services: AppServices
) -> Any:
    service.ensure_owner(user, username)
    await service.remove_photo(session, services, user)
    return MessageEnvelope[None](data=None, message=translate("photo_deleted"))


@router.put("/users/{username}/profile/privacy", response_model=MessageEnvelope[PrivacyData])
async def update_privacy(
    username: UsernamePath, body: PrivacyUpdate, user: CurrentUser, session: DbSession
) -> Any:
    service.ensure_owner(user, username)
    data = await service.update_privacy(session, user, body)
    return MessageEnvelope[PrivacyData](data=data, message=translate("privacy_updated"))


@router.put("/users/{username}/profile/password", response_model=MessageEnvelope[None])
async def change_password(
    username: UsernamePath,
    body: PasswordChange,
    user: CurrentUser,
    claims: CurrentClaims,
    auth: AuthServiceDep,
) -> Any:
    service.ensure_owner(user, username)
    await auth.change_password(user, claims, body.current_password, body.new_password)
    return MessageEnvelope[None](data=None, message=translate("password_changed"))
