"""User stats, achievements and awarded achievements (unique per user).

Revision ID: 003_stats_and_achievements
Revises: 002_add_privacy_settings
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "003_stats_and_achievements"
down_revision: str | None = "002_add_privacy_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "user_stats",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("total_trips", sa.Integer(), nullable=False),
        sa.Column("total_kilometers", sa.Float(), nullable=False),
        sa.Column("countries_visited", sa.JSON(), nullable=False),
        sa.Column("total_photos", sa.Integer(), nullable=False),
        sa.Column("achievements_count", sa.Integer(), nullable=False),
        sa.Column("last_trip_date", sa.Date(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_stats"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_stats_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("user_id", name="uq_user_stats_user_id"),
    )
    op.create_table(
        "achievements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("badge_icon", sa.String(10), nullable=False),
        sa.Column("requirement_type", sa.String(20), nullable=False),
        sa.Column("requirement_value", sa.Float(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_achievements"),
        sa.UniqueConstraint("code", name="uq_achievements_code"),
        sa.CheckConstraint(
            "requirement_type IN ('distance', 'trips', 'countries', 'photos', 'followers')",
            name="ck_achievements_requirement_type",
        ),
    )
    op.create_table(
        "user_achievements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("achievement_id", sa.String(36), nullable=False),
        sa.Column("awarded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_achievements"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_user_achievements_user_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievements.id"],
            name="fk_user_achievements_achievement_id_achievements",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("user_id", "achievement_id", name="uq_user_achievement"),
    )
    op.create_index("ix_user_achievements_user_id", "user_achievements", ["user_id"])
    op.create_index("ix_user_achievements_achievement_id", "user_achievements", ["achievement_id"])


def downgrade() -> None:
    op.drop_table("user_achievements")
    op.drop_table("achievements")
    op.drop_table("user_stats")
