"""Cycling types: defaults (and, with the travel diary work, admin management)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.cycling.models import CyclingType

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
