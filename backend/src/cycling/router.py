"""HTTP routes of cycling types (contract §2.9): the public list and admin management."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from src.auth.dependencies import AdminUser
from src.core.dependencies import DbSession, ReadSession
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, MessageEnvelope
from src.cycling import service
from src.cycling.schemas import (
    CyclingTypeCreate,
    CyclingTypeFull,
    CyclingTypePublic,
    CyclingTypeUpdate,
)

router = APIRouter(tags=["cycling types"], responses=ERROR_RESPONSES)

CodePath = Annotated[str, Path(min_length=1, max_length=64)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]


@router.get(
    "/cycling-types",
    response_model=list[CyclingTypePublic],
    summary="Active cycling types, by display name",
)
async def public_types(session: ReadSession, limit: Limit = 100, offset: Offset = 0) -> Any:
    types = await service.list_types(session, active_only=True, limit=limit, offset=offset)
    return [CyclingTypePublic.model_validate(t) for t in types]


@router.get(
    "/admin/cycling-types",
    response_model=list[CyclingTypeFull],
    summary="All cycling types (admin)",
)
async def admin_list(
    _admin: AdminUser,
    session: DbSession,
    active_only: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    types = await service.list_types(session, active_only=active_only, limit=limit, offset=offset)
    return [CyclingTypeFull.model_validate(t) for t in types]


@router.get(
    "/admin/cycling-types/{code}",
    response_model=CyclingTypeFull,
    summary="One cycling type (admin)",
)
async def admin_get(code: CodePath, _admin: AdminUser, session: DbSession) -> Any:
    return CyclingTypeFull.model_validate(await service.get_by_code(session, code))


@router.post(
    "/admin/cycling-types",
    status_code=status.HTTP_201_CREATED,
    response_model=MessageEnvelope[CyclingTypeFull],
    summary="Create a cycling type (admin)",
)
async def admin_create(body: CyclingTypeCreate, _admin: AdminUser, session: DbSession) -> Any:
    created = await service.create(session, body)
    return MessageEnvelope[CyclingTypeFull](
        data=CyclingTypeFull.model_validate(created), message=translate("cycling_type_created")
    )


@router.put(
    "/admin/cycling-types/{code}",
    response_model=MessageEnvelope[CyclingTypeFull],
    summary="Change a cycling type (admin)",
)
async def admin_update(
    code: CodePath, body: CyclingTypeUpdate, _admin: AdminUser, session: DbSession
) -> Any:
    updated = await service.update(session, code, body)
    return MessageEnvelope[CyclingTypeFull](
        data=CyclingTypeFull.model_validate(updated), message=translate("cycling_type_updated")
    )


@router.delete(
    "/admin/cycling-types/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Deactivate a cycling type, or delete it with hard=true (admin)",
)
async def admin_delete(
    code: CodePath, _admin: AdminUser, session: DbSession, hard: bool = False
) -> Response:
    await service.remove(session, code, hard=hard)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
