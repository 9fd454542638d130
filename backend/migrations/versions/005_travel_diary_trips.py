"""Travel diary: trips, their locations and photos, and tags.

Revision ID: 005_travel_diary_trips
Revises: 004_social_features
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "005_travel_diary_trips"
down_revision: str | None = "004_social_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "trips",
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.String(20), nullable=True),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("published_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("trip_id", name="pk_trips"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_trips_user_id_users", ondelete="CASCADE"
        ),
        sa.CheckConstraint("status IN ('draft', 'published')", name="ck_trips_status"),
        sa.CheckConstraint(
            "difficulty IS NULL OR difficulty IN "
            "('easy', 'moderate', 'difficult', 'very_difficult', 'extreme')",
            name="ck_trips_difficulty",
        ),
    )
    op.create_index("ix_trips_user_id", "trips", ["user_id"])
    op.create_index("ix_trips_status", "trips", ["status"])
    op.create_index("ix_trips_user_id_status", "trips", ["user_id", "status"])
    op.create_index("ix_trips_published_at", "trips", ["published_at"])
    op.create_index("ix_trips_created_at", "trips", ["created_at"])

    op.create_table(
        "trip_locations",
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("location_id", name="pk_trip_locations"),
        sa.ForeignKeyConstraint(
            ["trip_id"],
            ["trips.trip_id"],
            name="fk_trip_locations_trip_id_trips",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_trip_locations_trip_id", "trip_locations", ["trip_id"])

    op.create_table(
        "trip_photos",
        sa.Column("photo_id", sa.String(36), nullable=False),
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("photo_url", sa.String(500), nullable=False),
        sa.Column("thumb_url", sa.String(500), nullable=False),
        sa.Column("caption", sa.String(500), nullable=True),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("photo_id", name="pk_trip_photos"),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trips.trip_id"], name="fk_trip_photos_trip_id_trips", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_trip_photos_trip_id", "trip_photos", ["trip_id"])

    op.create_table(
        "tags",
        sa.Column("tag_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("normalized", sa.String(50), nullable=False),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("tag_id", name="pk_tags"),
        sa.UniqueConstraint("normalized", name="uq_tags_normalized"),
        sa.CheckConstraint("usage_count >= 0", name="ck_tags_usage_count_non_negative"),
    )
    op.create_index("ix_tags_usage_count", "tags", ["usage_count"])


def downgrade() -> None:
    op.drop_table("tags")
    op.drop_table("trip_photos")
    op.drop_table("trip_locations")
    op.drop_table("trips")
