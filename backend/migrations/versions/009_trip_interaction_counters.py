"""Likes and comments counted on the trip row, kept by the database itself.

``trips.like_count`` and ``trips.comment_count`` are maintained by row triggers on
``likes`` and ``comments`` (insert: +1, delete: -1), so they move in the same transaction as
the rows they count, whatever deletes them (the API, an account deletion's cascade, a manual
DELETE).  They replace the correlated ``count(*)`` subqueries every trip listing ran, and
let the personal feed's community part ("most liked and commented first") walk an index
instead of counting the interactions of every trip.

Revision ID: 009_trip_interaction_counters
Revises: 008_gpx_routes
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "009_trip_interaction_counters"
down_revision: str | None = "008_gpx_routes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, counter column)
COUNTED = (("likes", "like_count"), ("comments", "comment_count"))


def _postgresql_triggers() -> None:
    for table, column in COUNTED:
        op.execute(
            f"""
            CREATE FUNCTION trips_count_{table}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    UPDATE trips SET {column} = {column} + 1 WHERE trip_id = NEW.trip_id;
                ELSE
                    UPDATE trips SET {column} = {column} - 1 WHERE trip_id = OLD.trip_id;
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_count AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION trips_count_{table}()"
        )


def _sqlite_triggers() -> None:
    for table, column in COUNTED:
        op.execute(
            f"CREATE TRIGGER trg_{table}_count_insert AFTER INSERT ON {table} BEGIN "
            f"UPDATE trips SET {column} = {column} + 1 WHERE trip_id = NEW.trip_id; END"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_count_delete AFTER DELETE ON {table} BEGIN "
            f"UPDATE trips SET {column} = {column} - 1 WHERE trip_id = OLD.trip_id; END"
        )


def upgrade() -> None:
    for _table, column in COUNTED:
        op.add_column(
            "trips", sa.Column(column, sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE trips SET "
        "like_count = (SELECT count(*) FROM likes WHERE likes.trip_id = trips.trip_id), "
        "comment_count = (SELECT count(*) FROM comments WHERE comments.trip_id = trips.trip_id)"
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()
    op.create_index(
        "ix_trips_community",
        "trips",
        [
            sa.text("(like_count + comment_count) DESC"),
            sa.text("published_at DESC"),
            sa.text("trip_id DESC"),
        ],
        # as SQLAlchemy renders ``Trip.is_private.is_(False)``: the planners only use a
        # partial index whose condition the query's implies, written the same way
        postgresql_where=sa.text("status = 'published' AND is_private IS false"),
        sqlite_where=sa.text("status = 'published' AND is_private IS 0"),
    )


    op.create_index(
        "ix_trips_discoverable",
        "trips",
        ["user_id"],
        postgresql_where=sa.text("status = 'published' AND is_private IS false"),
        sqlite_where=sa.text("status = 'published' AND is_private IS 0"),
    )


def downgrade() -> None:
    op.drop_index("ix_trips_discoverable", table_name="trips")
    op.drop_index("ix_trips_community", table_name="trips")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, column in COUNTED:
        if postgresql:
            op.execute(f"DROP TRIGGER trg_{table}_count ON {table}")
            op.execute(f"DROP FUNCTION trips_count_{table}()")
        else:
            op.execute(f"DROP TRIGGER trg_{table}_count_insert")
            op.execute(f"DROP TRIGGER trg_{table}_count_delete")
        # native on PostgreSQL and on SQLite >= 3.35 (no table rebuild, no cascade)
        op.execute(f"ALTER TABLE trips DROP COLUMN {column}")
