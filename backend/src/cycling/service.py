"""Cycling types: the defaults, the public list and admin management (contract §2.9)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.database import new_id, utcnow
from src.core.errors import NotFound, ValidationFailed
from src.cycling.models import CyclingType
from src.cycling.schemas import CyclingTypeCreate, CyclingTypeUpdate

DEFAULT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("bikepacking", "Bikepacking", "Viajes de varios días en bicicleta con equipaje completo"),
    ("commuting", "Desplazamiento Urbano", "La bicicleta como medio de transporte diario"),
    ("gravel", "Gravel", "Pistas y caminos de tierra con bicicleta de gravel"),
    ("mountain", "Montaña (MTB)", "Senderos y rutas de montaña en bicicleta de montaña"),
    ("road", "Carretera", "Rutas por carretera con bicicleta de carretera"),
    ("touring", "Cicloturismo", "Viajes en bicicleta a ritmo tranquilo para conocer lugares"),
)


async def ensure_default_types(session: AsyncSession) -> int:
    existing = set((await session.execute(select(CyclingType.code))).scalars())
    added = 0
    for code, name, description in DEFAULT_TYPES:
        if code not in existing:
            session.add(CyclingType(code=code, display_name=name, description=description))
            added += 1
    await session.flush()
    return added


async def active_codes(session: AsyncSession) -> list[str]:
    """Codes a rider may pick as their cycling type."""
    result = await session.execute(
        select(CyclingType.code).where(CyclingType.is_active.is_(True)).order_by(CyclingType.code)
    )
    return list(result.scalars())


async def list_types(
    session: AsyncSession, *, active_only: bool, limit: int, offset: int
) -> list[CyclingType]:
    """Ordered by display name, then code (unique), so pages are stable."""
    statement = select(CyclingType).order_by(CyclingType.display_name, CyclingType.code)
    if active_only:
        statement = statement.where(CyclingType.is_active.is_(True))
    result = await session.execute(statement.offset(offset).limit(limit))
    return list(result.scalars())


async def get_by_code(session: AsyncSession, code: str) -> CyclingType:
    normalised = code.strip().lower()
    result = await session.execute(select(CyclingType).where(CyclingType.code == normalised))
    cycling_type = result.scalar_one_or_none()
    if cycling_type is None:
        raise NotFound("cycling_type_not_found", value=code)
    return cycling_type


async def create(session: AsyncSession, data: CyclingTypeCreate) -> CyclingType:
    """Insert a new type; a taken code is a 400, also when two admins race for it."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    statement = (
        dialect_insert(CyclingType)
        .values(
            id=new_id(),
            code=data.code,
            display_name=data.display_name,
            description=data.description,
            is_active=data.is_active,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["code"])
    )
    result = await session.execute(statement)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationFailed("cycling_type_exists", value=data.code)
    return await get_by_code(session, data.code)


async def update(session: AsyncSession, code: str, data: CyclingTypeUpdate) -> CyclingType:
    cycling_type = await get_by_code(session, code)
    changes = data.model_dump(exclude_unset=True)
    for name in ("display_name", "is_active"):
        if changes.get(name) is not None:
            setattr(cycling_type, name, changes[name])
    if "description" in changes:
        cycling_type.description = changes["description"]
    cycling_type.updated_at = utcnow()
    await session.flush()
    return cycling_type


async def remove(session: AsyncSession, code: str, *, hard: bool) -> None:
    """Soft delete (deactivate) by default; ``hard`` deletes the row."""
    cycling_type = await get_by_code(session, code)
    if hard:
        await session.execute(delete(CyclingType).where(CyclingType.id == cycling_type.id))
        session.expunge(cycling_type)
    else:
        cycling_type.is_active = False
        cycling_type.updated_at = utcnow()
        await session.flush()
