"""Demo trips for the local demo riders (the five sample trips of the original seed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models import User
from src.trips import service as trips_service
from src.trips.schemas import TripCreate

DEMO_TRIPS: dict[str, list[dict[str, Any]]] = {
    "testuser": [
        {
            "title": "Vía Verde del Aceite - Jaén a Córdoba",
            "description": (
                "<p>Recorrido por la antigua vía del tren del aceite entre olivares "
                "centenarios, con viaductos de hierro de Eiffel y túneles excavados en la "
                "roca. Firme perfecto y pendientes suaves.</p>"
            ),
            "start_date": "2024-05-15",
            "end_date": "2024-05-17",
            "distance_km": 128.5,
            "difficulty": "moderate",
            "locations": [
                {"name": "Jaén", "latitude": 37.779594, "longitude": -3.784906},
                {"name": "Córdoba", "latitude": 37.888175, "longitude": -4.779383},
            ],
            "tags": ["vías verdes", "Andalucía", "olivos"],
            "publish": True,
        },
        {
            "title": "Ruta Bikepacking Pirineos - Valle de Ordesa",
            "description": (
                "<p>Cinco días de <strong>bikepacking</strong> por pistas y caminos del "
                "Pirineo aragonés, durmiendo en refugios y con el Monte Perdido siempre a la "
                "vista. Subidas duras y bajadas inolvidables.</p>"
            ),
            "start_date": "2024-07-08",
            "end_date": "2024-07-12",
            "distance_km": 320.0,
            "difficulty": "difficult",
            "locations": [{"name": "Torla-Ordesa", "latitude": 42.626, "longitude": -0.111}],
            "tags": ["bikepacking", "Pirineos", "montaña"],
            "publish": True,
        },
        {
            "title": "Borrador: Planificando la Transpirenaica",
            "description": (
                "<p>Notas para cruzar los Pirineos del Cantábrico al Mediterráneo: etapas, "
                "puertos, puntos de agua y alojamientos. Todavía en preparación.</p>"
            ),
            "start_date": "2024-09-01",
            "distance_km": 800.0,
            "difficulty": "very_difficult",
            "locations": [{"name": "Hondarribia", "latitude": 43.362, "longitude": -1.791}],
            "tags": ["Transpirenaica", "Pirineos"],
            "publish": False,
        },
    ],
    "maria_garcia": [
        {
            "title": "Camino de Santiago en Bici - Etapa León a Astorga",
            "description": (
                "<p>Etapa llana del Camino Francés por el páramo leonés, cruzando el puente "
                "de Hospital de Órbigo. Ideal para una primera experiencia en el Camino.</p>"
            ),
            "start_date": "2024-04-20",
            "distance_km": 52.0,
            "difficulty": "easy",
            "locations": [
                {"name": "León", "latitude": 42.598726, "longitude": -5.567096},
                {"name": "Astorga", "latitude": 42.458, "longitude": -6.055},
            ],
            "tags": ["Camino de Santiago", "Castilla y León"],
            "publish": True,
        },
        {
            "title": "Vuelta al Lago de Sanabria - Zamora",
            "description": (
                "<p>Vuelta al mayor lago glaciar de la península, entre robledales y pueblos "
                "de piedra como Puebla de Sanabria y San Martín de Castañeda.</p>"
            ),
            "start_date": "2024-06-02",
            "distance_km": 45.0,
            "difficulty": "moderate",
            "locations": [{"name": "Lago de Sanabria", "latitude": 42.124, "longitude": -6.72}],
            "tags": ["lagos", "Castilla y León"],
            "publish": True,
        },
    ],
}


async def seed_demo_trips(session: AsyncSession, user: User) -> int | None:
    """Add the rider's demo trips; None when the rider already has trips (idempotent)."""
    if await trips_service.user_has_trips(session, user.id):
        return None
    trips = DEMO_TRIPS.get(user.username, [])
    for spec in trips:
        body = TripCreate.model_validate({k: v for k, v in spec.items() if k != "publish"})
        row = await trips_service.create_trip(session, user, body)
        if spec["publish"]:
            await trips_service.publish_trip(session, user, row.trip.trip_id)
    return len(trips)
