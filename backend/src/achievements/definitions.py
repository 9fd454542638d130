"""The nine achievements of ContraVento (contract §4.1)."""

from __future__ import annotations

from typing import TypedDict


class AchievementDef(TypedDict):
    code: str
    name: str
    description: str
    badge_icon: str
    requirement_type: str
    requirement_value: float


ACHIEVEMENTS: tuple[AchievementDef, ...] = (
    {
        "code": "FIRST_TRIP",
        "name": "Primer Viaje",
        "description": "Publicaste tu primer viaje",
        "badge_icon": "🚴",
        "requirement_type": "trips",
        "requirement_value": 1,
    },
    {
        "code": "CENTURY",
        "name": "Centurión",
        "description": "Recorriste 100 km en total",
        "badge_icon": "💯",
        "requirement_type": "distance",
        "requirement_value": 100,
    },
    {
        "code": "VOYAGER",
        "name": "Viajero",
        "description": "Acumulaste 1000 km",
        "badge_icon": "🌍",
        "requirement_type": "distance",
        "requirement_value": 1000,
    },
    {
        "code": "EXPLORER",
        "name": "Explorador",
        "description": "Visitaste 5 países",
        "badge_icon": "🗺️",
        "requirement_type": "countries",
        "requirement_value": 5,
    },
    {
        "code": "PHOTOGRAPHER",
        "name": "Fotógrafo",
        "description": "Subiste 50 fotos",
        "badge_icon": "📷",
        "requirement_type": "photos",
        "requirement_value": 50,
    },
    {
        "code": "GLOBETROTTER",
        "name": "Trotamundos",
        "description": "Visitaste 10 países",
        "badge_icon": "✈️",
        "requirement_type": "countries",
        "requirement_value": 10,
    },
    {
        "code": "MARATHONER",
        "name": "Maratonista",
        "description": "Recorriste 5000 km",
        "badge_icon": "🏃",
        "requirement_type": "distance",
        "requirement_value": 5000,
    },
    {
        "code": "INFLUENCER",
        "name": "Influencer",
        "description": "Tienes 100 seguidores",
        "badge_icon": "⭐",
        "requirement_type": "followers",
        "requirement_value": 100,
    },
    {
        "code": "PROLIFIC",
        "name": "Prolífico",
        "description": "Publicaste 25 viajes",
        "badge_icon": "📝",
        "requirement_type": "trips",
        "requirement_value": 25,
    },
)
