"""Every query of the trips domain.

Who may see which trip is decided in one place, :func:`visible_to`, a SQL condition that
every route returning trips applies (detail, the rider's list, the public feed, the personal
feed).  Lists load a page of trips with their authors in one statement and the page's
photos, locations and tags in one statement each, so a page costs the same number of
queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.elements import UnaryExpression

from src.auth.models import User
from src.core.database import utcnow
from src.interactions import counters as interactions
from src.photos.models import TripPhoto
from src.social import service as social_service
from src.stats.totals import TripTotals
from src.trips.models import Trip, TripLocation
from src.users.models import UserProfile


@dataclass(frozen=True)
class Author:
    user_id: str
    username: str
    full_name: str | None
    #: as stored (``/storage/...``)
    profile_photo_url: str | None
    trip_visibility: str


@dataclass(frozen=True)
class TripRow:
    """A trip with its children loaded, its author, and the viewer's relation to the author."""

    trip: Trip
    author: Author
    #: whether the viewer follows the author; None for anonymous viewers
    follows_author: bool | None
    #: the trip's counters, kept by the database (migration 009)
    like_count: int = 0
    comment_count: int = 0
    #: whether the viewer likes the trip; None for anonymous viewers
    liked: bool | None = None


@dataclass(frozen=True)
class Page:
    rows: list[TripRow]
    total: int


# --------------------------------------------------------------------------------------
# visibility
# --------------------------------------------------------------------------------------
def follows_author(viewer_id: str) -> ColumnElement[bool]:
    """True when the viewer follows the trip's author."""
    return Trip.user_id.in_(social_service.followed_ids(viewer_id))


#: The author row inside :func:`visible_to`'s EXISTS.  One alias for the process: an alias
#: made per call would make SQLAlchemy adapt every column of ``User`` again for each request
#: (a fifth of a trip detail's CPU time, measured with py-spy).
_author = aliased(User, name="trip_author")


def visible_to(viewer: User | None, *, discovery: bool = False) -> ColumnElement[bool]:
    """The trips ``viewer`` (None: anonymous) may see, as a SQL condition on ``Trip``.

    * The author sees all of their trips, drafts included.
    * Anyone else sees a trip only when it is published, not ``is_private``, its author's
      account is active, and the author's ``trip_visibility`` allows it: ``public`` for
      everyone, ``followers`` for logged-in followers, ``private`` for nobody.
    * Administrators have no special read access.
    * ``discovery`` is for listings of riders the viewer did not ask for (the public feed,
      the community part of the personal feed): it also requires the author's
      ``profile_visibility`` to be ``public``, unless the viewer follows the author.
    """
    author = _author
    audience: list[ColumnElement[bool]] = [author.trip_visibility == "public"]
    if viewer is not None:
        audience.append(and_(author.trip_visibility == "followers", follows_author(viewer.id)))
    conditions: list[ColumnElement[bool]] = [
        author.id == Trip.user_id,
        author.is_active.is_(True),
        or_(*audience),
    ]
    if discovery:
        public_profile = author.profile_visibility == "public"
        conditions.append(
            public_profile if viewer is None else or_(public_profile, follows_author(viewer.id))
        )
    author_allows = select(literal(1)).select_from(author).where(*conditions).exists()
    for_others = and_(Trip.status == "published", Trip.is_private.is_(False), author_allows)
    if viewer is None:
        return for_others
    return or_(Trip.user_id == viewer.id, for_others)


# --------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------
def _children(*names: str) -> list[Any]:
    relationships = {"photos": Trip.photos, "locations": Trip.locations, "tags": Trip.tags}
    return [selectinload(relationships[name]) for name in names]


ALL_CHILDREN = ("photos", "locations", "tags")


def _rows_query(viewer: User | None, children: tuple[str, ...]) -> Select[Any]:
    columns: list[Any] = [
        Trip,
        User.username,
        UserProfile.full_name,
        UserProfile.profile_photo_url,
        User.trip_visibility,
    ]
    if viewer is not None:
        columns.append(follows_author(viewer.id).label("follows_author"))
    if viewer is not None:
        columns.append(interactions.liked_by(viewer.id, Trip.trip_id).label("liked"))
    return (
        select(*columns)
        .join(User, User.id == Trip.user_id)
        .outerjoin(UserProfile, UserProfile.user_id == Trip.user_id)
        .options(*_children(*children))
        .execution_options(populate_existing=True)
    )


def _to_row(row: Any, viewer: User | None) -> TripRow:
    trip: Trip = row[0]
    return TripRow(
        trip=trip,
        author=Author(
            user_id=trip.user_id,
            username=row[1],
            full_name=row[2],
            profile_photo_url=row[3],
            trip_visibility=row[4],
        ),
        follows_author=bool(row[5]) if viewer is not None else None,
        like_count=trip.like_count,
        comment_count=trip.comment_count,
        liked=bool(row.liked) if viewer is not None else None,
    )


async def _count(session: AsyncSession, condition: ColumnElement[bool]) -> int:
    result = await session.scalar(select(func.count()).select_from(Trip).where(condition))
    return int(result or 0)


async def _page(
    session: AsyncSession,
    viewer: User | None,
    condition: ColumnElement[bool],
    order_by: Sequence[ColumnElement[Any] | UnaryExpression[Any]],
    limit: int,
    offset: int,
    children: tuple[str, ...] = ALL_CHILDREN,
    total: int | None = None,
) -> Page:
    """A page of the trips matching ``condition``; ``total``: their number when the caller
    already knows it (a cached count), else counted here."""
    if total is None:
        total = await _count(session, condition)
    if offset >= total:
        return Page(rows=[], total=total)
    statement = (
        _rows_query(viewer, children).where(condition).order_by(*order_by).offset(offset)
    ).limit(limit)
    result = await session.execute(statement)
    return Page(rows=[_to_row(row, viewer) for row in result.all()], total=total)


async def user_has_trips(session: AsyncSession, user_id: str) -> bool:
    result = await session.execute(select(Trip.trip_id).where(Trip.user_id == user_id).limit(1))
    return result.first() is not None


async def get(session: AsyncSession, trip_id: str) -> Trip | None:
    return await session.get(Trip, trip_id)


async def get_row(
    session: AsyncSession, trip_id: str, viewer: User | None
) -> tuple[TripRow, bool] | None:
    """The trip with everything a detail view needs, and whether ``viewer`` may see it."""
    statement = _rows_query(viewer, ALL_CHILDREN).add_columns(visible_to(viewer).label("visible"))
    row = (await session.execute(statement.where(Trip.trip_id == trip_id))).one_or_none()
    if row is None:
        return None
    return _to_row(row, viewer), bool(row[-1])


async def get_visibility(
    session: AsyncSession, trip_id: str, viewer: User | None
) -> tuple[Trip, str, bool] | None:
    """The trip alone (no children), its author's ``trip_visibility``, and whether
    ``viewer`` may see it: for routes that only need to know (likes, comments, POIs)."""
    statement = (
        select(Trip, User.trip_visibility, visible_to(viewer).label("visible"))
        .join(User, User.id == Trip.user_id)
        .where(Trip.trip_id == trip_id)
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return None
    return row[0], str(row[1]), bool(row[2])


# --------------------------------------------------------------------------------------
# lists
# --------------------------------------------------------------------------------------
SORTS: dict[str, Sequence[ColumnElement[Any] | UnaryExpression[Any]]] = {
    "date-desc": [Trip.start_date.desc(), Trip.created_at.desc(), Trip.trip_id.desc()],
    "date-asc": [Trip.start_date.asc(), Trip.created_at.asc(), Trip.trip_id.asc()],
    "distance-desc": [
        Trip.distance_km.desc().nulls_last(),
        Trip.start_date.desc(),
        Trip.trip_id.desc(),
    ],
    "distance-asc": [
        Trip.distance_km.asc().nulls_last(),
        Trip.start_date.desc(),
        Trip.trip_id.asc(),
    ],
}
# Most liked first, then as date-desc.
SORTS["popularity-desc"] = [
    Trip.like_count.desc(),
    *SORTS["date-desc"],
]


async def list_for_user(
    session: AsyncSession,
    owner_id: str,
    viewer: User | None,
    *,
    status: str | None,
    is_private: bool | None,
    tagged: Select[Any] | None,
    sort: str,
    limit: int,
    offset: int,
) -> Page:
    conditions = [Trip.user_id == owner_id, visible_to(viewer)]
    if status is not None:
        conditions.append(Trip.status == status)
    if is_private is not None:
        conditions.append(Trip.is_private.is_(is_private))
    if tagged is not None:
        conditions.append(Trip.trip_id.in_(tagged))
    return await _page(
        session, viewer, and_(*conditions), SORTS[sort], limit, offset, ("photos", "tags")
    )


async def count_discoverable(session: AsyncSession) -> int:
    """How many trips an anonymous visitor may discover (the public feed's total)."""
    return await _count(session, visible_to(None, discovery=True))


async def list_public(
    session: AsyncSession,
    viewer: User | None,
    limit: int,
    offset: int,
    total: int | None = None,
) -> Page:
    """The public feed: what an anonymous visitor may discover, newest first.

    The viewer only personalises the rows (``follows_author``); it never widens the set.
    ``total``: :func:`count_discoverable`, when the caller has it cached.
    """
    order: list[Any] = [Trip.published_at.desc(), Trip.trip_id.desc()]
    return await _page(
        session,
        viewer,
        visible_to(None, discovery=True),
        order,
        limit,
        offset,
        ("photos", "locations"),
        total=total,
    )


async def list_feed(
    session: AsyncSession,
    viewer: User,
    limit: int,
    offset: int,
    discoverable: int | None = None,
) -> Page:
    """The personal feed (contract §4.13): three segments, concatenated, then paged.

    1. the viewer's own published trips (``is_private`` ones included), newest first;
    2. published trips of riders the viewer follows that the viewer may see, newest first;
    3. "community": every other trip the viewer may discover (the public-feed rule), most
       liked and commented first (``ix_trips_community``), then newest.

    Each segment is its own indexed query, so a page never sorts or counts the
    interactions of every trip: the first two segments are bounded by the viewer's own
    and followed riders' trips, the community part walks ``ix_trips_community`` and stops
    after the page.  ``total`` counts all three segments; the community part is counted as
    every discoverable trip (``discoverable``: :func:`count_discoverable`, which the caller
    may have cached) minus the discoverable trips of the viewer and of followed riders, so
    no statement counts the whole table per request.

    Statements per page (the ORM's cost per statement dominates this route): one counting
    the viewer's and followed riders' trips four ways at once, one per segment the page
    reaches selecting ids only, then the page's trips with their children loaded once.
    """
    followed = follows_author(viewer.id)
    published = Trip.status == "published"
    own = and_(Trip.user_id == viewer.id, published)
    followed_part = and_(published, followed, visible_to(viewer))
    community = and_(
        published,
        Trip.user_id != viewer.id,
        ~followed,
        visible_to(None, discovery=True),
    )
    newest: list[Any] = [Trip.published_at.desc(), Trip.trip_id.desc()]
    popular: list[Any] = [(Trip.like_count + Trip.comment_count).desc(), *newest]
    segments = [(own, newest), (followed_part, newest), (community, popular)]
    if discoverable is None:
        discoverable = await count_discoverable(session)
    discoverable_here = visible_to(None, discovery=True)
    # the discoverable trips that are not community: the viewer's own and followed riders'
    # (a rider cannot follow themselves); every count reads only those riders' trips
    own_count, followed_count, mine, theirs = (
        await session.execute(
            select(
                func.count().filter(own),
                func.count().filter(followed_part),
                func.count().filter(and_(Trip.user_id == viewer.id, discoverable_here)),
                func.count().filter(and_(followed, discoverable_here)),
            )
            .select_from(Trip)
            # (an IN over a union, not an OR: the planner then reads the user_id index
            # instead of scanning every trip)
            .where(
                Trip.user_id.in_(
                    select(literal(viewer.id)).union_all(social_service.followed_ids(viewer.id))
                )
            )
        )
    ).one()
    counts = [int(own_count), int(followed_count), discoverable - int(mine) - int(theirs)]
    ids: list[str] = []
    start = 0
    for (condition, order_by), count in zip(segments, counts, strict=True):
        wanted = limit - len(ids)
        if wanted > 0 and offset + len(ids) < start + count:
            statement = (
                select(Trip.trip_id)
                .where(condition)
                .order_by(*order_by)
                .offset(offset + len(ids) - start)
                .limit(wanted)
            )
            ids.extend((await session.scalars(statement)).all())
        start += count
    rows: list[TripRow] = []
    if ids:
        result = await session.execute(
            _rows_query(viewer, ALL_CHILDREN).where(Trip.trip_id.in_(ids))
        )
        loaded = {row[0].trip_id: _to_row(row, viewer) for row in result.all()}
        # a trip deleted between the two statements is simply left out of the page
        rows = [loaded[trip_id] for trip_id in ids if trip_id in loaded]
    return Page(rows=rows, total=sum(counts))


# --------------------------------------------------------------------------------------
# writes
# --------------------------------------------------------------------------------------
async def lock(session: AsyncSession, trip_id: str) -> None:
    """Take the trip's row lock for the rest of the transaction (and mark it updated).

    Writers of one trip's children (photos, tags, locations) serialise on this lock; on
    SQLite the statement takes the database write lock before anything is read.
    """
    await session.execute(
        update(Trip)
        .where(Trip.trip_id == trip_id)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def mark_published(session: AsyncSession, trip_id: str, now: datetime) -> bool:
    """Publish a draft; True only for the request that actually published it."""
    result = await session.execute(
        update(Trip)
        .where(Trip.trip_id == trip_id, Trip.status == "draft")
        .values(status="published", published_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def replace_locations(
    session: AsyncSession, trip_id: str, places: list[tuple[str, float | None, float | None]]
) -> None:
    await session.execute(delete(TripLocation).where(TripLocation.trip_id == trip_id))
    for sequence, (name, latitude, longitude) in enumerate(places):
        session.add(
            TripLocation(
                trip_id=trip_id,
                name=name,
                latitude=latitude,
                longitude=longitude,
                sequence=sequence,
            )
        )
    await session.flush()


def ids_of_user(user_id: str) -> Select[Any]:
    return select(Trip.trip_id).where(Trip.user_id == user_id)


def published_ids_of_user(user_id: str) -> Select[Any]:
    return select(Trip.trip_id).where(Trip.user_id == user_id, Trip.status == "published")


def id_is(trip_id: str) -> Select[Any]:
    return select(Trip.trip_id).where(Trip.trip_id == trip_id)


async def photo_urls(session: AsyncSession, trip_ids: Select[Any]) -> list[str]:
    """The stored URLs (web image and thumbnail) of every photo of these trips."""
    result = await session.execute(
        select(TripPhoto.photo_url, TripPhoto.thumb_url).where(TripPhoto.trip_id.in_(trip_ids))
    )
    return [url for row in result.all() for url in row]


async def delete_trips(session: AsyncSession, trip_ids: Select[Any]) -> None:
    """Delete trips; their photos, locations and tag links go with them (ON DELETE CASCADE)."""
    await session.execute(
        delete(Trip).where(Trip.trip_id.in_(trip_ids)).execution_options(synchronize_session=False)
    )


# --------------------------------------------------------------------------------------
# stats
# --------------------------------------------------------------------------------------
async def totals(session: AsyncSession, user_id: str) -> TripTotals:
    published = (Trip.user_id == user_id, Trip.status == "published")
    trips, kilometers, last = (
        await session.execute(
            select(
                func.count(Trip.trip_id),
                func.coalesce(func.sum(Trip.distance_km), 0.0),
                func.max(Trip.start_date),
            ).where(*published)
        )
    ).one()
    photos = await session.scalar(
        select(func.count(TripPhoto.photo_id))
        .join(Trip, Trip.trip_id == TripPhoto.trip_id)
        .where(*published)
    )
    coordinates = (
        await session.execute(
            select(TripLocation.latitude, TripLocation.longitude)
            .join(Trip, Trip.trip_id == TripLocation.trip_id)
            .where(
                *published,
                TripLocation.latitude.is_not(None),
                TripLocation.longitude.is_not(None),
            )
            .order_by(TripLocation.trip_id, TripLocation.sequence)
        )
    ).all()
    last_date: date | None = last
    return TripTotals(
        trips=int(trips),
        kilometers=float(kilometers or 0.0),
        photos=int(photos or 0),
        last_trip_date=last_date,
        coordinates=tuple((float(lat or 0.0), float(lon or 0.0)) for lat, lon in coordinates),
    )
