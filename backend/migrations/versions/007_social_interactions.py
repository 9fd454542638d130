"""Social interactions on trips: likes, comments and points of interest.

Revision ID: 007_social_interactions
Revises: 006_trip_tags_association
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "007_social_interactions"
down_revision: str | None = "006_trip_tags_association"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "likes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_likes"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_likes_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trips.trip_id"], name="fk_likes_trip_id_trips", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("user_id", "trip_id", name="uq_user_trip_like"),
    )
    op.create_index("ix_likes_trip_id", "likes", ["trip_id"])
    op.create_index("ix_likes_user_id", "likes", ["user_id"])
    op.create_index("ix_likes_created_at", "likes", ["created_at"])

    op.create_table(
        "comments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=True),
        sa.Column("is_edited", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_comments_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trips.trip_id"], name="fk_comments_trip_id_trips", ondelete="CASCADE"
        ),
        sa.CheckConstraint("content <> ''", name="ck_comments_content_not_empty"),
    )
    op.create_index("ix_comments_trip_id", "comments", ["trip_id"])
    op.create_index("ix_comments_user_id", "comments", ["user_id"])
    op.create_index("ix_comments_created_at", "comments", ["created_at"])

    op.create_table(
        "points_of_interest",
        sa.Column("poi_id", sa.String(36), nullable=False),
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("poi_type", sa.String(20), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("distance_from_start_km", sa.Float(), nullable=True),
        sa.Column("photo_url", sa.String(500), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("poi_id", name="pk_points_of_interest"),
        sa.ForeignKeyConstraint(
            ["trip_id"],
            ["trips.trip_id"],
            name="fk_points_of_interest_trip_id_trips",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "latitude >= -90 AND latitude <= 90", name="ck_points_of_interest_latitude_range"
        ),
        sa.CheckConstraint(
            "longitude >= -180 AND longitude <= 180",
            name="ck_points_of_interest_longitude_range",
        ),
        sa.CheckConstraint(
            "poi_type IN ('viewpoint', 'town', 'water', 'accommodation', 'restaurant', "
            "'mountain_pass', 'other')",
            name="ck_points_of_interest_poi_type",
        ),
        sa.CheckConstraint("sequence >= 0", name="ck_points_of_interest_sequence_non_negative"),
        sa.CheckConstraint(
            "distance_from_start_km IS NULL OR distance_from_start_km >= 0",
            name="ck_points_of_interest_distance_non_negative",
        ),
    )
    op.create_index("ix_points_of_interest_trip_id", "points_of_interest", ["trip_id"])
    op.create_index("ix_points_of_interest_poi_type", "points_of_interest", ["poi_type"])


def downgrade() -> None:
    op.drop_table("points_of_interest")
    op.drop_table("comments")
    op.drop_table("likes")
