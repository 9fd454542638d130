"""Bulk seeder for the load benchmark: PostgreSQL COPY through asyncpg.

Two phases, both deterministic (seeded random generator):

  python bench/seed.py dataset   --dsn DSN --trips 100000 --out DIR
  python bench/seed.py writepool --dsn DSN --out DIR [--publish N --photo N --gpx N]

``dataset`` empties every data table (reference tables - achievements, cycling types - are
kept) and loads one scale: users (trips / 10, at least 100), profiles, stats, tags, trips
(90 % published), photos, places, tag links, follows, likes and comments, then recomputes the
denormalised counters (followers, tag usage, trip likes/comments, stats) from those rows and
runs ANALYZE.
It writes the id lists the load scripts read (one entry per line) into DIR:

  trips.txt       published, publicly visible trip ids (trip detail)
  profiles.txt    usernames with a public profile and public trips (profile, rider's trips)
  feed_tokens.txt access tokens of riders who follow others (personal feed)
  logins.txt      usernames whose password is BENCH_PASSWORD (login)
  writers.txt     "user_id token" of riders (create trip)

``writepool`` adds the rows the write scenarios consume, *after* the read scenarios ran so
that they do not change what the reads see: drafts ready to publish (one per rider, round
robin), and drafts that receive photo and GPX uploads.  It writes publish.txt, photo.txt and
gpx.txt ("trip_id token" per line).

Access tokens are minted with the application's own TokenService (same SECRET_KEY as the
server, from BENCH_SECRET_KEY), valid for ACCESS_TOKEN_EXPIRE_MINUTES=600.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import bcrypt

BACKEND = Path(__file__).resolve().parents[1] / "backend"
sys.path.insert(0, str(BACKEND))

BENCH_PASSWORD = "BenchPass123!"
ROUNDS = int(os.environ.get("BCRYPT_ROUNDS", "12"))

DATA_TABLES = (
    "comments",
    "likes",
    "route_statistics",
    "track_points",
    "gpx_files",
    "points_of_interest",
    "trip_tags",
    "trip_photos",
    "trip_locations",
    "trips",
    "tags",
    "follows",
    "user_achievements",
    "user_stats",
    "user_profiles",
    "password_resets",
    "privacy_zones",
    "email_outbox",
    "users",
)

#: tables loaded in bulk: their plain indexes are dropped and rebuilt around the COPY
BULK_TABLES = (
    "trips",
    "trip_photos",
    "trip_locations",
    "trip_tags",
    "follows",
    "likes",
    "comments",
)

WORDS = (
    "ruta",
    "camino",
    "sierra",
    "puerto",
    "costa",
    "valle",
    "río",
    "bosque",
    "meseta",
    "pueblo",
    "castillo",
    "ermita",
    "collado",
    "llanura",
    "viñedo",
    "olivar",
    "embalse",
    "cañón",
    "faro",
    "dehesa",
    "páramo",
    "vega",
    "cumbre",
    "desfiladero",
    "calzada",
    "vereda",
    "cordel",
    "alforjas",
    "bidón",
    "cadena",
    "plato",
    "piñón",
)
PLACES = (
    ("Madrid", 40.4168, -3.7038),
    ("Burgos", 42.3439, -3.6969),
    ("León", 42.5987, -5.5671),
    ("Valencia", 39.4699, -0.3763),
    ("Granada", 37.1773, -3.5986),
    ("Pamplona", 42.8125, -1.6458),
    ("Oviedo", 43.3614, -5.8593),
    ("Teruel", 40.3457, -1.1065),
    ("Lisboa", 38.7223, -9.1393),
    ("Toulouse", 43.6047, 1.4442),
)
DIFFICULTIES = ("easy", "moderate", "difficult", "very_difficult", "extreme")


def uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


_POOLS: dict[int, list[str]] = {}


def sentence(rng: random.Random, words: int) -> str:
    """One of 500 pre-built sentences of ``words`` words (fast for a million rows)."""
    pool = _POOLS.get(words)
    if pool is None:
        maker = random.Random(words)
        pool = _POOLS[words] = [
            " ".join(maker.choice(WORDS) for _ in range(words)) for _ in range(500)
        ]
    return pool[rng.randrange(500)]


def token_service() -> Any:
    from src.config import load_settings
    from src.core.security import TokenService

    secret = os.environ["BENCH_SECRET_KEY"]
    settings = load_settings(
        SECRET_KEY=secret,
        APP_ENV="local",
        DATABASE_URL="sqlite+aiosqlite:///:memory:",
        ACCESS_TOKEN_EXPIRE_MINUTES=600,
    )
    return TokenService(settings)


TIMINGS: dict[str, float] = {}


async def copy(conn: asyncpg.Connection, table: str, columns: list[str], rows: list[Any]) -> None:
    if rows:
        started = time.monotonic()
        await conn.copy_records_to_table(table, records=rows, columns=columns)
        TIMINGS[table] = TIMINGS.get(table, 0.0) + time.monotonic() - started


# ------------------------------------------------------------------------------------------
# dataset
# ------------------------------------------------------------------------------------------
async def dataset(dsn: str, n_trips: int, out: Path) -> None:
    rng = random.Random(20260101 + n_trips)
    n_users = max(100, n_trips // 10)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.monotonic()
    hashed = bcrypt.hashpw(BENCH_PASSWORD.encode(), bcrypt.gensalt(ROUNDS)).decode()

    users: list[tuple[Any, ...]] = []
    profiles: list[tuple[Any, ...]] = []
    user_rows: list[dict[str, Any]] = []
    for i in range(n_users):
        user_id = uid(rng)
        created = now - timedelta(days=rng.randint(30, 1500))
        profile_visibility = "private" if rng.random() < 0.10 else "public"
        r = rng.random()
        trip_visibility = "public" if r < 0.80 else ("followers" if r < 0.95 else "private")
        username = f"rider{i:06d}"
        users.append(
            (
                user_id,
                username,
                f"{username}@bench.invalid",
                hashed,
                "user",
                True,
                True,
                0,
                None,
                None,
                None,
                created,
                created,
                profile_visibility,
                trip_visibility,
            )
        )
        photo = f"/storage/profile_photos/{user_id}.jpg" if rng.random() < 0.6 else None
        profiles.append(
            (
                uid(rng),
                user_id,
                f"Rider {i}",
                sentence(rng, 20),
                rng.choice(PLACES)[0],
                None,
                photo,
                created,
                created,
                False,
                True,
                0,
                0,
            )
        )
        user_rows.append(
            {
                "id": user_id,
                "username": username,
                "public": profile_visibility == "public" and trip_visibility == "public",
            }
        )

    tags = []
    for i in range(200):
        name = f"{rng.choice(WORDS).capitalize()}{i}"
        tags.append((uid(rng), name, name.lower(), 0, now))

    trips: list[tuple[Any, ...]] = []
    photos: list[tuple[Any, ...]] = []
    locations: list[tuple[Any, ...]] = []
    trip_tags: list[tuple[Any, ...]] = []
    visible_trips: list[str] = []
    published_ids: list[str] = []
    riders_with_public_trips: set[int] = set()
    for _ in range(n_trips):
        trip_id = uid(rng)
        owner = rng.randrange(n_users)
        user = user_rows[owner]
        created = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        start = created.date() - timedelta(days=rng.randint(0, 30))
        published = rng.random() < 0.90
        is_private = rng.random() < 0.05
        trips.append(
            (
                trip_id,
                user["id"],
                sentence(rng, 5).capitalize(),
                "<p>" + sentence(rng, 60) + "</p>",
                "published" if published else "draft",
                start,
                start + timedelta(days=rng.randint(0, 10)),
                round(rng.uniform(10, 1500), 1),
                rng.choice(DIFFICULTIES),
                is_private,
                created,
                created,
                created + timedelta(minutes=5) if published else None,
            )
        )
        if published:
            published_ids.append(trip_id)
            if user["public"] and not is_private:
                visible_trips.append(trip_id)
                riders_with_public_trips.add(owner)
        for order in range(rng.choice((0, 1, 2, 2, 3, 4))):
            stem = f"/storage/trip_photos/{trip_id}/{order}"
            photos.append(
                (
                    uid(rng),
                    trip_id,
                    f"{stem}.jpg",
                    f"{stem}_t.jpg",
                    None,
                    order,
                    350_000,
                    1200,
                    800,
                    created,
                )
            )
        for sequence in range(rng.choice((1, 1, 2, 3))):
            name, lat, lon = rng.choice(PLACES)
            locations.append(
                (
                    uid(rng),
                    trip_id,
                    name,
                    lat + rng.uniform(-0.5, 0.5),
                    lon + rng.uniform(-0.5, 0.5),
                    sequence,
                    created,
                )
            )
        for tag in rng.sample(tags, rng.choice((1, 2, 2, 3))):
            trip_tags.append((trip_id, tag[0], created))

    follows: list[tuple[Any, ...]] = []
    per_user = min(10, n_users - 1)
    for follower in range(n_users):
        for followed in rng.sample(range(n_users), per_user + 1):
            if followed != follower and len(follows) < (follower + 1) * per_user:
                follows.append(
                    (
                        uid(rng),
                        user_rows[follower]["id"],
                        user_rows[followed]["id"],
                        now,
                    )
                )

    likes: list[tuple[Any, ...]] = []
    comments: list[tuple[Any, ...]] = []
    for trip_id in published_ids:
        for liker in rng.sample(range(n_users), rng.choice((0, 1, 2, 3, 5))):
            likes.append((uid(rng), user_rows[liker]["id"], trip_id, now))
        if rng.random() < 0.3:
            commenter = user_rows[rng.randrange(n_users)]["id"]
            comments.append((uid(rng), commenter, trip_id, sentence(rng, 12), now, None, False))
    generated = time.monotonic()

    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute(f"TRUNCATE {', '.join(DATA_TABLES)} CASCADE")
            # The rows are consistent by construction: skip the per-row foreign-key triggers
            # for this transaction (superuser only; the throwaway server's user is one).
            await conn.execute("SET LOCAL session_replication_role = replica")
            # Bulk load, then build the plain (non-constraint) indexes once: much faster than
            # maintaining them row by row.  Their definitions are read back from the catalog.
            index_defs = [
                r["def"]
                for r in await conn.fetch(
                    """
                    SELECT pg_get_indexdef(i.indexrelid) AS def, c.relname AS name
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    JOIN pg_class t ON t.oid = i.indrelid
                    WHERE t.relname = ANY($1::text[]) AND NOT i.indisprimary
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                    """,
                    list(BULK_TABLES),
                )
            ]
            for name in await conn.fetch(
                """
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ANY($1::text[]) AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                """,
                list(BULK_TABLES),
            ):
                await conn.execute(f'DROP INDEX "{name["relname"]}"')
            await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            await copy(
                conn,
                "users",
                [
                    "id",
                    "username",
                    "email",
                    "hashed_password",
                    "role",
                    "is_active",
                    "is_verified",
                    "failed_login_attempts",
                    "locked_until",
                    "tokens_valid_after",
                    "last_login_at",
                    "created_at",
                    "updated_at",
                    "profile_visibility",
                    "trip_visibility",
                ],
                users,
            )
            await copy(
                conn,
                "user_profiles",
                [
                    "id",
                    "user_id",
                    "full_name",
                    "bio",
                    "location",
                    "cycling_type",
                    "profile_photo_url",
                    "created_at",
                    "updated_at",
                    "show_email",
                    "show_location",
                    "followers_count",
                    "following_count",
                ],
                profiles,
            )
            await copy(
                conn,
                "tags",
                ["tag_id", "name", "normalized", "usage_count", "created_at"],
                tags,
            )
            await copy(
                conn,
                "trips",
                [
                    "trip_id",
                    "user_id",
                    "title",
                    "description",
                    "status",
                    "start_date",
                    "end_date",
                    "distance_km",
                    "difficulty",
                    "is_private",
                    "created_at",
                    "updated_at",
                    "published_at",
                ],
                trips,
            )
            await copy(
                conn,
                "trip_photos",
                [
                    "photo_id",
                    "trip_id",
                    "photo_url",
                    "thumb_url",
                    "caption",
                    "order",
                    "file_size",
                    "width",
                    "height",
                    "uploaded_at",
                ],
                photos,
            )
            await copy(
                conn,
                "trip_locations",
                [
                    "location_id",
                    "trip_id",
                    "name",
                    "latitude",
                    "longitude",
                    "sequence",
                    "created_at",
                ],
                locations,
            )
            await copy(conn, "trip_tags", ["trip_id", "tag_id", "created_at"], trip_tags)
            await copy(
                conn,
                "follows",
                ["id", "follower_id", "following_id", "created_at"],
                follows,
            )
            await copy(conn, "likes", ["id", "user_id", "trip_id", "created_at"], likes)
            await copy(
                conn,
                "comments",
                [
                    "id",
                    "user_id",
                    "trip_id",
                    "content",
                    "created_at",
                    "updated_at",
                    "is_edited",
                ],
                comments,
            )
            started_indexes = time.monotonic()
            for definition in index_defs:
                await conn.execute(definition)
            TIMINGS["indexes"] = time.monotonic() - started_indexes
            # Denormalised counters, computed from the rows exactly as the API keeps them
            # (set-based: one pass per table, planned with fresh statistics).
            for table in ("users", "trips", "trip_photos", "trip_tags", "follows"):
                await conn.execute(f"ANALYZE {table}")
            await conn.execute(
                """
                UPDATE user_profiles p SET
                  followers_count = coalesce(fr.n, 0), following_count = coalesce(fg.n, 0)
                FROM users u
                LEFT JOIN (SELECT following_id AS id, count(*) AS n FROM follows
                           GROUP BY following_id) fr ON fr.id = u.id
                LEFT JOIN (SELECT follower_id AS id, count(*) AS n FROM follows
                           GROUP BY follower_id) fg ON fg.id = u.id
                WHERE p.user_id = u.id
                """
            )
            # the triggers that keep these on the API's writes are off under
            # session_replication_role = replica
            for table, column in (("likes", "like_count"), ("comments", "comment_count")):
                await conn.execute(
                    f"""
                    UPDATE trips t SET {column} = c.n
                    FROM (SELECT trip_id, count(*) AS n FROM {table} GROUP BY trip_id) c
                    WHERE c.trip_id = t.trip_id
                    """
                )
            await conn.execute(
                """
                UPDATE tags t SET usage_count = c.n
                FROM (SELECT tag_id, count(*) AS n FROM trip_tags GROUP BY tag_id) c
                WHERE c.tag_id = t.tag_id
                """
            )
            await conn.execute(
                """
                INSERT INTO user_stats (id, user_id, total_trips, total_kilometers,
                    countries_visited, total_photos, achievements_count, last_trip_date,
                    created_at, updated_at)
                SELECT gen_random_uuid()::text, u.id, coalesce(t.n, 0), coalesce(t.km, 0),
                    '["ES"]'::json, coalesce(ph.n, 0), 0, t.last, now(), now()
                FROM users u
                LEFT JOIN (SELECT user_id, count(*) AS n, sum(distance_km) AS km,
                                  max(start_date) AS last
                           FROM trips WHERE status = 'published' GROUP BY user_id) t
                       ON t.user_id = u.id
                LEFT JOIN (SELECT tr.user_id, count(*) AS n FROM trip_photos p
                           JOIN trips tr ON tr.trip_id = p.trip_id
                           WHERE tr.status = 'published' GROUP BY tr.user_id) ph
                       ON ph.user_id = u.id
                """
            )
        loaded = time.monotonic()
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()

    tokens = token_service()
    out.mkdir(parents=True, exist_ok=True)
    rng.shuffle(visible_trips)
    (out / "trips.txt").write_text("\n".join(visible_trips[:20000]) + "\n")
    public_riders = [user_rows[i]["username"] for i in sorted(riders_with_public_trips)]
    rng.shuffle(public_riders)
    (out / "profiles.txt").write_text("\n".join(public_riders[:20000]) + "\n")
    sample = rng.sample(user_rows, min(len(user_rows), 2000))
    # "user_id token" lines: the load script sends the second field as a Bearer token
    (out / "feed_tokens.txt").write_text(
        "\n".join(f"{u['id']} {tokens.create_access_token(u['id'], u['username'])}" for u in sample)
        + "\n"
    )
    logins = [u["username"] for u in user_rows]
    rng.shuffle(logins)
    (out / "logins.txt").write_text("\n".join(logins) + "\n")
    (out / "writers.txt").write_text(
        "\n".join(f"{u['id']} {tokens.create_access_token(u['id'], u['username'])}" for u in sample)
        + "\n"
    )
    print(
        f"seeded {n_trips} trips, {n_users} users, {len(photos)} photos, "
        f"{len(locations)} places, {len(trip_tags)} tag links, {len(follows)} follows, "
        f"{len(likes)} likes, {len(comments)} comments "
        f"(generate {generated - started:.1f}s, COPY {loaded - generated:.1f}s, "
        f"total {time.monotonic() - started:.1f}s)"
    )
    print("COPY seconds per table: " + ", ".join(f"{k} {v:.1f}" for k, v in TIMINGS.items()))


# ------------------------------------------------------------------------------------------
# write pools
# ------------------------------------------------------------------------------------------
async def writepool(dsn: str, out: Path, n_publish: int, n_photo: int, n_gpx: int) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC).replace(microsecond=0)
    tokens = token_service()
    conn = await asyncpg.connect(dsn)
    try:
        users = await conn.fetch("SELECT id, username FROM users ORDER BY username")
        rows: list[tuple[Any, ...]] = []
        pools: dict[str, list[str]] = {"publish": [], "photo": [], "gpx": []}
        cursor = 0
        token_of: dict[str, str] = {}
        for pool, count in (("publish", n_publish), ("photo", n_photo), ("gpx", n_gpx)):
            for _ in range(count):
                user = users[cursor % len(users)]
                cursor += 1
                trip_id = uid(rng)
                start = date(2025, 5, 1) + timedelta(days=rng.randint(0, 300))
                rows.append(
                    (
                        trip_id,
                        user["id"],
                        f"Bench {pool} {cursor}",
                        "<p>" + sentence(rng, 30) + "</p>",
                        "draft",
                        start,
                        None,
                        120.5,
                        "moderate",
                        False,
                        now,
                        now,
                        None,
                    )
                )
                if user["id"] not in token_of:
                    token_of[user["id"]] = tokens.create_access_token(user["id"], user["username"])
                pools[pool].append(f"{trip_id} {token_of[user['id']]}")
        await copy(
            conn,
            "trips",
            [
                "trip_id",
                "user_id",
                "title",
                "description",
                "status",
                "start_date",
                "end_date",
                "distance_km",
                "difficulty",
                "is_private",
                "created_at",
                "updated_at",
                "published_at",
            ],
            rows,
        )
        await conn.execute("ANALYZE trips")
    finally:
        await conn.close()
    out.mkdir(parents=True, exist_ok=True)
    for pool, lines in pools.items():
        (out / f"{pool}.txt").write_text("\n".join(lines) + "\n")
    print(f"write pools: {n_publish} to publish, {n_photo} for photos, {n_gpx} for GPX")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("phase", choices=("dataset", "writepool"))
    parser.add_argument("--dsn", required=True, help="postgresql://user@host:port/db")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--trips", type=int, default=1000)
    parser.add_argument("--publish", type=int, default=20000)
    parser.add_argument("--photo", type=int, default=1000)
    parser.add_argument("--gpx", type=int, default=2000)
    args = parser.parse_args()
    if args.phase == "dataset":
        asyncio.run(dataset(args.dsn, args.trips, args.out))
    else:
        asyncio.run(writepool(args.dsn, args.out, args.publish, args.photo, args.gpx))


if __name__ == "__main__":
    main()
