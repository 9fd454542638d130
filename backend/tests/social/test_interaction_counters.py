"""``trips.like_count`` / ``trips.comment_count`` are kept by database triggers (migration
009): whatever adds or removes a like or a comment (the API, an account deletion's cascade,
a statement run by hand), the counters equal the rows they count, in the same transaction.
And the personal feed, now built from one indexed query per segment, pages exactly like
the single ordered list it stands for."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from src.interactions.models import Comment, Like
from src.trips.models import Trip
from tests.conftest import AppHarness
from tests.helpers import PASSWORD
from tests.trips.helpers import follow, make_rider, published_trip


async def stored_and_counted(h: AppHarness) -> dict[str, tuple[int, int, int, int]]:
    """trip_id -> (like_count, likes counted, comment_count, comments counted)."""
    async with h.services.db.sessionmaker() as session:
        likes = select(func.count(Like.id)).where(Like.trip_id == Trip.trip_id)
        comments = select(func.count(Comment.id)).where(Comment.trip_id == Trip.trip_id)
        result = await session.execute(
            select(
                Trip.trip_id,
                Trip.like_count,
                likes.scalar_subquery(),
                Trip.comment_count,
                comments.scalar_subquery(),
            )
        )
        return {row[0]: (row[1], row[2], row[3], row[4]) for row in result.all()}


def assert_true(counters: dict[str, tuple[int, int, int, int]]) -> None:
    for trip_id, (likes, counted_likes, comments, counted_comments) in counters.items():
        assert (likes, comments) == (counted_likes, counted_comments), trip_id


async def test_counters_follow_every_way_rows_come_and_go(harness: AppHarness) -> None:
    h = harness
    ana, bob, carl = [await make_rider(h, n) for n in ("ana", "bob", "carl")]
    first = (await published_trip(h, ana, title="Uno"))["trip_id"]
    second = (await published_trip(h, ana, title="Dos"))["trip_id"]
    bobs = (await published_trip(h, bob, title="De Bob"))["trip_id"]
    c = h.client
    for rider in (bob, carl):
        for trip_id in (first, second):
            liked = await c.post(f"/trips/{trip_id}/like", headers=rider.headers)
            assert liked.status_code == 201, liked.text
    for text in ("uno", "dos", "tres"):
        r = await c.post(f"/trips/{first}/comments", json={"content": text}, headers=carl.headers)
        assert r.status_code == 201, r.text
    r = await c.post(f"/trips/{bobs}/comments", json={"content": "hola"}, headers=ana.headers)
    assert r.status_code == 201
    assert (await c.post(f"/trips/{bobs}/like", headers=carl.headers)).status_code == 201
    counters = await stored_and_counted(h)
    assert counters[first] == (2, 2, 3, 3)
    assert counters[second] == (2, 2, 0, 0)
    assert counters[bobs] == (1, 1, 1, 1)

    # through the API: an unlike and a deleted comment
    assert (await c.delete(f"/trips/{second}/like", headers=bob.headers)).status_code == 200
    listed = (await c.get(f"/trips/{first}/comments")).json()["data"]["items"]
    gone = await c.delete(f"/comments/{listed[0]['id']}", headers=carl.headers)
    assert gone.status_code == 204, gone.text
    counters = await stored_and_counted(h)
    assert counters[first] == (2, 2, 2, 2)
    assert counters[second] == (1, 1, 0, 0)

    # outside the API: a statement run by hand moves the counters too
    async with h.services.db.sessionmaker() as session:
        await session.execute(delete(Like).where(Like.user_id == carl.id, Like.trip_id == first))
        await session.commit()
    assert (await stored_and_counted(h))[first] == (1, 1, 2, 2)

    # a rolled-back like leaves no trace in the counter
    async with h.services.db.sessionmaker() as session:
        session.add(Like(user_id=ana.id, trip_id=bobs))
        await session.flush()
        assert (await session.scalar(select(Trip.like_count).where(Trip.trip_id == bobs))) == 2
        await session.rollback()
    assert (await stored_and_counted(h))[bobs] == (1, 1, 1, 1)

    # an account deletion's cascade (carl's likes and comments) and a trip's (bob's trip)
    deleted = await c.request(
        "DELETE", "/auth/me", json={"password": PASSWORD}, headers=carl.headers
    )
    assert deleted.status_code == 200, deleted.text
    counters = await stored_and_counted(h)
    assert counters[first] == (1, 1, 0, 0)
    assert counters[second] == (0, 0, 0, 0)
    assert counters[bobs] == (0, 0, 1, 1)
    assert (await c.delete(f"/trips/{bobs}", headers=bob.headers)).status_code == 200
    counters = await stored_and_counted(h)
    assert bobs not in counters
    assert_true(counters)
    detail = (await c.get(f"/trips/{first}")).json()["data"]
    assert detail["like_count"] == 1


async def test_feed_pages_are_slices_of_one_ordered_list(harness: AppHarness) -> None:
    """Every page size gives the same sequence: own trips newest first, followed riders'
    newest first, then the community by likes + comments, then newest."""
    h = harness
    me, friend, other, fan = [await make_rider(h, n) for n in ("myself", "friend", "other", "fan")]
    await follow(h, me, friend)
    mine = [(await published_trip(h, me, title=f"Mío {i}"))["trip_id"] for i in range(2)]
    friends = [(await published_trip(h, friend, title=f"Amigo {i}"))["trip_id"] for i in range(3)]
    community = [(await published_trip(h, other, title=f"Otro {i}"))["trip_id"] for i in range(4)]
    c = h.client
    # popularity: community[1] 2 (like + comment), community[3] 1, the others 0
    assert (await c.post(f"/trips/{community[1]}/like", headers=fan.headers)).status_code == 201
    r = await c.post(
        f"/trips/{community[1]}/comments", json={"content": "¡Qué bonito!"}, headers=fan.headers
    )
    assert r.status_code == 201
    assert (await c.post(f"/trips/{community[3]}/like", headers=fan.headers)).status_code == 201
    # a like on a followed rider's trip does not move it out of its segment
    assert (await c.post(f"/trips/{friends[0]}/like", headers=fan.headers)).status_code == 201

    expected = [
        *reversed(mine),
        *reversed(friends),
        community[1],
        community[3],
        community[2],
        community[0],
    ]
    whole = (await c.get("/feed?limit=50", headers=me.headers)).json()
    assert [t["trip_id"] for t in whole["trips"]] == expected
    assert whole["total_count"] == len(expected)
    for limit in range(1, len(expected) + 1):
        seen: list[str] = []
        page = 1
        while True:
            body = (await c.get(f"/feed?page={page}&limit={limit}", headers=me.headers)).json()
            assert body["total_count"] == len(expected), (limit, page)
            seen += [t["trip_id"] for t in body["trips"]]
            if not body["has_more"]:
                break
            page += 1
        assert seen == expected, limit
    past = (await c.get("/feed?page=20&limit=5", headers=me.headers)).json()
    assert (past["trips"], past["total_count"], past["has_more"]) == ([], len(expected), False)
