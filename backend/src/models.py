"""Imports every model so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from src.achievements.models import Achievement, UserAchievement
from src.auth.models import AuthToken, User
from src.core.database import Base
from src.core.email import EmailOutbox
from src.cycling.models import CyclingType
from src.gpx.models import GPXFile, PrivacyZone, RouteStatistics, TrackPoint
from src.interactions.models import Comment, Like
from src.photos.models import TripPhoto
from src.pois.models import PointOfInterest
from src.social.models import Follow
from src.stats.models import UserStats
from src.tags.models import Tag, TripTag
from src.trips.models import Trip, TripLocation
from src.users.models import UserProfile

__all__ = [
    "Achievement",
    "AuthToken",
    "Base",
    "Comment",
    "CyclingType",
    "EmailOutbox",
    "Follow",
    "GPXFile",
    "Like",
    "PointOfInterest",
    "PrivacyZone",
    "RouteStatistics",
    "Tag",
    "TrackPoint",
    "Trip",
    "TripLocation",
    "TripPhoto",
    "TripTag",
    "User",
    "UserAchievement",
    "UserProfile",
    "UserStats",
]
